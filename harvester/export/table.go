package export

import (
	"io"
	"strings"
	"unicode/utf8"

	"github.com/contriblog/contriblog/harvester"
)

// TableOptions shape `contriblog list`.
type TableOptions struct {
	All   bool // show excluded rows, marked
	Width int  // title column width in characters (default 60)
}

// TableEncoder buffers rows and writes them aligned on Close.
type TableEncoder struct {
	w       io.Writer
	opts    TableOptions
	rows    [][]string
	curated bool
}

// NewTableEncoder returns a table encoder.
func NewTableEncoder(w io.Writer, opts TableOptions) *TableEncoder {
	if opts.Width <= 0 {
		opts.Width = 60
	}
	return &TableEncoder{w: w, opts: opts, rows: [][]string{{"ID", "DATE", "TYPE", "TITLE", "REACH", "SOURCES"}}}
}

// shortTypes are the table's labels for the long form names.
var shortTypes = map[string]string{
	harvester.TypeVideo: "Video", harvester.TypeThirdParty: "Talk", harvester.TypeMicrosoft: "Talk (Microsoft)",
	harvester.TypeOpenSource: "Open source", harvester.TypeMentorship: "Mentoring", harvester.TypeBook: "Book",
}

// Encode adds one row; curated values carry a '*'.
func (e *TableEncoder) Encode(c *harvester.Contribution) error {
	if c.Excluded && !e.opts.All {
		return nil
	}
	cur := map[string]bool{}
	for _, f := range c.Curated {
		cur[f] = true
		e.curated = true
	}
	mark := func(s, field string) string {
		if cur[field] {
			return s + "*"
		}
		return s
	}
	typ := c.ActivityType
	if s, ok := shortTypes[typ]; ok {
		typ = s
	}
	t := harvester.Truncate(harvester.PlainText(c.Title), e.opts.Width)
	if c.Excluded {
		t = "(excluded) " + t
	}
	reach := ""
	if c.Reach > 0 {
		reach = itoa(c.Reach)
	}
	e.rows = append(e.rows, []string{c.ID, mark(c.Date, "date"), mark(typ, "activity_type"), mark(t, "title"),
		mark(reach, "reach"), strings.Join(c.Sources, ",")})
	return nil
}

// Close writes the aligned table.
func (e *TableEncoder) Close() error {
	widths := make([]int, len(e.rows[0]))
	for _, r := range e.rows {
		for i, c := range r {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	var b strings.Builder
	for _, r := range e.rows {
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c)+2))
			}
		}
		b.WriteString("\n")
	}
	if e.curated {
		b.WriteString("* set by `contriblog edit`\n")
	}
	_, err := io.WriteString(e.w, b.String())
	return err
}

func itoa(n int64) string {
	var buf [20]byte
	i := len(buf)
	for n >= 10 {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	i--
	buf[i] = byte('0' + n)
	return string(buf[i:])
}
