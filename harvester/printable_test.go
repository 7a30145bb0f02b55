package harvester_test

import (
	"fmt"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/contriblog/contriblog/harvester"
)

func TestPrintable(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty", "", ""},
		{"plain", "GET https://blog.example/feed.xml: server answered 500 Oops", "GET https://blog.example/feed.xml: server answered 500 Oops"},
		{"kept", `émoji 🎉 👨‍👩‍👧 C:\path "quoted"`, `émoji 🎉 👨‍👩‍👧 C:\path "quoted"`},
		{"OSC 52 clipboard write", "500 \x1b]52;c;ZXZpbA==\x07\x1b[2J Oops", `500 \x1b]52;c;ZXZpbA==\x07\x1b[2J Oops`},
		{"newline tab CR", "a\nb\tc\rd", `a\nb\tc\rd`},
		{"NUL and DEL", "a\x00b\x7fc", `a\x00b\x7fc`},
		{"C1 CSI", "a\u009b2Jb\u0085", `a\u009b2Jb\u0085`},
		{"bidi", "\u202eevil\u202c \u2066x\u2069 \u200e\u200f\u061c", `\u202eevil\u202c \u2066x\u2069 \u200e\u200f\u061c`},
		{"invisible", "a\u200bb\ufeffc\u00add", `a\u200bb\ufeffc\u00add`},
		{"separators", "a\u2028b\u2029c", `a\u2028b\u2029c`},
		{"tag character", "a\U000E0041b", `a\U000e0041b`},
		{"invalid UTF-8", "bad\xff\xc3(x\xe2\x82", `bad\xff\xc3(x\xe2\x82`},
		{"long clean prefix", "0123456789abcdefghij\x1b", `0123456789abcdefghij\x1b`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := harvester.Printable(tt.in); got != tt.want {
				t.Errorf("Printable(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// FuzzPrintable checks what Printable promises on any input: nothing a
// terminal interprets comes out, the output is valid UTF-8, clean input is
// returned as it is, and escaping twice changes nothing more.
func FuzzPrintable(f *testing.F) {
	for _, s := range []string{"", "plain", "500 \x1b]52;c;ZXZpbA==\x07\x1b[2J Oops", "\u202e\u0085\xff\xc3", "a\u200db\U000E0041",
		strings.Repeat("clean ascii ", 4) + "\x9b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := harvester.Printable(in)
		if !utf8.ValidString(out) {
			t.Fatalf("Printable(%q) = %q: invalid UTF-8", in, out)
		}
		for i := 0; i < len(out); i++ {
			if c := out[i]; c < 0x20 || c == 0x7f {
				t.Fatalf("Printable(%q) = %q: control byte %#x", in, out, c)
			}
		}
		for _, r := range out {
			if escaped(r) {
				t.Fatalf("Printable(%q) = %q: holds %U", in, out, r)
			}
		}
		if want := reference(in); out != want {
			t.Fatalf("Printable(%q) = %q, reference %q", in, out, want)
		}
		if again := harvester.Printable(out); again != out {
			t.Fatalf("Printable is not idempotent on %q: %q then %q", in, out, again)
		}
	})
}

// escaped is the rule Printable promises, stated plainly: control
// characters, C1, line and paragraph separators, and format characters
// other than the zero width joiner.
func escaped(r rune) bool {
	return unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || (unicode.Is(unicode.Cf, r) && r != '\u200d')
}

// reference is Printable written the slow, obvious way.
func reference(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case escaped(r) && r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		case escaped(r) && r <= 0xffff:
			fmt.Fprintf(&b, `\u%04x`, r)
		case escaped(r):
			fmt.Fprintf(&b, `\U%08x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func BenchmarkPrintableClean(b *testing.B) {
	s := "GET https://blog.example/feed.xml: server answered 404 Not Found"
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		harvester.Printable(s)
	}
}
