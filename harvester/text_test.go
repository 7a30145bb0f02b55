package harvester_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/contriblog/contriblog/harvester"
)

func TestPlainText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain", "plain"},
		{"<p>Hello <b>world</b></p>", "Hello world"},
		{"a&amp;b &lt;tag&gt; &hellip;", "a&b <tag> …"},
		{"<script>alert(1)</script>after", "after"},
		{"<style>p{}</style><p>x</p>", "x"},
		{"<!-- hidden -->shown", "shown"},
		{"line<br/>break", "line break"},
		{"a < b and c > d", "a < b and c > d"},
		{"  lots \n\t of   space  ", "lots of space"},
		{"bad\xffutf8", "badutf8"},
		{"ctrl\x00\x07chars\u200b", "ctrlchars"},
		{"<p>unclosed", "unclosed"},
		{"<a href='x'", ""},
		{"émoji 🎉 kept", "émoji 🎉 kept"},
	}
	for _, tt := range tests {
		if got := harvester.PlainText(tt.in); got != tt.want {
			t.Errorf("PlainText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"short", 10, "short"},
		{"exactly ten", 11, "exactly ten"},
		{"cut at a word boundary please", 20, "cut at a word…"},
		{"Supercalifragilisticexpialidocious", 10, "Supercali…"},
		{"héllo wörld ünïcode", 12, "héllo wörld…"},
		{"ends with comma, then more", 17, "ends with comma…"},
	}
	for _, tt := range tests {
		got := harvester.Truncate(tt.in, tt.max)
		if got != tt.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
		if n := utf8.RuneCountInString(got); n > tt.max {
			t.Errorf("Truncate(%q, %d) has %d runes", tt.in, tt.max, n)
		}
	}
}

func FuzzPlainText(f *testing.F) {
	for _, s := range []string{"<p>x</p>", "<script>", "&amp;", "\xff", "<!--", "a<b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := harvester.PlainText(s)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 from %q", s)
		}
		if harvester.Truncate(out, 100) == "" && out != "" {
			t.Fatalf("Truncate emptied %q", out)
		}
	})
}

func TestPlainTextInlineTags(t *testing.T) {
	tests := []struct{ in, want string }{
		{"<em>Global Azure</em>.", "Global Azure."},
		{"<a href=\"x\">link</a>, then", "link, then"},
		{"<p>one</p><p>two</p>", "one two"},
		{"a<br>b", "a b"},
		{"<LI>x</LI><li>y</li>", "x y"},
	}
	for _, tt := range tests {
		if got := harvester.PlainText(tt.in); got != tt.want {
			t.Errorf("PlainText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// BenchmarkPlainText is a feed item's description: 1.8 KB of paragraphs.
func BenchmarkPlainText(b *testing.B) {
	s := "<p>" + strings.Repeat("release governance function query azure session deployment ", 25) +
		"</p><p>" + strings.Repeat("talk monitoring <em>module</em> tenant ", 10) + "</p>"
	b.SetBytes(int64(len(s)))
	for range b.N {
		harvester.PlainText(s)
	}
}

// BenchmarkIsClean and BenchmarkTruncate are an exported description.
func BenchmarkIsClean(b *testing.B) {
	s := strings.TrimSpace(strings.Repeat("release governance function query azure session deployment ", 30))
	b.SetBytes(int64(len(s)))
	for range b.N {
		harvester.IsClean(s)
	}
}

func BenchmarkTruncate(b *testing.B) {
	s := strings.TrimSpace(strings.Repeat("release governance function query azure session deployment ", 30))
	b.SetBytes(int64(len(s)))
	for range b.N {
		harvester.Truncate(s, 1000)
	}
}
