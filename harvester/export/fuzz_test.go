package export_test

import (
	"strings"
	"testing"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/export"
)

// FuzzEncoders feeds harvested text (titles, descriptions and URLs come
// from the internet) to every encoder and checks what must hold whatever
// it is: the CSV parses back with 16 clean, defused, capped cells; the
// JSON parses back with the contract's keys; the Markdown links only
// http(s) URLs and lets no HTML through; the table shows no control
// character.
func FuzzEncoders(f *testing.F) {
	for _, c := range fixture() {
		other := ""
		if len(c.OtherURLs) > 0 {
			other = c.OtherURLs[0]
		}
		f.Add(c.Title, c.Description, c.URL, other, c.Person)
	}
	f.Add("]( javascript:x)", "\r\n=1", "http://a b/)[", "data:,x", "-@")
	f.Fuzz(func(t *testing.T, title, desc, url, other, person string) {
		rows := []harvester.Contribution{{
			ID: "fuzz", Person: person, ActivityType: person, Date: "2026-01-02", Title: title, Description: desc,
			URL: url, OtherURLs: []string{other, url}, AdditionalAreas: []string{person, title},
			Sources: []string{other}, Metrics: map[string]int64{person: 1}, Curated: []string{"title", person},
			Observations: []harvester.ObservationRef{{Source: person, Title: title, URL: url}},
		}}
		recs := readCSV(t, encodeFormat(t, "csv", export.Options{}, rows))
		if len(recs) != 2 {
			t.Fatalf("%d CSV records, want 2", len(recs))
		}
		readJSON(t, encodeFormat(t, "json", export.Options{All: true}, rows), true)
		checkMarkdown(t, encodeFormat(t, "md", export.Options{}, rows))
		table := encodeTable(t, export.TableOptions{}, rows)
		checkTable(t, table)
		if n := strings.Count(table, "\n"); n < 2 || n > 3 {
			t.Errorf("table of one row has %d lines:\n%s", n, table)
		}
	})
}

// TestHostileText runs text that once broke, or could break, the
// cleaning through every encoder: invalid UTF-8 and case changes that
// alter byte lengths before a tag, terminal escapes, bidi overrides.
func TestHostileText(t *testing.T) {
	for _, s := range []string{
		"\xe0\xe0\xe0\xe0>A000000<", "İİİİ<b>x</b>", "\xff<p>a</p><script>x</script>b", "<SCRIPT>x</SCRIPT>ok",
		"\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\", "\u202egnp.exe", "a\u2028b\u2029c", "<!-- unterminated",
		"&#0; &#xD800; &bogus; &", "\x00\x01\x02", "-\t=1", strings.Repeat("é", 300),
	} {
		rows := []harvester.Contribution{{ID: s, Person: s, ActivityType: s, Date: "2026-01-01", Title: s, Description: s,
			URL: s, Role: s, OtherURLs: []string{s}, Sources: []string{s}, Metrics: map[string]int64{s: 1}}}
		readCSV(t, encodeFormat(t, "csv", export.Options{}, rows))
		readJSON(t, encodeFormat(t, "json", export.Options{}, rows), false)
		checkMarkdown(t, encodeFormat(t, "md", export.Options{}, rows))
		checkTable(t, encodeTable(t, export.TableOptions{}, rows))
	}
}
