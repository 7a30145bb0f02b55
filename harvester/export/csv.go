package export

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/contriblog/contriblog/harvester"
)

// Header is the CSV header row of contract §4, in order.
var Header = []string{"ID", "Person", "Activity Type", "Published Date", "End Date", "Title", "Description",
	"Activity URL", "Role", "Primary Technology Area", "Additional Technology Areas", "Target Audience",
	"Quantity", "Reach", "Other URLs", "Sources"}

// CSVEncoder writes RFC 4180 CSV, UTF-8, with the contract's header.
type CSVEncoder struct {
	w    *csv.Writer
	opts Options
	row  []string
	err  error
}

// NewCSVEncoder writes the header row and returns the encoder.
func NewCSVEncoder(w io.Writer, opts Options) *CSVEncoder {
	e := &CSVEncoder{w: csv.NewWriter(w), opts: opts, row: make([]string, len(Header))}
	e.err = e.w.Write(Header)
	return e
}

// Encode writes c as one row; excluded rows are skipped unless Options.All.
// Reach is empty when unknown (0).
func (e *CSVEncoder) Encode(c *harvester.Contribution) error {
	if e.err != nil {
		return e.err
	}
	if c.Excluded && !e.opts.All {
		return nil
	}
	reach := ""
	if c.Reach > 0 {
		reach = strconv.FormatInt(c.Reach, 10)
	}
	r := e.row
	r[0], r[1], r[2], r[3], r[4] = c.ID, c.Person, c.ActivityType, c.Date, c.EndDate
	r[5], r[6], r[7], r[8], r[9] = title(c), description(c), c.URL, c.Role, c.PrimaryArea
	r[10], r[11] = strings.Join(cleanList(c.AdditionalAreas), ";"), strings.Join(cleanList(c.TargetAudience), ";")
	r[12], r[13] = strconv.Itoa(quantity(c)), reach
	r[14], r[15] = strings.Join(cleanList(c.OtherURLs), ";"), strings.Join(cleanList(c.Sources), ";")
	for i := range r {
		r[i] = cell(r[i])
	}
	e.err = e.w.Write(r)
	return e.err
}

// Close flushes and returns the first error.
func (e *CSVEncoder) Close() error {
	e.w.Flush()
	if e.err != nil {
		return e.err
	}
	return e.w.Error()
}

// cell cleans a value and defuses spreadsheet formulas: a cell beginning
// with =, +, -, @, tab or CR gets a leading apostrophe.
func cell(s string) string {
	if s != "" && (s[0] < 0x20 || s[0] >= 0x80 || s[0] == ' ') {
		s = harvester.CleanText(s) // leading control chars, spaces, invalid bytes
	}
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
