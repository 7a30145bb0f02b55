package export_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/export"
)

// linkTarget finds the destination of every Markdown link or image the
// encoder wrote (an escaped "\]" is text, not a link).
var linkTarget = regexp.MustCompile(`(^|[^\\])\]\(([^)]*)\)`)

// checkMarkdown checks what holds for every Markdown export: only http(s)
// links, no raw HTML, no control characters.
func checkMarkdown(t testing.TB, out string) {
	t.Helper()
	for _, m := range linkTarget.FindAllStringSubmatch(out, -1) {
		if l := strings.ToLower(m[2]); !strings.HasPrefix(l, "https://") && !strings.HasPrefix(l, "http://") {
			t.Errorf("link to %q", m[2])
		}
	}
	for i := 0; i < len(out); i++ {
		if out[i] == '<' && (i == 0 || out[i-1] != '\\') {
			t.Errorf("unescaped '<' at %d: %q", i, out[max(0, i-20):min(len(out), i+20)])
		}
		if c := out[i]; c < 0x20 && c != '\n' {
			t.Errorf("control byte %#x at %d", c, i)
		}
	}
}

func TestMarkdownGolden(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts export.Options
	}{
		{"log.md", export.Options{}},
		{"log-all.md", export.Options{All: true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out := encodeFormat(t, "md", tt.opts, fixture())
			golden(t, tt.name, out)
			checkMarkdown(t, out)
			if got := strings.Contains(out, "excluded"); got != tt.opts.All {
				t.Errorf("excluded row shown: %v, want %v", got, tt.opts.All)
			}
		})
	}
}

func TestMarkdownLayout(t *testing.T) {
	out := encodeFormat(t, "markdown", export.Options{All: true}, fixture())
	headings := regexp.MustCompile(`(?m)^#{1,3} .*$`).FindAllString(out, -1)
	want := []string{
		"# Contributions",
		"## Undated", "### Article",
		"## 2026-03 — March 2026", "### Blog",
		"## 2026-04 — April 2026", "### Webinar/Online Training/Video/Livestream",
		"### Speaker/Presenter at Third-party Event", "### Mentorship/Coaching",
		"## 2026-05 — May 2026", "### Open Source/Project/Sample code/Tools", "### Conference keynote",
	}
	if strings.Join(headings, "\n") != strings.Join(want, "\n") {
		t.Errorf("headings:\n%s\nwant:\n%s", strings.Join(headings, "\n"), strings.Join(want, "\n"))
	}
	for _, s := range []string{
		"- 2026-03-02 — [Conditional Access day one](https://priyaraman.dev/ca/) — Author · reach 1,200 · also on [dev.to](https://dev.to/priya/ca), [medium.com](https://medium.com/@priya/ca)\n  Five & more policies Q&A after.\n",
		"- 2026-04-15 – 2026-04-16 — @SUM talk: caf bytes (javascript:alert(1)) — Speaker · *excluded*\n",
		"[Fix \\`nil\\` \\*panic\\* in \\[router\\] \\| table\\_name bold \\~\\~x\\~\\~ \\[31mred\\[0m next evil](https://github.com/priyar/router/pull/42)",
		"also on [github.com](https://github.com/priyar/router/issues/41), mailto:priya@example.com\n",
		"  \\# Not a heading 1. not a list \\&amp; more\n",
		"[+1 Keynote](https://conf.example/talks;id=7)",
		"\n  \\-starts with a minus\n",
		"\n- An undated note — Author\n",
	} {
		if !strings.Contains(out, s) {
			t.Errorf("output lacks %q", s)
		}
	}
}

func TestMarkdownEscaping(t *testing.T) {
	for _, tt := range []struct{ title, url, want string }{
		{"a *b* _c_", "", "a \\*b\\* \\_c\\_"},
		{"[x](javascript:alert(1))", "", "\\[x\\](javascript:alert(1))"},
		{"<img src=x onerror=alert(1)>", "", "(untitled)"}, // a tag and nothing else is no title
		{"a &lt;b&gt; c", "", "a \\<b\\> c"},
		{"AT&T &amp;copy;", "", "AT&T \\&copy;"},
		{"pipes | and `ticks`", "", "pipes \\| and \\`ticks\\`"},
		{"Title", "javascript:alert(1)", "Title (javascript:alert(1))"},
		{"Title", "JAVASCRIPT://x.example/%0aalert(1)", "Title (JAVASCRIPT://x.example/%0aalert(1))"},
		{"Title", "data:text/html,<b>x</b>", "Title (data:text/html,\\<b\\>x\\</b\\>)"},
		{"Title", "https://x.example/a (b)<c>\"d\"", "[Title](https://x.example/a%20%28b%29%3Cc%3E%22d%22)"},
		{"Title", "HTTPS://X.example/", "[Title](HTTPS://X.example/)"},
	} {
		rows := []harvester.Contribution{{ID: "x", Date: "2026-01-01", ActivityType: "Blog", Title: tt.title, URL: tt.url}}
		out := encodeFormat(t, "md", export.Options{}, rows)
		checkMarkdown(t, out)
		if !strings.Contains(out, "- 2026-01-01 — "+tt.want+"\n") {
			t.Errorf("title %q, url %q:\n%s\nwant bullet %q", tt.title, tt.url, out, tt.want)
		}
	}
}

func TestMarkdownLineStarts(t *testing.T) {
	for _, tt := range []struct{ desc, want string }{
		{"# h", "\\# h"}, {"## h", "\\## h"}, {"- item", "\\- item"}, {"+ item", "\\+ item"},
		{"===", "\\==="}, {"1. item", "1\\. item"}, {"12) item", "12\\) item"}, {"> quote", "\\> quote"},
		{"2026 was good.", "2026 was good."}, {"C# rocks", "C# rocks"},
	} {
		rows := []harvester.Contribution{{ID: "x", Date: "2026-01-01", ActivityType: "Blog", Title: "t", Description: tt.desc}}
		out := encodeFormat(t, "md", export.Options{}, rows)
		if !strings.Contains(out, "\n  "+tt.want+"\n") {
			t.Errorf("description %q:\n%s\nwant line %q", tt.desc, out, tt.want)
		}
	}
}

func TestMarkdownEmpty(t *testing.T) {
	out := encodeFormat(t, "md", export.Options{}, nil)
	if out != "# Contributions\n\nNo contributions.\n" {
		t.Errorf("empty log = %q", out)
	}
	// Only excluded rows, without --all: still empty.
	rows := []harvester.Contribution{{ID: "x", Date: "2026-01-01", Title: "t", Excluded: true}}
	if out := encodeFormat(t, "md", export.Options{}, rows); !strings.Contains(out, "No contributions.") {
		t.Errorf("only excluded rows = %q", out)
	}
}

// TestMarkdownByPerson: with ByPerson every person has a section, in name
// order, their months and types one level down.
func TestMarkdownByPerson(t *testing.T) {
	rows := []harvester.Contribution{
		{ID: "a", Person: "Priya Raman", ActivityType: harvester.TypeBlog, Date: "2026-03-02", Title: "One"},
		{ID: "b", Person: "Ada Lovelace", ActivityType: harvester.TypeBlog, Date: "2026-03-05", Title: "Two"},
		{ID: "c", Person: "Priya Raman", ActivityType: harvester.TypePodcast, Date: "2026-04-01", Title: "Three"},
		{ID: "d", Person: "", ActivityType: harvester.TypeBlog, Date: "2026-04-02", Title: "Four"},
	}
	out := encodeFormat(t, "md", export.Options{ByPerson: true}, rows)
	want := "# Contributions\n\n## Ada Lovelace\n\n### 2026-03 — March 2026\n\n#### Blog\n\n- 2026-03-05 — Two\n" +
		"\n## Priya Raman\n\n### 2026-03 — March 2026\n\n#### Blog\n\n- 2026-03-02 — One\n\n### 2026-04 — April 2026\n\n#### Podcast\n\n- 2026-04-01 — Three\n" +
		"\n## (no person)\n\n### 2026-04 — April 2026\n\n#### Blog\n\n- 2026-04-02 — Four\n"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
	if one := encodeFormat(t, "md", export.Options{}, rows); strings.Contains(one, "## Ada") {
		t.Errorf("persons without ByPerson:\n%s", one)
	}
}
