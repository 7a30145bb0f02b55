package export_test

import (
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/export"
)

// benchRows is a log of n rows shaped like a real one: plain titles and
// descriptions of a few hundred characters (a few with an '&'), one to
// three sources, areas, metrics and observations.
func benchRows(n int) []harvester.Contribution {
	types := []string{harvester.TypeBlog, harvester.TypeVideo, harvester.TypeOpenSource, harvester.TypeThirdParty}
	seen := time.Date(2025, 4, 1, 8, 0, 0, 0, time.UTC)
	rows := make([]harvester.Contribution, n)
	for i := range rows {
		date := seen.AddDate(0, 0, i/150).Format(harvester.DateLayout)
		url := fmt.Sprintf("https://priyaraman.dev/posts/%d-zero-trust-in-practice/", i)
		desc := fmt.Sprintf("Part %d of the series on conditional access, workload identities and the "+
			"authentication strength policies that keep a tenant safe without getting in the way of the "+
			"people who use it. With the Bicep templates, the what-if output and the lessons learned on the way.", i)
		if i%10 == 0 {
			desc += " Q&A at the end."
		}
		rows[i] = harvester.Contribution{
			ID: harvester.ShortID(url), Person: "Priya Raman", ActivityType: types[i%len(types)], Date: date,
			Title:       fmt.Sprintf("Zero Trust in practice, part %d: conditional access for workloads", i),
			Description: desc, URL: url, Role: "Author", PrimaryArea: "Identity & Access",
			AdditionalAreas: []string{"Security", "Azure Infrastructure as Code"}[:i%3%2+1],
			OtherURLs:       []string{"https://dev.to/priya/" + fmt.Sprint(i)}[:i%2],
			Sources:         []string{"blog", "devto", "medium"}[:i%3+1],
			Reach:           int64(i % 5000), Metrics: map[string]int64{"views": int64(i % 5000)},
			Observations: []harvester.ObservationRef{{Source: "blog", NativeID: url, URL: url,
				Title: "Zero Trust in practice", Date: date, FirstSeen: seen, LastSeen: seen}},
		}
	}
	return rows
}

func benchmarkEncoder(b *testing.B, mk func(io.Writer) export.Encoder) {
	rows := benchRows(50000)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		enc := mk(io.Discard)
		for i := range rows {
			if err := enc.Encode(&rows[i]); err != nil {
				b.Fatal(err)
			}
		}
		if err := enc.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCSV50k encodes a log of 50,000 contributions to CSV (one op is
// the whole log).
func BenchmarkCSV50k(b *testing.B) {
	benchmarkEncoder(b, func(w io.Writer) export.Encoder { return export.NewCSVEncoder(w, export.Options{}) })
}

// BenchmarkJSON50k encodes a log of 50,000 contributions to JSON.
func BenchmarkJSON50k(b *testing.B) {
	benchmarkEncoder(b, func(w io.Writer) export.Encoder { return export.NewJSONEncoder(w, export.Options{}) })
}

// BenchmarkMarkdown50k encodes a log of 50,000 contributions to Markdown.
func BenchmarkMarkdown50k(b *testing.B) {
	benchmarkEncoder(b, func(w io.Writer) export.Encoder { return export.NewMarkdownEncoder(w, export.Options{}) })
}

// BenchmarkTable50k prints a log of 50,000 contributions as the list table.
func BenchmarkTable50k(b *testing.B) {
	benchmarkEncoder(b, func(w io.Writer) export.Encoder { return export.NewTableEncoder(w, export.TableOptions{}) })
}
