package feed_test

import (
	"os"
	"strings"
	"testing"

	"github.com/contriblog/contriblog/sources/feed"
)

// TestParseHostile covers documents found where a feed should be: the
// error says what the document is, and never shows the URL's credentials.
func TestParseHostile(t *testing.T) {
	const base = "https://me:hunter2@blog.example/home?token=s3cret"
	bomb, err := os.ReadFile("testdata/entitybomb.xml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, body string
		want       []string
	}{
		{"html with a relative feed link",
			`<!DOCTYPE html><html><head><link rel="alternate" type="application/rss+xml" href="/blog/feed.xml"></head></html>`,
			[]string{"HTML page, not a feed", "try url: https://blog.example/blog/feed.xml"}},
		{"html with an absolute feed link",
			`<html><head><link rel="alternate" type="application/atom+xml" href="https://other.example/atom"></head></html>`,
			[]string{"try url: https://other.example/atom"}},
		{"json api answer", `{"items": 3, "next": "https://api.example/p2"}`, []string{"JSON but not a JSON Feed"}},
		{"broken json feed", `{"version": "https://jsonfeed.org/version/1.1", "items": 3}`, []string{"malformed JSON Feed"}},
		{"entity bomb", string(bomb), []string{"declares its own XML entities"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := feed.Parse([]byte(tt.body), feed.Config{Name: "x", URL: base})
			if err == nil {
				t.Fatal("Parse succeeded")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("err = %v, want %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "s3cret") {
				t.Errorf("err shows a secret: %v", err)
			}
		})
	}
}

// TestRelativeLinksCarryNoCredentials: links resolve against the feed's
// URL without its user:pass@ and secret parameters.
func TestRelativeLinksCarryNoCredentials(t *testing.T) {
	doc := `<rss version="2.0"><channel><title>T</title>
<item><title>A</title><link>/posts/1</link><guid isPermaLink="false">a</guid></item>
<item><title>B</title><link>#b</link><guid isPermaLink="false">b</guid></item></channel></rss>`
	_, obs, err := feed.Parse([]byte(doc), feed.Config{Name: "x", URL: "https://me:hunter2@blog.example/feed?page=2&token=s3cret"})
	if err != nil || len(obs) != 2 {
		t.Fatalf("Parse = %d, %v", len(obs), err)
	}
	if obs[0].URL != "https://blog.example/posts/1" || obs[1].URL != "https://blog.example/feed?page=2#b" {
		t.Errorf("URLs = %q, %q", obs[0].URL, obs[1].URL)
	}
}
