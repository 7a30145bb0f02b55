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
