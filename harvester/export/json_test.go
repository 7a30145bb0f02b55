package export_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/export"
)

var (
	contractKeys = []string{"id", "person", "activity_type", "date", "end_date", "title", "description", "url",
		"role", "primary_area", "additional_areas", "target_audience", "quantity", "reach", "other_urls", "sources",
		"private_description", "microsoft_event", "high_impact", "counts", "metrics", "observations"}
	observationKeys = []string{"source", "native_id", "url", "title", "date", "first_seen", "last_seen"}
)

// readJSON parses out back and checks what holds for every JSON export:
// exactly the contract's keys (curated where set, excluded only with
// all), arrays and objects never null, dates YYYY-MM-DD, capped text.
func readJSON(t testing.TB, out string, all bool) []map[string]json.RawMessage {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Error("JSON is not valid UTF-8")
	}
	var rows []map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("JSON does not parse back: %v\n%s", err, out)
	}
	if rows == nil {
		t.Fatalf("JSON is %q, want an array", out)
	}
	for i, row := range rows {
		want := slices.Clone(contractKeys)
		if all {
			want = append(want, "excluded")
		}
		if _, ok := row["curated"]; ok {
			want = append(want, "curated")
		}
		checkKeys(t, i, row, want)
		for _, k := range []string{"additional_areas", "target_audience", "other_urls", "sources", "observations"} {
			if s := string(row[k]); !strings.HasPrefix(s, "[") {
				t.Errorf("row %d %s = %s, want an array", i, k, s)
			}
		}
		for _, k := range []string{"metrics", "counts"} {
			if s := string(row[k]); !strings.HasPrefix(s, "{") {
				t.Errorf("row %d %s = %s, want an object", i, k, s)
			}
		}
		checkDates(t, i, row)
		checkObservations(t, i, row["observations"])
	}
	return rows
}

func checkKeys(t testing.TB, i int, row map[string]json.RawMessage, want []string) {
	t.Helper()
	var got []string
	for k := range row {
		got = append(got, k)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("row %d keys = %v\nwant %v", i, got, want)
	}
}

func checkDates(t testing.TB, i int, row map[string]json.RawMessage) {
	t.Helper()
	for _, k := range []string{"date", "end_date"} {
		var d string
		json.Unmarshal(row[k], &d)
		if _, err := time.Parse(harvester.DateLayout, d); d != "" && err != nil {
			t.Errorf("row %d %s = %q, want YYYY-MM-DD", i, k, d)
		}
	}
	var title, desc string
	json.Unmarshal(row["title"], &title)
	json.Unmarshal(row["description"], &desc)
	if utf8.RuneCountInString(title) > export.MaxTitle || utf8.RuneCountInString(desc) > export.MaxDescription {
		t.Errorf("row %d: title or description over its cap", i)
	}
}

func checkObservations(t testing.TB, i int, raw json.RawMessage) {
	t.Helper()
	var obs []map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obs); err != nil {
		t.Errorf("row %d observations: %v", i, err)
	}
	for j, o := range obs {
		checkKeys(t, i*100+j, o, slices.Clone(observationKeys))
		var title string
		json.Unmarshal(o["title"], &title)
		if utf8.RuneCountInString(title) > export.MaxTitle {
			t.Errorf("row %d observation %d: title over its cap", i, j)
		}
		for _, k := range []string{"first_seen", "last_seen"} {
			var s *string
			if err := json.Unmarshal(o[k], &s); err != nil {
				t.Errorf("row %d observation %d %s = %s", i, j, k, o[k])
			} else if s != nil {
				if _, err := time.Parse(time.RFC3339, *s); err != nil {
					t.Errorf("row %d observation %d %s = %q, want RFC 3339", i, j, k, *s)
				}
			}
		}
	}
}

func TestJSONGolden(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts export.Options
		rows int
	}{
		{"log.json", export.Options{}, 7},
		{"log-all.json", export.Options{All: true}, 8},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out := encodeFormat(t, "json", tt.opts, fixture())
			golden(t, tt.name, out)
			if rows := readJSON(t, out, tt.opts.All); len(rows) != tt.rows {
				t.Errorf("%d rows, want %d", len(rows), tt.rows)
			}
		})
	}
}

// TestJSONValues checks the values that carry the contract's rules, read
// back the way the daemon's client reads them (into Contribution).
func TestJSONValues(t *testing.T) {
	out := encodeFormat(t, "json", export.Options{All: true}, fixture())
	var rows []harvester.Contribution
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("JSON does not decode into harvester.Contribution: %v", err)
	}
	byID := map[string]harvester.Contribution{}
	for _, r := range rows {
		byID[r.ID] = r
	}
	a := byID["aaaaaaaaaa"]
	if a.Title != "Conditional Access day one" || a.Description != "Five & more policies Q&A after." {
		t.Errorf("HTML not stripped: %q, %q", a.Title, a.Description)
	}
	if a.Metrics["views"] != 1200 || len(a.OtherURLs) != 2 || len(a.Sources) != 3 || a.Quantity != 1 {
		t.Errorf("row a = %+v", a)
	}
	if o := a.Observations; len(o) != 2 || !o[0].FirstSeen.Equal(time.Date(2026, 3, 2, 9, 30, 15, 0, time.UTC)) || !o[1].FirstSeen.IsZero() {
		t.Errorf("observations = %+v", o)
	}
	if b := byID["bbbbbbbbbb"]; b.Title != `=HYPERLINK("http://evil.example","click")` {
		t.Errorf("JSON title was formula-escaped: %q", b.Title)
	}
	if d := byID["dddddddddd"]; !d.Excluded || d.Person != "Priya Raman" || d.Title != "@SUM talk: caf bytes" {
		t.Errorf("row d = %+v", d)
	}
	if e := byID["eeeeeeeeee"]; e.Quantity != 3 || !slices.Equal(e.Curated, []string{"reach", "title"}) {
		t.Errorf("row e = %+v", e)
	}
	if !strings.Contains(out, `Q&A after."`) {
		t.Error("JSON escapes & as \\u0026: keep it readable")
	}
	if without := encodeFormat(t, "json", export.Options{}, fixture()); strings.Contains(without, `"excluded"`) {
		t.Error("excluded key without Options.All")
	}
}

func TestJSONEmpty(t *testing.T) {
	for _, all := range []bool{false, true} {
		out := encodeFormat(t, "json", export.Options{All: all}, nil)
		if out != "[]\n" {
			t.Errorf("empty log = %q, want []", out)
		}
		readJSON(t, out, all)
	}
	// A row with nothing in it still has every key, arrays and all.
	out := encodeFormat(t, "json", export.Options{}, []harvester.Contribution{{ID: "x"}})
	rows := readJSON(t, out, false)
	if string(rows[0]["metrics"]) != "{}" || string(rows[0]["additional_areas"]) != "[]" {
		t.Errorf("zero row = %s", out)
	}
}

// TestJSONObservationTitleCapped: each observation's title is cleaned and
// capped exactly as the row's title is.
func TestJSONObservationTitleCapped(t *testing.T) {
	long := "<b>Zero trust</b> " + strings.Repeat("conditional access policies for everyone ", 20)
	row := harvester.Contribution{ID: "x", Title: long, Observations: []harvester.ObservationRef{
		{Source: "blog", NativeID: "1", Title: long},
		{Source: "devto", NativeID: "2", Title: "Short &amp; sweet"},
	}}
	out := encodeFormat(t, "json", export.Options{}, []harvester.Contribution{row})
	var rows []struct {
		Title        string `json:"title"`
		Observations []struct {
			Title string `json:"title"`
		} `json:"observations"`
	}
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	got := rows[0]
	if n := utf8.RuneCountInString(got.Title); n > export.MaxTitle || !strings.HasSuffix(got.Title, "…") {
		t.Fatalf("row title (%d characters) not capped: %q", n, got.Title)
	}
	if o := got.Observations[0].Title; o != got.Title {
		t.Errorf("observation title = %q (%d characters)\nwant the row's %q", o, utf8.RuneCountInString(o), got.Title)
	}
	if o := got.Observations[1].Title; o != "Short & sweet" {
		t.Errorf("short observation title = %q", o)
	}
}

// TestJSONReachNullWhenUnknown: reach is a number when a source reported
// a count of people reached (0 included) or a person set it, and null
// when nothing said; the CSV keeps its empty cell for an unknown reach.
func TestJSONReachNullWhenUnknown(t *testing.T) {
	tests := []struct {
		name string
		row  harvester.Contribution
		want string
	}{
		{"nothing reported", harvester.Contribution{ID: "a", Metrics: map[string]int64{"comments": 4}}, "null"},
		{"a count", harvester.Contribution{ID: "b", Reach: 1200, Metrics: map[string]int64{"views": 1200}}, "1200"},
		{"a reported zero", harvester.Contribution{ID: "c", Metrics: map[string]int64{"stars": 0}}, "0"},
		{"curated zero", harvester.Contribution{ID: "d", Curated: []string{"reach"}}, "0"},
		{"hand-kept", harvester.Contribution{ID: "e", Reach: 12}, "12"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows := readJSON(t, encodeFormat(t, "json", export.Options{}, []harvester.Contribution{tt.row}), false)
			if got := string(rows[0]["reach"]); got != tt.want {
				t.Errorf("reach = %s, want %s", got, tt.want)
			}
			csvRows := readCSV(t, encodeFormat(t, "csv", export.Options{}, []harvester.Contribution{tt.row}))
			wantCell := tt.want
			if wantCell == "null" || wantCell == "0" {
				wantCell = "" // as before: the CSV's Reach is empty unless positive
			}
			if got := csvRows[1][13]; got != wantCell {
				t.Errorf("CSV Reach = %q, want %q", got, wantCell)
			}
		})
	}
}
