package export_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/export"
)

var update = flag.Bool("update", false, "rewrite golden files")

func fixture() []harvester.Contribution {
	return []harvester.Contribution{
		{ID: "aaaaaaaaaa", Person: "Priya Raman", ActivityType: harvester.TypeBlog, Date: "2026-03-02",
			Title: "Conditional Access <em>day one</em>", Description: "<p>Five &amp; more</p><script>x()</script>",
			URL: "https://priyaraman.dev/ca/", Role: "Author", PrimaryArea: "Identity & Access",
			AdditionalAreas: []string{"Security"}, OtherURLs: []string{"https://dev.to/p/ca", "https://medium.com/p/ca"},
			Sources: []string{"blog", "devto", "medium"}, Metrics: map[string]int64{"views": 10}, Reach: 10},
		{ID: "bbbbbbbbbb", Person: "Priya Raman", ActivityType: harvester.TypeBlog, Date: "2026-03-10",
			Title: "=HYPERLINK(\"http://evil\",\"x\")", Description: "+1 -2 @SUM", URL: "https://x.dev/a", Sources: []string{"blog"}},
		{ID: "cccccccccc", Person: "Priya Raman", ActivityType: harvester.TypeVideo, Date: "2026-04-01",
			Title: strings.Repeat("long title words ", 20), Description: strings.Repeat("description text ", 150),
			URL: "https://youtube.com/watch?v=1", Sources: []string{"youtube"}},
		{ID: "dddddddddd", Person: "Priya Raman", ActivityType: harvester.TypeThirdParty, Date: "2026-04-15", EndDate: "2026-04-15",
			Title: "\tTabbed \xff invalid", Description: "-starts with minus", URL: "javascript:alert(1)", Sources: []string{"talks"}, Excluded: true},
		{ID: "eeeeeeeeee", Person: "Priya Raman", ActivityType: harvester.TypeMentorship, Date: "2026-05-01",
			Title: "日本語のタイトル *bold* [x]", Quantity: 3, Curated: []string{"title"}, Sources: []string{"manual"}},
	}
}

func encode(t *testing.T, format string, opts export.Options) string {
	t.Helper()
	var buf bytes.Buffer
	enc, err := export.New(format, &buf, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range fixture() {
		if err := enc.Encode(&c); err != nil {
			t.Fatal(err)
		}
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		os.WriteFile(p, []byte(got), 0o644)
	}
	want, err := os.ReadFile(p)
	if err != nil || string(want) != got {
		t.Errorf("%s differs from golden (run with -update and review):\n%s", name, got)
	}
}

func TestCSV(t *testing.T) {
	out := encode(t, "csv", export.Options{})
	golden(t, "log.csv", out)
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != strings.Join(export.Header, ",") || len(export.Header) != 16 {
		t.Fatalf("header = %q", recs[0])
	}
	if len(recs) != 5 {
		t.Fatalf("%d rows, want 4 (excluded row left out)", len(recs)-1)
	}
	for _, r := range recs[1:] {
		for _, c := range r {
			if !utf8.ValidString(c) {
				t.Errorf("invalid UTF-8 in %q", c)
			}
			if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
				t.Errorf("unescaped formula cell %q", c)
			}
		}
		if n := utf8.RuneCountInString(r[5]); n > 100 {
			t.Errorf("title of %d chars", n)
		}
		if n := utf8.RuneCountInString(r[6]); n > 1000 {
			t.Errorf("description of %d chars", n)
		}
	}
	if recs[1][5] != "Conditional Access day one" || recs[1][6] != "Five & more" || recs[1][14] != "https://dev.to/p/ca;https://medium.com/p/ca" {
		t.Errorf("row 1 = %q", recs[1])
	}
	if recs[2][5] != `'=HYPERLINK("http://evil","x")` || recs[2][6] != "'+1 -2 @SUM" {
		t.Errorf("formula cells = %q, %q", recs[2][5], recs[2][6])
	}
	all := encode(t, "csv", export.Options{All: true})
	if n := strings.Count(all, "\n"); n != 6 {
		t.Errorf("--all: %d lines, want 6", n)
	}
}

func TestJSON(t *testing.T) {
	out := encode(t, "json", export.Options{All: true})
	golden(t, "log.json", out)
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	keys := []string{"id", "person", "activity_type", "date", "end_date", "title", "description", "url", "role",
		"primary_area", "additional_areas", "target_audience", "quantity", "reach", "other_urls", "sources",
		"metrics", "observations", "excluded"}
	for _, k := range keys {
		if _, ok := rows[0][k]; !ok {
			t.Errorf("missing key %q", k)
		}
	}
	if rows[4]["additional_areas"] == nil || rows[4]["quantity"].(float64) != 3 {
		t.Errorf("row 5 = %v", rows[4])
	}
	if out := encode(t, "json", export.Options{}); strings.Contains(out, `"excluded"`) {
		t.Error("excluded key without --all")
	}
	var empty bytes.Buffer
	enc := export.NewJSONEncoder(&empty, export.Options{})
	enc.Close()
	if strings.TrimSpace(empty.String()) != "[]" {
		t.Errorf("empty log = %q", empty.String())
	}
}

func TestMarkdown(t *testing.T) {
	out := encode(t, "md", export.Options{All: true})
	golden(t, "log.md", out)
	if strings.Contains(out, "](javascript:") {
		t.Error("javascript: URL linked")
	}
	if !strings.Contains(out, `\*bold\* \[x\]`) {
		t.Error("markdown not escaped")
	}
}

func TestTable(t *testing.T) {
	var buf bytes.Buffer
	enc := export.NewTableEncoder(&buf, export.TableOptions{Width: 30})
	for _, c := range fixture() {
		enc.Encode(&c)
	}
	enc.Close()
	golden(t, "log.table", buf.String())
}

func TestUnknownFormat(t *testing.T) {
	if _, err := export.New("xls", io.Discard, export.Options{}); err == nil || !strings.Contains(err.Error(), "csv, json, md") {
		t.Errorf("err = %v", err)
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.csv")
	if err := export.WriteFileAtomic(p, 0o644, func(w io.Writer) error { _, err := io.WriteString(w, "old"); return err }); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	if err := export.WriteFileAtomic(p, 0o644, func(w io.Writer) error { io.WriteString(w, "half"); return boom }); !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	b, _ := os.ReadFile(p)
	entries, _ := os.ReadDir(dir)
	if string(b) != "old" || len(entries) != 1 {
		t.Errorf("after failed write: %q, %d files", b, len(entries))
	}
	if err := export.WriteFileAtomic(filepath.Join(dir, "missing", "x.csv"), 0o644, func(io.Writer) error { return nil }); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("missing dir err = %v", err)
	}
}

func BenchmarkCSV50k(b *testing.B) {
	rows := fixture()
	for i := 0; i < b.N; i++ {
		enc := export.NewCSVEncoder(io.Discard, export.Options{})
		for j := 0; j < 50000; j++ {
			enc.Encode(&rows[j%3])
		}
		enc.Close()
	}
}
