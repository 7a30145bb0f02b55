package export_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/export"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// fixture is a small log, oldest first, with every case the encoders must
// survive: HTML, over-long text, formula-looking cells, a tab-led cell,
// invalid UTF-8, terminal escapes, Markdown syntax, an excluded row, lists,
// metrics, CJK, a curated row, a type of the config's own and the forms'
// fields.
func fixture() []harvester.Contribution {
	seen := time.Date(2026, 3, 2, 9, 30, 15, 123456789, time.UTC)
	return []harvester.Contribution{
		{ID: "u000000000", Person: "Priya Raman", ActivityType: harvester.TypeArticle, Title: "An undated note",
			Role: "Author", Sources: []string{"manual"}},
		{ID: "aaaaaaaaaa", Person: "Priya Raman", ActivityType: harvester.TypeBlog, Date: "2026-03-02",
			Title:       "Conditional Access <em>day one</em>",
			Description: "<p>Five &amp; more <b>policies</b></p><script>alert(1)</script><p>Q&A after.</p>",
			URL:         "https://priyaraman.dev/ca/", Role: "Author", PrimaryArea: "Identity & Access",
			AdditionalAreas: []string{"Security", "Azure"}, TargetAudience: []string{"IT Pro", "Developer"},
			OtherURLs: []string{"https://dev.to/priya/ca", "https://medium.com/@priya/ca"},
			Sources:   []string{"blog", "devto", "medium"}, Metrics: map[string]int64{"views": 1200, "reactions": 31}, Reach: 1200,
			Observations: []harvester.ObservationRef{
				{Source: "blog", NativeID: "https://priyaraman.dev/ca/", URL: "https://priyaraman.dev/ca/",
					Title: "Conditional Access day one", Date: "2026-03-02", FirstSeen: seen, LastSeen: seen.Add(48 * time.Hour)},
				{Source: "devto", NativeID: "1234", URL: "https://dev.to/priya/ca", Title: "Conditional Access day one",
					Date: "2026-03-03"},
			}},
		{ID: "bbbbbbbbbb", Person: "Priya Raman", ActivityType: harvester.TypeBlog, Date: "2026-03-10",
			Title: `=HYPERLINK("http://evil.example","click")`, Description: "+1 for this -x @SUM(A1:A9)",
			URL: "https://priyaraman.dev/formula/", Role: "Author", PrimaryArea: "-x", Sources: []string{"blog"}},
		{ID: "cccccccccc", Person: "Priya Raman", ActivityType: harvester.TypeVideo, Date: "2026-04-01",
			Title:       strings.Repeat("Deploying Bicep modules at scale ", 10), // 330 characters
			Description: strings.Repeat("A long walk through registries, versioning and what-if. ", 36),
			URL:         "https://www.youtube.com/watch?v=abc123", Role: "Presenter", Reach: 5400,
			Metrics: map[string]int64{"views": 5400}, Sources: []string{"youtube"}},
		{ID: "dddddddddd", Person: "\tPriya Raman", ActivityType: harvester.TypeThirdParty, Date: "2026-04-15",
			EndDate: "2026-04-16", Title: "@SUM talk: caf\xe9 \xff\xfe bytes", Description: "-starts with a minus",
			URL: "javascript:alert(1)", Role: "Speaker", AdditionalAreas: []string{"\t=1+1"},
			Sources: []string{"usergroup"}, Excluded: true, Curated: []string{"excluded"}},
		{ID: "eeeeeeeeee", Person: "Priya Raman", ActivityType: harvester.TypeMentorship, Date: "2026-04-20",
			EndDate: "2026-06-30", Title: "日本語のタイトル：ゼロトラスト入門", Description: "週次のメンタリング",
			Quantity: 3, Reach: 3, Role: "Mentor", Curated: []string{"reach", "title"}, Sources: []string{"manual"}},
		{ID: "ffffffffff", Person: "Priya Raman", ActivityType: harvester.TypeOpenSource, Date: "2026-05-05",
			Title:       "Fix `nil` *panic* in [router] | table_name <b>bold</b> ~~x~~ \x1b[31mred\x1b[0m\nnext \u202eevil",
			Description: "# Not a heading\n1. not a list &amp;amp; more",
			URL:         "https://github.com/priyar/router/pull/42", Role: "Contributor", Reach: 0,
			OtherURLs: []string{"https://github.com/priyar/router/issues/41", "mailto:priya@example.com"},
			Sources:   []string{"github"}, Curated: []string{"date"}},
		{ID: "gggggggggg", Person: "Priya Raman", ActivityType: "Conference keynote", Date: "2026-05-20",
			Title: "+1 Keynote", Description: "Opening keynote of the conference.",
			URL: "https://conf.example/talks;id=7", Role: "Speaker", PrimaryArea: "Cloud",
			AdditionalAreas: []string{"Dev; Ops"}, OtherURLs: []string{"https://conf.example/video?t=1;2"},
			Sources: []string{"sessionize", "ics"},
			// The forms' fields are in the JSON only: the CSV, Markdown and
			// table goldens are as they were before them.
			PrivateDescription: "Keynote for <b>2,000</b> people; =not a formula in JSON", MicrosoftEvent: "Other",
			HighImpact: true, Counts: map[string]int64{"attendees": 2000, "sessions": 1, "views": 0}},
	}
}

// encode runs the rows through enc and returns what it wrote.
func encode(t testing.TB, enc export.Encoder, buf *bytes.Buffer, rows []harvester.Contribution) string {
	t.Helper()
	for i := range rows {
		if err := enc.Encode(&rows[i]); err != nil {
			t.Fatalf("encode row %d: %v", i, err)
		}
	}
	if err := enc.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	return buf.String()
}

// encodeFormat encodes rows in one of New's formats.
func encodeFormat(t testing.TB, format string, opts export.Options, rows []harvester.Contribution) string {
	t.Helper()
	var buf bytes.Buffer
	enc, err := export.New(format, &buf, opts)
	if err != nil {
		t.Fatal(err)
	}
	return encode(t, enc, &buf, rows)
}

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(want) == got {
		return
	}
	gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
	for i := 0; i < max(len(gl), len(wl)); i++ {
		var g, w string
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w {
			t.Fatalf("%s differs at line %d (run go test -update and review the diff):\n got: %q\nwant: %q", name, i+1, g, w)
		}
	}
}
