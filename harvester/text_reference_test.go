package harvester

import (
	"html"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// The functions below are PlainText and CleanText as they were before
// they were rewritten for speed (a byte at a time, through a lower-cased
// copy): simple enough to trust, and the rewrite must give the same text.

func refPlainText(s string) string {
	if scanClean(s, &plainByte) {
		return s // most stored text is plain already: no copy
	}
	if strings.ContainsAny(s, "<&") {
		s = refStripTags(s)
		s = html.UnescapeString(s)
	}
	return refCleanText(s)
}

func refCleanText(s string) string {
	if IsClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			// ASCII, most text: the same decisions without the tables.
			i++
			switch {
			case c == ' ' || ('\t' <= c && c <= '\r'):
				space = true
				continue
			case c < 0x20 || c == 0x7f:
				continue
			}
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteByte(c)
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size <= 1:
			continue // invalid byte: dropped, never exported
		case unicode.IsSpace(r):
			space = true
			continue
		case unicode.IsControl(r) || r == '\u200b' || r == '\ufeff' || (unicode.Is(unicode.Cf, r) && r != '\u200d'):
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

func refStripTags(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	// Offsets into lower are used on s, so it must keep s's byte length:
	// strings.ToLower does not (invalid UTF-8 becomes a 3-byte U+FFFD,
	// 'İ' grows), and tag names are ASCII anyway.
	lower := refASCIILower(s)
	for i := 0; i < len(s); {
		c := s[i]
		if c != '<' {
			b.WriteByte(c)
			i++
			continue
		}
		rest := lower[i:]
		switch {
		case strings.HasPrefix(rest, "<!--"):
			end := strings.Index(rest[4:], "-->")
			if end < 0 {
				return b.String()
			}
			i += 4 + end + 3
		case strings.HasPrefix(rest, "<script"), strings.HasPrefix(rest, "<style"):
			name := "script"
			if strings.HasPrefix(rest, "<style") {
				name = "style"
			}
			end := strings.Index(rest, "</"+name)
			if end < 0 {
				return b.String()
			}
			i += end
			gt := strings.IndexByte(lower[i:], '>')
			if gt < 0 {
				return b.String()
			}
			i += gt + 1
			b.WriteByte(' ')
		case len(rest) > 1 && (refIsTagStart(rest[1])):
			gt := strings.IndexByte(rest, '>')
			if gt < 0 {
				return b.String()
			}
			if !inlineTags[tagName(rest[1:gt])] {
				b.WriteByte(' ') // a block boundary separates words
			}
			i += gt + 1
		default:
			b.WriteByte(c) // a lone "<" in text, as in "a < b"
			i++
		}
	}
	return b.String()
}

func refASCIILower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func refIsTagStart(c byte) bool {
	return c == '/' || c == '!' || c == '?' || (c >= 'a' && c <= 'z')
}

var textCases = []string{
	"", "plain", "<p>Hello <b>world</b></p>", "a&amp;b &lt;tag&gt; &hellip;", "<script>alert(1)</script>after",
	"<SCRIPT>x</ScRiPt >after", "<style>p{}</style><p>x</p>", "<Style>p{}</STYLE>x", "<!-- hidden -->shown",
	"line<br/>break", "a < b and c > d", "  lots \n\t of   space  ", "bad\xffutf8", "ctrl\x00\x07chars\u200b",
	"<p>unclosed", "<a href='x'", "émoji 🎉 kept", "<EM>Go</EM>.", "<LI>x</LI><li>y</li>", "<P>one</P>two",
	"<scriptx>", "<script", "<style>", "<!--", "<!-- a --> <!-- b", "x<", "<>", "< p>", "<?xml?>t", "<!DOCTYPE html>t",
	"İstanbul <B>İ</B>", "\u00a0nbsp\u00a0 \u2028sep", "a\u200db", "tab\there", "&#x41;&#66;&amp", "<a\nhref=x>y</a>z",
	"word<SPAN>inline</SPAN>word", "<br>", "   ", "\t\r\n", "x\xc3", "\xef\xbb\xbfbom",
}

func TestTextSameAsReference(t *testing.T) {
	for _, s := range textCases {
		if got, want := PlainText(s), refPlainText(s); got != want {
			t.Errorf("PlainText(%q) = %q, reference %q", s, got, want)
		}
		if got, want := CleanText(s), refCleanText(s); got != want {
			t.Errorf("CleanText(%q) = %q, reference %q", s, got, want)
		}
	}
}

func FuzzTextSameAsReference(f *testing.F) {
	for _, s := range textCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := PlainText(s), refPlainText(s); got != want {
			t.Fatalf("PlainText(%q) = %q, reference %q", s, got, want)
		}
		if got, want := CleanText(s), refCleanText(s); got != want {
			t.Fatalf("CleanText(%q) = %q, reference %q", s, got, want)
		}
	})
}
