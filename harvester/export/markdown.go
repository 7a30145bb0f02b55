package export

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/contriblog/contriblog/harvester"
)

// MarkdownEncoder writes the log grouped by month, then activity type. It
// expects rows oldest first (the log's order) and buffers one month.
type MarkdownEncoder struct {
	w     *bufio.Writer
	opts  Options
	month string
	rows  []harvester.Contribution
	any   bool
	err   error
}

// NewMarkdownEncoder writes the document's heading.
func NewMarkdownEncoder(w io.Writer, opts Options) *MarkdownEncoder {
	e := &MarkdownEncoder{w: bufio.NewWriter(w), opts: opts}
	e.w.WriteString("# Contributions\n")
	return e
}

// Encode adds c to its month.
func (e *MarkdownEncoder) Encode(c *harvester.Contribution) error {
	if e.err != nil || (c.Excluded && !e.opts.All) {
		return e.err
	}
	month := c.Date
	if len(month) >= 7 {
		month = month[:7]
	}
	if month != e.month {
		e.flush()
		e.month = month
	}
	e.rows = append(e.rows, *c)
	e.any = true
	return e.err
}

func (e *MarkdownEncoder) flush() {
	if len(e.rows) == 0 {
		return
	}
	heading := e.month
	if t, err := time.Parse("2006-01", e.month); err == nil {
		heading = e.month + " — " + t.Format("January 2006")
	}
	fmt.Fprintf(e.w, "\n## %s\n", heading)
	var types []string
	byType := map[string][]harvester.Contribution{}
	for _, c := range e.rows {
		if _, ok := byType[c.ActivityType]; !ok {
			types = append(types, c.ActivityType)
		}
		byType[c.ActivityType] = append(byType[c.ActivityType], c)
	}
	for _, t := range types {
		fmt.Fprintf(e.w, "\n### %s\n\n", escapeMarkdown(t))
		for i := range byType[t] {
			e.bullet(&byType[t][i])
		}
	}
	e.rows = e.rows[:0]
}

func (e *MarkdownEncoder) bullet(c *harvester.Contribution) {
	t := escapeMarkdown(title(c))
	if isWebURL(c.URL) {
		t = "[" + t + "](" + escapeURL(c.URL) + ")"
	}
	fmt.Fprintf(e.w, "- %s — %s", c.Date, t)
	if c.Role != "" {
		fmt.Fprintf(e.w, " (%s)", escapeMarkdown(c.Role))
	}
	if c.Reach > 0 {
		fmt.Fprintf(e.w, ", reach %d", c.Reach)
	}
	if c.Excluded {
		e.w.WriteString(" *(excluded)*")
	}
	var others []string
	for _, u := range c.OtherURLs {
		if isWebURL(u) {
			others = append(others, "<"+escapeURL(u)+">")
		}
	}
	if len(others) > 0 {
		fmt.Fprintf(e.w, "; also %s", strings.Join(others, ", "))
	}
	e.w.WriteString("\n")
}

// Close writes the last month and flushes.
func (e *MarkdownEncoder) Close() error {
	e.flush()
	if !e.any {
		e.w.WriteString("\nNo contributions.\n")
	}
	if err := e.w.Flush(); e.err == nil {
		e.err = err
	}
	return e.err
}

var mdEscaper = strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "<", `\<`, ">", `\>`,
	"#", `\#`, "|", `\|`, "`", "\\`", "(", `\(`, ")", `\)`, "!", `\!`)

func escapeMarkdown(s string) string { return mdEscaper.Replace(harvester.CleanText(s)) }

func isWebURL(u string) bool {
	l := strings.ToLower(u)
	return strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://")
}

func escapeURL(u string) string {
	return strings.NewReplacer(" ", "%20", ")", "%29", "(", "%28", "<", "%3C", ">", "%3E").Replace(u)
}
