package harvester

import (
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestCanonicalURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://example.com/post", "https://example.com/post"},
		{"HTTP://WWW.Example.COM/post/", "https://example.com/post"},
		{"http://example.com:80/a", "https://example.com/a"},
		{"https://example.com:443/a", "https://example.com/a"},
		{"https://example.com:8080/a", "https://example.com:8080/a"},
		{"https://example.com/", "https://example.com"},
		{"https://example.com", "https://example.com"},
		{"https://example.com/a#comments", "https://example.com/a"},
		{"https://example.com/a?utm_source=x&utm_medium=rss&b=2&a=1", "https://example.com/a?a=1&b=2"},
		{"https://example.com/a?fbclid=1&gclid=2&mc_cid=3&mc_eid=4&ref=hn", "https://example.com/a"},
		{"https://medium.com/@p/zero-trust-123?source=rss-abc------2", "https://medium.com/@p/zero-trust-123"},
		{"https://example.com/%7euser/caf%c3%a9", "https://example.com/~user/caf%C3%A9"},
		{"https://example.com/a%2fb", "https://example.com/a%2Fb"},
		{"https://example.com/café", "https://example.com/caf%C3%A9"},
		{"https://user:secret@example.com/a", "https://example.com/a"},
		{"  https://example.com/a  ", "https://example.com/a"},
		{"https://[::1]:8443/x", "https://[::1]:8443/x"},
		{"https://example.com/a?B=2&a=1&a=0", "https://example.com/a?B=2&a=0&a=1"},
		{"https://example.com/a?UTM_Campaign=x&Source=rss", "https://example.com/a"},
		{"https://example.com/a?q=%e2%82%ac&x=%41", "https://example.com/a?q=%E2%82%AC&x=A"},
		{"https://example.com/a?ref_src=twsrc&igshid=1&_hsenc=p", "https://example.com/a"},
		{"https://example.com./a", "https://example.com/a"},
		{"https://EXAMPLE.com/Case/Kept", "https://example.com/Case/Kept"},
		{"https://example.com/a///", "https://example.com/a"},
		{"https://example.com/a?", "https://example.com/a"},
		{"https://youtu.be/dQw4w9WgXcQ?si=abc&t=42", "https://youtube.com/watch?v=dQw4w9WgXcQ"},
		{"https://m.youtube.com/watch?v=dQw4w9WgXcQ&feature=share", "https://youtube.com/watch?v=dQw4w9WgXcQ"},
		{"https://www.youtube.com/watch?feature=youtu.be&v=dQw4w9WgXcQ&list=PL1", "https://youtube.com/watch?list=PL1&v=dQw4w9WgXcQ"},
		{"https://example.com/watch?v=1&t=5", "https://example.com/watch?t=5&v=1"},
		{"https://dev.to/priya/zero-trust-in-practice-4k2j", "https://dev.to/priya/zero-trust-in-practice-4k2j"},
		{"ftp://example.com/a", ""},
		{"mailto:me@example.com", ""},
		{"/relative/path", ""},
		{"", ""},
		{"https://", ""},
		{"http://%zz", ""},
	}
	for _, tt := range tests {
		if got := CanonicalURL(tt.in); got != tt.want {
			t.Errorf("CanonicalURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := CanonicalURL(tt.want); got != tt.want {
			t.Errorf("CanonicalURL(%q) = %q, not idempotent", tt.want, got)
		}
	}
}

// The shortcut for plain links gives what parsing them gives, and takes
// only links it can.
func FuzzCanonicalPlain(f *testing.F) {
	for _, s := range []string{"https://blog7.example.com/posts/3/", "http://www.example.com", "https://www./x",
		"https://a..b/", "https://x.y./p", "https://.x/", "http://youtu.be/abc", "https://h/a b", "https://h/~a_b-c.d//",
		"https://www.www.x/", "https://h/p?q", "https://h/%41", "https://h:8080/", "https://u@h/", "https:///p"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if c, ok := canonicalPlain(raw); ok {
			if want := canonicalParsed(raw); c != want {
				t.Fatalf("canonicalPlain(%q) = %q, canonicalParsed %q", raw, c, want)
			}
		}
	})
}

func FuzzCanonicalURL(f *testing.F) {
	for _, s := range []string{"https://www.example.com/a/?utm_source=x#f", "http://EXAMPLE.com:80/%7e%41%zz",
		"https://example.com/a b?q=1 2&Ref=x", "https://[::1]/", "http://a.b/%", "https://x.y/?a&&b=", "https://h/ä?ö=ü",
		"https://youtu.be/x?t=1", "https://youtu.be/a%2Fb&c=d", "https://medium.com/@p/x-1?source=rss-8------2",
		"HTTPS://User:Pw@WWW.EXAMPLE.COM:443/%7Ea/./b/../c/?utm_medium=email&z=%zz#frag"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		c := CanonicalURL(raw)
		if c == "" {
			return
		}
		if again := CanonicalURL(c); again != c {
			t.Fatalf("not idempotent: %q -> %q -> %q", raw, c, again)
		}
		u, err := url.Parse(c)
		if err != nil || u.Scheme != "https" || u.Fragment != "" || u.Host == "" {
			t.Fatalf("CanonicalURL(%q) = %q: not an absolute https URL without fragment (%v)", raw, c, err)
		}
		if strings.Contains(strings.ToLower(c), "utm_") && strings.Contains(strings.ToLower(u.RawQuery), "utm_") {
			for k := range u.Query() {
				if strings.HasPrefix(strings.ToLower(k), "utm_") {
					t.Fatalf("CanonicalURL(%q) = %q kept tracking parameter %q", raw, c, k)
				}
			}
		}
	})
}

func TestDisplayURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://priya.dev/zt/", "https://priya.dev/zt/"},
		{" http://WWW.priya.dev/zt?utm_source=rss&utm_medium=feed ", "http://WWW.priya.dev/zt"},
		{"https://medium.com/@p/a-1f2e?source=rss-8f3------2", "https://medium.com/@p/a-1f2e"},
		{"https://example.com/a?b=2&fbclid=x&a=1#part-2", "https://example.com/a?b=2&a=1#part-2"},
		{"https://youtu.be/abc?si=share&t=62", "https://youtu.be/abc?t=62"},
		{"https://example.com/watch?si=kept", "https://example.com/watch?si=kept"},
		{"https://example.com/%zz?utm_source=x", "https://example.com/%zz?utm_source=x"},
		{"mailto:me@example.com", "mailto:me@example.com"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := displayURL(tt.in); got != tt.want {
			t.Errorf("displayURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// ShortID is the first ten characters of the lower-cased, unpadded
// base32 of the key's SHA-256, as docs/deduplication.md#stable-ids describes.
func TestShortIDIsTheSumsFirstTenCharacters(t *testing.T) {
	for i := range 2000 {
		key := fmt.Sprintf("feed-%d\x00post-%d", i%37, i)
		sum := sha256.Sum256([]byte(key))
		want := strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:])[:10])
		if got := ShortID(key); got != want {
			t.Fatalf("ShortID(%q) = %q, want %q", key, got, want)
		}
	}
}

func TestFormatDay(t *testing.T) {
	for _, at := range []time.Time{
		time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC), time.Date(999, 12, 31, 23, 0, 0, 0, time.UTC),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(-1, 5, 5, 0, 0, 0, 0, time.UTC),
		time.Date(7, 10, 10, 0, 0, 0, 0, time.UTC),
	} {
		y, m, d := at.Date()
		if got, want := formatDay(at, y, m, d), at.Format(DateLayout); got != want {
			t.Errorf("formatDay(%v) = %q, want %q", at, got, want)
		}
	}
}
