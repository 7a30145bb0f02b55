package export

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/contriblog/contriblog/harvester"
)

// BOM is the UTF-8 byte-order mark (EF BB BF) that Options.Excel puts
// first.
const BOM = "\ufeff"

// Header is the CSV header row of docs/log.md#csv-columns, in order: the labels of the
// nomination form where it has one.
var Header = []string{"ID", "Person", "Activity Type", "Published Date", "End Date", "Title", "Description",
	"Activity URL", "Role", "Primary Technology Area", "Additional Technology Areas", "Target Audience",
	"Quantity", "Reach", "Other URLs", "Sources"}

// CSVEncoder writes the log as RFC 4180 CSV (CRLF line ends, fields quoted
// where needed), UTF-8 without a byte-order mark (with one, BOM, under
// Options.Excel: Excel reads a file without it in the machine's legacy
// code page, and shows ’ as â€™), one header row then one row per
// contribution with exactly the columns of Header.
//
// Every cell is clean UTF-8 text on one line; Title and Description are
// plain text capped at MaxTitle and MaxDescription characters; lists are
// ';'-separated; Quantity is 1 unless curated; Reach is empty when unknown
// (0), so that a form or a sum does not mistake "not known" for "nobody".
// A cell that begins with '=', '+', '-', '@', tab or carriage return is
// prefixed with "'" so that spreadsheets show it instead of running it.
type CSVEncoder struct {
	w    *csv.Writer
	opts Options
	row  [16]string
	gate
}

// NewCSVEncoder writes the header row to w and returns the encoder. Output
// is buffered: call Close.
func NewCSVEncoder(w io.Writer, opts Options) *CSVEncoder {
	e := &CSVEncoder{opts: opts}
	e.w = openCSV(w, Header, opts.Excel, &e.gate)
	return e
}

// openCSV is a CSV writer on w as every CSV export opens it: CRLF line
// ends, a byte-order mark first under excel, then header. An error is
// recorded in g.
func openCSV(w io.Writer, header []string, excel bool, g *gate) *csv.Writer {
	bw := bufio.NewWriter(w) // what csv.NewWriter makes, shared with the BOM
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	if excel {
		bw.WriteString(BOM) // an error stays in bw, and Flush reports it
	}
	if err := cw.Write(header); err != nil {
		g.err = fmt.Errorf("write csv header: %w", err)
	}
	return cw
}

// closeCSV flushes cw once and returns g's first error, the writer's
// included: a CSV encoder's Close.
func closeCSV(cw *csv.Writer, g *gate) error {
	if g.done {
		return g.err
	}
	g.done = true
	cw.Flush()
	if g.err == nil {
		if err := cw.Error(); err != nil {
			g.err = fmt.Errorf("write csv: %w", err)
		}
	}
	return g.err
}

// Encode writes c as one row. A row curated as excluded is skipped unless
// Options.All.
func (e *CSVEncoder) Encode(c *harvester.Contribution) error {
	if ok, err := e.admit(c, e.opts.All); !ok {
		return err
	}
	r := &e.row
	r[0], r[1], r[2] = cell(c.ID), cell(c.Person), cell(c.ActivityType)
	r[3], r[4] = cell(c.Date), cell(c.EndDate)
	r[5], r[6] = defuse(title(c)), defuse(description(c))
	r[7], r[8], r[9] = cell(c.URL), cell(c.Role), cell(c.PrimaryArea)
	r[10] = defuse(joinList(c.AdditionalAreas, false))
	r[11] = defuse(joinList(c.TargetAudience, false))
	r[12] = strconv.Itoa(quantity(c))
	r[13] = ""
	if n := reach(c); n > 0 {
		r[13] = strconv.FormatInt(n, 10)
	}
	r[14] = defuse(joinList(c.OtherURLs, true))
	r[15] = defuse(joinList(c.Sources, false))
	if err := e.w.Write(r[:]); err != nil {
		e.err = fmt.Errorf("write csv row %s: %w", r[0], err)
	}
	return e.err
}

// Close flushes the rows and returns the first error, the writer's
// included. Closing twice does nothing more.
func (e *CSVEncoder) Close() error { return closeCSV(e.w, &e.gate) }

// cell is a text cell: cleaned, then defused.
func cell(s string) string { return defuse(harvester.CleanText(s)) }

// defuse prefixes "'" to a cell a spreadsheet would read as a formula
// (OWASP's "CSV injection" list). It runs after cleaning, so what the
// spreadsheet sees first is what was checked.
func defuse(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
