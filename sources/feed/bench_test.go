package feed_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/mmcdole/gofeed"

	"github.com/contriblog/contriblog/sources/feed"
)

// bench50.xml is one feed the bench command serves (50 items of 1.0–1.5
// KB). BenchmarkGofeed is what the bench's floor does with it, so the two
// benchmarks side by side show what mapping items costs over parsing them.
func benchDoc(b *testing.B) []byte {
	doc, err := os.ReadFile("testdata/bench50.xml")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	return doc
}

func BenchmarkParseBenchFeed(b *testing.B) {
	doc := benchDoc(b)
	for b.Loop() {
		if _, obs, err := feed.Parse(doc, feed.Config{Name: "b", URL: "https://example.com/"}); err != nil || len(obs) != 50 {
			b.Fatal(len(obs), err)
		}
	}
}

func BenchmarkGofeedBenchFeed(b *testing.B) {
	doc := benchDoc(b)
	p := gofeed.NewParser()
	for b.Loop() {
		if _, err := p.Parse(bytes.NewReader(doc)); err != nil {
			b.Fatal(err)
		}
	}
}
