package export

import (
	"bytes"
	"strings"
	"testing"

	"github.com/contriblog/contriblog/harvester"
)

func TestDisplayWidth(t *testing.T) {
	for _, tt := range []struct {
		s    string
		want int
	}{
		{"", 0}, {"abc", 3}, {"日本語", 6}, {"ｱｲｳ", 3}, {"ＡＢ", 4}, {"한국어", 6},
		{"e\u0301", 1}, {"👍", 2}, {"a\u200db", 2}, {"café", 4}, {"…", 1}, {"\x1b", 0},
	} {
		if got := displayWidth(tt.s); got != tt.want {
			t.Errorf("displayWidth(%q) = %d, want %d", tt.s, got, tt.want)
		}
	}
}

func TestFitWidth(t *testing.T) {
	for _, tt := range []struct {
		s    string
		cols int
		want string
	}{
		{"short", 10, "short"},
		{"exactly ten", 11, "exactly ten"},
		{"one two three four five", 12, "one two…"},
		{"abcdefghijklmnop", 8, "abcdefg…"},
		{"日本語のタイトル", 8, "日本語…"},
		{"日本語のタイトル", 9, "日本語の…"},
		{"ab日本", 5, "ab日…"},
		{"ab日本", 4, "ab…"},
		{"anything", 1, "…"},
		{"anything", 0, ""},
	} {
		got := fitWidth(tt.s, tt.cols)
		if got != tt.want || displayWidth(got) > max(tt.cols, 0) {
			t.Errorf("fitWidth(%q, %d) = %q (%d cols), want %q", tt.s, tt.cols, got, displayWidth(got), tt.want)
		}
	}
}

// TestTableAlignment: every column starts at the same terminal column on
// every line, CJK titles included.
func TestTableAlignment(t *testing.T) {
	var buf bytes.Buffer
	enc := NewTableEncoder(&buf, TableOptions{All: true, Width: 30})
	rows := []harvester.Contribution{
		{ID: "a1", Date: "2026-01-01", ActivityType: harvester.TypeBlog, Title: "Plain title", Sources: []string{"blog"}},
		{ID: "b2", Date: "2026-01-02", ActivityType: harvester.TypeVideo, Title: "日本語のタイトル：ゼロトラスト入門とその先", Reach: 12345, Sources: []string{"youtube"}},
		{ID: "c3", Date: "2026-01-03", ActivityType: harvester.TypeBook, Title: "Ça marche — naïve café", Reach: 7, Sources: []string{"manual"}},
		{ID: "d4", Date: "2026-01-04", ActivityType: harvester.TypeBlog, Title: "Emoji 👍 title", Sources: []string{"blog"}},
	}
	for i := range rows {
		enc.Encode(&rows[i])
	}
	enc.Close()
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	header := lines[0]
	src := displayWidth(header[:strings.Index(header, "SOURCES")])
	reachEnd := displayWidth(header[:strings.Index(header, "REACH")+len("REACH")])
	for n, line := range lines[1:] {
		i := strings.LastIndex(line, "  ")
		if got := displayWidth(line[:i+2]); got != src {
			t.Errorf("sources at column %d, want %d:\n%s", got, src, buf.String())
		}
		if rows[n].Reach == 0 {
			continue
		}
		trimmed := strings.TrimRight(line[:i], " ")
		if got := displayWidth(trimmed); got != reachEnd {
			t.Errorf("reach ends at column %d, want %d (right-aligned):\n%s", got, reachEnd, buf.String())
		}
	}
}

func TestShortType(t *testing.T) {
	for in, want := range map[string]string{
		harvester.TypeBlog: "Blog", harvester.TypeVideo: "Video", harvester.TypeThirdParty: "Talk",
		harvester.TypeOpenSource: "OSS", "open source/project/sample code/tools": "OSS",
		"Conference keynote": "Conference keynote", "A very long custom activity type name": "A very long custom…",
	} {
		if got := shortType(in); got != want {
			t.Errorf("shortType(%q) = %q, want %q", in, got, want)
		}
	}
}
