package fetch_test

import (
	"testing"

	"github.com/contriblog/contriblog/sources/fetch"
)

func TestPublic(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://example.com/feed", "https://example.com/feed"},
		{"https://u:p@example.com/x", "https://example.com/x"},
		{"https://example.com/x?token=abc&page=2", "https://example.com/x?page=2"},
		{"https://example.com/cal.ics?api_key=abc&private_token=x", "https://example.com/cal.ics"},
		{"http://u:p@example.com/x?page=1&token=t#frag", "http://example.com/x?page=1#frag"},
		{"://bad", ""},
	}
	for _, tt := range tests {
		if got := fetch.Public(tt.in); got != tt.want {
			t.Errorf("Public(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// Public drops parameters by name only: a long id in a public link tells
// two items apart, while Redact, for messages, masks it too.
func TestPublicKeepsLongIDs(t *testing.T) {
	const u = "https://blog.example/post?id=5f3a9c0e1b2d4f6a8c0e2b4d"
	if got := fetch.Public(u); got != u {
		t.Errorf("Public(%q) = %q", u, got)
	}
	if got := fetch.Redact(u); got != "https://blog.example/post?id=***" {
		t.Errorf("Redact(%q) = %q", u, got)
	}
}
