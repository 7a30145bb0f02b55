package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"sync"
	"testing"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/sources/fetch"
)

// unwrapSource is the source redactedSource wraps, or src.
func unwrapSource(src harvester.Source) harvester.Source {
	if w, ok := src.(interface{ Unwrap() harvester.Source }); ok {
		return w.Unwrap()
	}
	return src
}

const testSecret = "s3cr3t-T0KEN-value-1234"

func testSecrets() *fetch.Secrets {
	s := &fetch.Secrets{}
	s.Add(testSecret, "${TOKEN}")
	return s
}

// A secret split over two writes, or over many one-byte writes, is
// masked all the same; what could begin one is written at the next write
// or at Flush; without secrets the writer passes everything through.
func TestRedactWriter(t *testing.T) {
	for _, chunks := range [][]string{
		{"token: " + testSecret + "\n"},
		{"token: s3cr3t-T0K", "EN-value-1234 and more\n"},
		strings.Split("token: "+testSecret+" at the end", ""),
		{"ends with the start of one: s3cr3t"},
		{"s3cr3t-T0KEN-value-12", "35 is not it\n"},
	} {
		var out bytes.Buffer
		w := &redactWriter{w: &out, secrets: testSecrets}
		for _, c := range chunks {
			if n, err := w.Write([]byte(c)); n != len(c) || err != nil {
				t.Fatalf("Write(%q) = %d, %v", c, n, err)
			}
		}
		w.Flush()
		want := strings.ReplaceAll(strings.Join(chunks, ""), testSecret, "${TOKEN}")
		if out.String() != want {
			t.Errorf("wrote %q, want %q", out.String(), want)
		}
	}
	var out bytes.Buffer
	w := &redactWriter{w: &out, secrets: func() *fetch.Secrets { return nil }}
	w.Write([]byte("s3cr3t"))
	if out.String() != "s3cr3t" {
		t.Errorf("without secrets: %q", out.String())
	}
}

// Writers from many goroutines (the daemon's log) never interleave inside
// a secret.
func TestRedactWriterConcurrent(t *testing.T) {
	var out bytes.Buffer
	w := &redactWriter{w: &out, secrets: testSecrets}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 50; j++ {
				fmt.Fprintf(w, "line %d %s\n", j, testSecret)
			}
		}()
	}
	wg.Wait()
	w.Flush()
	if strings.Contains(out.String(), testSecret) || strings.Count(out.String(), "${TOKEN}") != 400 {
		t.Errorf("concurrent writes: %d masks, secret shown %v", strings.Count(out.String(), "${TOKEN}"), strings.Contains(out.String(), testSecret))
	}
}

// fakeSource returns a fixed batch and error.
type fakeSource struct {
	batch *harvester.Batch
	err   error
}

func (f fakeSource) Name() string { return "fake" }
func (f fakeSource) Type() string { return "feed" }
func (f fakeSource) Harvest(context.Context, harvester.SourceState) (*harvester.Batch, error) {
	return f.batch, f.err
}

// redactedSource stores no secret and no listing's URL: links that hold
// one are dropped, text has it masked, the error keeps its chain.
func TestRedactedSource(t *testing.T) {
	o := harvester.Observation{Source: "fake", NativeID: "n1", Title: "Talk " + testSecret,
		URL: "https://cal.example/" + testSecret + "/e/1", CanonicalURL: "https://group.example/events/ical",
		OtherURLs:   []string{"https://rec.example/1", "https://CAL.example/talks.ics?utm_source=x", "https://x.example/?k=" + testSecret},
		Description: "See " + testSecret, Authors: []string{testSecret}, Meta: map[string]string{"calendar": "from " + testSecret}}
	batch := &harvester.Batch{Observations: []harvester.Observation{o}, Data: map[string]string{"cursor": testSecret}}
	err := fmt.Errorf("GET https://x.example/%s: %w", testSecret, fs.ErrNotExist)
	src := redactedSource{Source: fakeSource{batch, err}, secrets: testSecrets(),
		listings: []string{harvester.CanonicalURL("https://cal.example/talks.ics"), harvester.CanonicalURL("https://group.example/events/ical")}}
	b, gotErr := src.Harvest(context.Background(), harvester.SourceState{})
	got := b.Observations[0]
	if got.URL != "" || got.CanonicalURL != "" || strings.Join(got.OtherURLs, " ") != "https://rec.example/1" {
		t.Errorf("links: URL %q, canonical %q, other %q", got.URL, got.CanonicalURL, got.OtherURLs)
	}
	all := fmt.Sprintf("%+v %v %v", got, b.Data, gotErr)
	if strings.Contains(all, testSecret) {
		t.Errorf("a secret is kept: %s", all)
	}
	if got.Title != "Talk ${TOKEN}" || got.Meta["calendar"] != "from ${TOKEN}" {
		t.Errorf("text: title %q, meta %v", got.Title, got.Meta)
	}
	if !errors.Is(gotErr, fs.ErrNotExist) || !strings.Contains(gotErr.Error(), "GET https://x.example/${TOKEN}") {
		t.Errorf("error = %v (chain kept: %v)", gotErr, errors.Is(gotErr, fs.ErrNotExist))
	}
}
