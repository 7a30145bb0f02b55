package export

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/contriblog/contriblog/harvester"
)

// MarkdownEncoder writes the log for reading: a "# Contributions" heading,
// then one section per month ("## 2026-03 — March 2026"; rows without a
// date under "## Undated"), within it one section per activity type
// ("### Blog", the default types in the contract's order, others as they
// come), and one bullet per row:
//
//   - 2026-03-02 — [Title](https://…) — Author · reach 1,200 · also on [dev.to](https://…)
//     Description, as plain text.
//
// Markdown in every value is escaped and only http(s) URLs are linked; any
// other URL is shown as text. Rows must come oldest first, as the log
// keeps them: the encoder holds one month, rendered, and writes it when the
// next month starts (a month that comes back gets a second section).
//
// With Options.ByPerson (a log of several persons) each person gets a
// section of their own ("## Ada Lovelace", persons in name order, their
// months and types one level down); the rendered rows are then held until
// Close.
type MarkdownEncoder struct {
	w       *bufio.Writer
	opts    Options
	one     *mdGroup            // every row, without ByPerson
	persons map[string]*mdGroup // by person, with ByPerson
	rows    int
	gate
}

// mdGroup is the month being rendered of one run of rows, written to out
// as it ends.
type mdGroup struct {
	out    io.Writer
	level  string // "##" for the months, "###" under a person
	month  string // key of the month held; see monthKey
	types  []string
	byType map[string]*bytes.Buffer
}

func newGroup(out io.Writer, level string) *mdGroup {
	return &mdGroup{out: out, level: level, byType: map[string]*bytes.Buffer{}}
}

// NewMarkdownEncoder writes the document's heading to w and returns the
// encoder. Output is buffered: call Close.
func NewMarkdownEncoder(w io.Writer, opts Options) *MarkdownEncoder {
	e := &MarkdownEncoder{w: bufio.NewWriterSize(w, 64<<10), opts: opts}
	if opts.ByPerson {
		e.persons = map[string]*mdGroup{}
	} else {
		e.one = newGroup(e.w, "##")
	}
	e.w.WriteString("# Contributions\n")
	return e
}

// Encode adds c to its month. A row curated as excluded is skipped unless
// Options.All, and then marked.
func (e *MarkdownEncoder) Encode(c *harvester.Contribution) error {
	if ok, err := e.admit(c, e.opts.All); !ok {
		return err
	}
	g := e.one
	if g == nil {
		person := harvester.CleanText(c.Person)
		if g = e.persons[person]; g == nil {
			g = newGroup(new(bytes.Buffer), "###")
			e.persons[person] = g
		}
	}
	if m := monthKey(c.Date); m != g.month {
		e.flush(g)
		g.month = m
	}
	typ := harvester.CleanText(c.ActivityType)
	buf := g.byType[typ]
	if buf == nil {
		buf = new(bytes.Buffer)
		g.byType[typ] = buf
	}
	if buf.Len() == 0 { // the type's first row this month
		g.types = append(g.types, typ)
	}
	writeBullet(buf, c)
	e.rows++
	return nil
}

// monthKey is "YYYY-MM" for a date that has one, else "" (undated).
func monthKey(date string) string {
	if len(date) < 7 {
		return ""
	}
	if _, err := time.Parse("2006-01", date[:7]); err != nil {
		return ""
	}
	return date[:7]
}

// monthHeading is the heading text of a month key.
func monthHeading(key string) string {
	t, err := time.Parse("2006-01", key)
	if err != nil {
		return "Undated"
	}
	return key + " — " + t.Format("January 2006")
}

// typeRank orders the sections of a month: the default types in the
// contract's order, then the others as they came.
var typeRank = func() map[string]int {
	m := map[string]int{}
	for i, t := range harvester.DefaultActivityTypes() {
		m[t.Name] = i
	}
	return m
}()

// flush writes the month g holds, if any.
func (e *MarkdownEncoder) flush(g *mdGroup) {
	if len(g.types) == 0 {
		return
	}
	fmt.Fprintf(g.out, "\n%s %s\n", g.level, monthHeading(g.month))
	slices.SortStableFunc(g.types, func(a, b string) int {
		ra, oka := typeRank[a]
		rb, okb := typeRank[b]
		switch {
		case oka && okb:
			return ra - rb
		case oka:
			return -1
		case okb:
			return 1
		}
		return 0
	})
	for _, t := range g.types {
		name := t
		if name == "" {
			name = "Other"
		}
		fmt.Fprintf(g.out, "\n%s# %s\n\n", g.level, escapeLine(name))
		if _, err := g.out.Write(g.byType[t].Bytes()); err != nil && e.err == nil {
			e.err = fmt.Errorf("write markdown: %w", err)
		}
		g.byType[t].Reset() // kept for the next month: types recur
	}
	g.types = g.types[:0]
}

// flushPersons writes every person's section, in name order (rows with
// no person last).
func (e *MarkdownEncoder) flushPersons() {
	names := make([]string, 0, len(e.persons))
	for p := range e.persons {
		names = append(names, p)
	}
	slices.SortFunc(names, func(a, b string) int {
		if (a == "") != (b == "") {
			return boolFirst(b == "")
		}
		return strings.Compare(a, b)
	})
	for _, p := range names {
		g := e.persons[p]
		e.flush(g)
		heading := "(no person)"
		if p != "" {
			heading = escapeLine(p)
		}
		fmt.Fprintf(e.w, "\n## %s\n", heading)
		if _, err := e.w.Write(g.out.(*bytes.Buffer).Bytes()); err != nil && e.err == nil {
			e.err = fmt.Errorf("write markdown: %w", err)
		}
	}
}

func boolFirst(first bool) int {
	if first {
		return -1
	}
	return 1
}

// writeBullet renders one row.
func writeBullet(b *bytes.Buffer, c *harvester.Contribution) {
	b.WriteString("- ")
	if date := harvester.CleanText(c.Date); date != "" {
		b.WriteString(escapeInline(date))
		if end := harvester.CleanText(c.EndDate); end != "" && end != date {
			b.WriteString(" – ")
			b.WriteString(escapeInline(end))
		}
		b.WriteString(" — ")
	}
	writeTitle(b, title(c), harvester.CleanText(c.URL))
	if role := harvester.CleanText(c.Role); role != "" {
		b.WriteString(" — ")
		b.WriteString(escapeInline(role))
	}
	if n := reach(c); n > 0 {
		b.WriteString(" · reach ")
		b.WriteString(groupDigits(n))
	}
	writeOthers(b, c.OtherURLs)
	if c.Excluded {
		b.WriteString(" · *excluded*")
	}
	b.WriteByte('\n')
	if d := description(c); d != "" {
		b.WriteString("  ") // a continuation line of the list item
		b.WriteString(escapeLine(d))
		b.WriteByte('\n')
	}
}

// writeTitle writes the title, linked when url is http(s); any other URL
// follows as text.
func writeTitle(b *bytes.Buffer, t, url string) {
	if t == "" {
		t = "(untitled)"
	}
	t = escapeInline(t)
	switch {
	case isWebURL(url):
		b.WriteString("[" + t + "](" + escapeDestination(url) + ")")
	case url != "":
		b.WriteString(t + " (" + escapeInline(url) + ")")
	default:
		b.WriteString(t)
	}
}

// writeOthers writes the other URLs as links labelled by host.
func writeOthers(b *bytes.Buffer, urls []string) {
	sep := " · also on "
	for _, u := range urls {
		if u = harvester.CleanText(u); u == "" {
			continue
		}
		b.WriteString(sep)
		sep = ", "
		if host := webHost(u); host != "" {
			b.WriteString("[" + escapeInline(host) + "](" + escapeDestination(u) + ")")
		} else {
			b.WriteString(escapeInline(u))
		}
	}
}

// groupDigits formats n with thousands separators: 12,345, -1,234,567.
func groupDigits(n int64) string {
	sign, u := "", uint64(n)
	if n < 0 {
		sign, u = "-", -uint64(n) // -MinInt64 wraps to itself, read unsigned
	}
	s := strconv.FormatUint(u, 10)
	var b strings.Builder
	b.WriteString(sign)
	for i, d := range []byte(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(d)
	}
	return b.String()
}

// Close writes the last month (or "No contributions." when there was no
// row), flushes and returns the first error, the writer's included.
// Closing twice does nothing more.
func (e *MarkdownEncoder) Close() error {
	if e.err != nil || e.done {
		return e.err
	}
	e.done = true
	if e.one != nil {
		e.flush(e.one)
	} else {
		e.flushPersons()
	}
	if e.rows == 0 {
		e.w.WriteString("\nNo contributions.\n")
	}
	if err := e.w.Flush(); err != nil && e.err == nil {
		e.err = fmt.Errorf("write markdown: %w", err)
	}
	return e.err
}
