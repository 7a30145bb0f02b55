package export

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/contriblog/contriblog/harvester"
)

// DefaultTitleWidth is the title column's width when TableOptions.Width is
// not set.
const DefaultTitleWidth = 80

// minTitleWidth keeps a title readable however small Width is set.
const minTitleWidth = 12

// TableOptions shape `contriblog list`.
type TableOptions struct {
	// All shows rows curated as excluded, marked "(excluded)".
	All bool
	// Width is the most terminal columns a title takes (default
	// DefaultTitleWidth); longer titles are cut with "…".
	Width int
	// Submitted, when set, fills a SUBMITTED column: the programs a row
	// is recorded as in (`contriblog submitted`), "-" for none.
	Submitted func(*harvester.Contribution) string
	// Metrics writes, under each row, a line per metric: its first and
	// latest values with the dates of the passes that saw them, from the
	// row's MetricsHistory (docs/cli.md#list).
	Metrics bool
}

// tableHeader names the columns; reach is the one right-aligned. PERSON
// is shown only when the rows have several persons.
var tableHeader = [...]string{"ID", "DATE", "PERSON", "TYPE", "TITLE", "REACH", "SOURCES", "SUBMITTED"}

const (
	personCol    = 2
	reachCol     = 5
	submittedCol = 7
)

// maxPersonWidth caps the person column.
const maxPersonWidth = 24

// curatedMark follows a value set with `contriblog edit`.
const curatedMark = "*"

// TableEncoder writes the log as an aligned, human-readable table: ID,
// date, the person when the rows have more than one, a short activity type ("Blog", "Video", "Talk", "OSS"), title,
// reach and sources, one line per row. Column widths are terminal
// columns (a CJK character counts two). Values set with `contriblog edit`
// carry a '*' and a legend line follows the table when any does; every
// value is cleaned, so no control character or escape sequence reaches
// the terminal. The encoder holds every row and writes on Close; an empty
// log prints "No contributions.".
type TableEncoder struct {
	w    io.Writer
	opts TableOptions
	rows [][len(tableHeader)]string
	// metrics are the lines under each row (TableOptions.Metrics).
	metrics [][]string
	curated bool
	// person is the rows' person while they have one; several says they
	// have more than one, and the table shows a PERSON column.
	person  string
	several bool
	gate
}

// NewTableEncoder returns a table encoder writing to w on Close.
func NewTableEncoder(w io.Writer, opts TableOptions) *TableEncoder {
	if opts.Width <= 0 {
		opts.Width = DefaultTitleWidth
	}
	opts.Width = max(opts.Width, minTitleWidth)
	return &TableEncoder{w: w, opts: opts}
}

// Encode adds c to the table. A row curated as excluded is skipped unless
// TableOptions.All.
func (e *TableEncoder) Encode(c *harvester.Contribution) error {
	if ok, err := e.admit(c, e.opts.All); !ok {
		return err
	}
	mark := func(field, s string) string {
		for _, f := range c.Curated {
			if f == field {
				e.curated = true
				return s + curatedMark
			}
		}
		return s
	}
	reachText := ""
	if n := reach(c); n > 0 {
		reachText = groupDigits(n)
	}
	person := harvester.CleanText(c.Person)
	if len(e.rows) == 0 {
		e.person = person
	} else if person != e.person {
		e.several = true
	}
	submitted := ""
	if e.opts.Submitted != nil {
		submitted = harvester.CleanText(e.opts.Submitted(c))
	}
	e.rows = append(e.rows, [len(tableHeader)]string{
		harvester.CleanText(c.ID), mark("date", harvester.CleanText(c.Date)), fitWidth(person, maxPersonWidth),
		mark("activity_type", shortType(c.ActivityType)),
		mark("title", e.titleCell(c)), mark("reach", reachText), strings.Join(cleanList(c.Sources), ","), submitted,
	})
	if e.opts.Metrics {
		e.metrics = append(e.metrics, metricLines(c))
	}
	return nil
}

// metricLines are a row's metrics, by name, each as its growth: "views
// 120 (2026-03-01) → 1,530 (2026-11-20)", the latest value alone when it
// has one point, and the value alone when the row has no history for it
// (a hand-kept entry, a log read through a daemon that sends none).
func metricLines(c *harvester.Contribution) []string {
	names := make([]string, 0, len(c.Metrics))
	for k := range c.Metrics {
		names = append(names, k)
	}
	sort.Strings(names)
	lines := make([]string, 0, len(names))
	for _, k := range names {
		name := fitWidth(harvester.CleanText(k), maxTypeWidth)
		points := c.MetricsHistory[k]
		switch {
		case len(points) == 0:
			lines = append(lines, name+" "+groupDigits(c.Metrics[k]))
		case len(points) == 1:
			lines = append(lines, name+" "+pointText(points[0]))
		default:
			lines = append(lines, fmt.Sprintf("%s %s → %s (%d points)", name, pointText(points[0]), pointText(points[len(points)-1]), len(points)))
		}
	}
	return lines
}

// pointText is a value and the day (UTC) of the pass that saw it.
func pointText(p harvester.MetricPoint) string {
	return groupDigits(p.Value) + " (" + p.At.UTC().Format(time.DateOnly) + ")"
}

// titleCell is the title cut to the column, "(excluded)" first when it is.
func (e *TableEncoder) titleCell(c *harvester.Contribution) string {
	t := harvester.PlainText(c.Title)
	if t == "" {
		t = "(untitled)"
	}
	if c.Excluded {
		t = "(excluded) " + t
	}
	return fitWidth(t, e.opts.Width)
}

// shortTypes are the table's labels of the default activity types.
var shortTypes = map[string]string{
	harvester.TypeBlog: "Blog", harvester.TypeArticle: "Article", harvester.TypeBook: "Book",
	harvester.TypePodcast: "Podcast", harvester.TypeVideo: "Video", harvester.TypeThirdParty: "Talk",
	harvester.TypeMicrosoft: "Talk (MS)", harvester.TypeOpenSource: "OSS",
	harvester.TypeOnlineSupport: "Support", harvester.TypeMentorship: "Mentoring",
	harvester.TypeUserGroup: "User group",
}

// maxTypeWidth caps the label of a type of the config's own.
const maxTypeWidth = 20

// shortType is the table label of an activity type.
func shortType(name string) string {
	if s, ok := shortTypes[name]; ok {
		return s
	}
	for long, short := range shortTypes {
		if strings.EqualFold(long, name) {
			return short
		}
	}
	return fitWidth(harvester.CleanText(name), maxTypeWidth)
}

// Close writes the table and returns the writer's error. Closing twice
// does nothing more.
func (e *TableEncoder) Close() error {
	if e.err != nil || e.done {
		return e.err
	}
	e.done = true
	bw := bufio.NewWriter(e.w)
	if len(e.rows) == 0 {
		bw.WriteString("No contributions.\n")
	} else {
		e.writeTable(bw)
	}
	if err := bw.Flush(); err != nil {
		e.err = fmt.Errorf("write table: %w", err)
	}
	return e.err
}

// writeTable writes the header, the aligned rows and the legend.
func (e *TableEncoder) writeTable(w *bufio.Writer) {
	var widths [len(tableHeader)]int
	for i, h := range tableHeader {
		widths[i] = displayWidth(h)
	}
	for _, r := range e.rows {
		for i, s := range r {
			widths[i] = max(widths[i], displayWidth(s))
		}
	}
	if !e.several {
		widths[personCol] = -1 // one person (or none): the table as it always was
	}
	if e.opts.Submitted == nil {
		widths[submittedCol] = -1
	}
	writeLine(w, tableHeader, widths)
	for i, r := range e.rows {
		writeLine(w, r, widths)
		if e.opts.Metrics {
			for _, l := range e.metrics[i] {
				w.WriteString("    " + l + "\n")
			}
		}
	}
	if e.curated {
		w.WriteString(curatedMark + " set with `contriblog edit`\n")
	}
}

// writeLine writes one line, two spaces between columns and none at its
// end; a column of width -1 is left out.
func writeLine(w *bufio.Writer, cells [len(tableHeader)]string, widths [len(tableHeader)]int) {
	last := len(cells) - 1
	for last > 0 && (cells[last] == "" || widths[last] < 0) {
		last-- // no trailing padding for empty cells at the end
	}
	for i := 0; i <= last; i++ {
		if widths[i] < 0 {
			continue
		}
		pad := widths[i] - displayWidth(cells[i])
		if i == reachCol {
			w.WriteString(strings.Repeat(" ", pad))
			pad = 0
		}
		w.WriteString(cells[i])
		if i < last {
			w.WriteString(strings.Repeat(" ", pad+2))
		}
	}
	w.WriteByte('\n')
}
