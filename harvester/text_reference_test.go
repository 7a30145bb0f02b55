package harvester

import (
	"fmt"
	"html"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// The functions below are PlainText, CleanText, IsClean and Truncate as
// they were before they were rewritten for speed (a byte at a time,
// through a lower-cased copy, counting every rune): simple enough to
// trust, and the rewrites must give the same results.

func refPlainText(s string) string {
	if refScanClean(s, &plainByte) {
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

func refScanClean(s string, ok *[256]bool) bool {
	n := len(s)
	if n == 0 {
		return true
	}
	if s[0] == ' ' || s[n-1] == ' ' {
		return false
	}
	for i := 0; i < n; i++ {
		c := s[i]
		if ok[c] {
			continue
		}
		if c == ' ' {
			if s[i+1] == ' ' { // s does not end in a space: i+1 < n
				return false
			}
			continue
		}
		if c < utf8.RuneSelf {
			return false // a control character, or '<' or '&' for plain
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return false
		}
		if !unicode.IsGraphic(r) || unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) {
			return false
		}
		i += size - 1
	}
	return true
}

func refTruncate(s string, max int) string {
	if max <= 0 || len(s) <= max {
		return s
	}
	n, end := 0, len(s)
	keep := len(s) // where rune max-1 starts
	for i := range s {
		if n == max-1 {
			keep = i
		}
		if n == max {
			end = i
			break
		}
		n++
	}
	if end == len(s) {
		return s // at most max runes
	}
	if !utf8.ValidString(s[:end]) {
		return truncateRunes(s[:end], max)
	}
	// Without a []rune copy: walk back over the last third of the first
	// max-1 runes for a space.
	cut := s[:keep]
	for j, r := len(cut), max-1; j > 0 && r > (max-1)*2/3; {
		c, size := utf8.DecodeLastRuneInString(cut[:j])
		j -= size
		r--
		if unicode.IsSpace(c) {
			cut = cut[:j]
			break
		}
	}
	return strings.TrimRightFunc(cut, trimmedAtCut) + "…"
}

var textCases = []string{
	"", "plain", "<p>Hello <b>world</b></p>", "a&amp;b &lt;tag&gt; &hellip;", "<script>alert(1)</script>after",
	"<SCRIPT>x</ScRiPt >after", "<style>p{}</style><p>x</p>", "<Style>p{}</STYLE>x", "<!-- hidden -->shown",
	"line<br/>break", "a < b and c > d", "  lots \n\t of   space  ", "bad\xffutf8", "ctrl\x00\x07chars\u200b",
	"<p>unclosed", "<a href='x'", "émoji 🎉 kept", "<EM>Go</EM>.", "<LI>x</LI><li>y</li>", "<P>one</P>two",
	"<scriptx>", "<script", "<style>", "<!--", "<!-- a --> <!-- b", "x<", "<>", "< p>", "<?xml?>t", "<!DOCTYPE html>t",
	"İstanbul <B>İ</B>", "\u00a0nbsp\u00a0 \u2028sep", "a\u200db", "tab\there", "&#x41;&#66;&amp", "<a\nhref=x>y</a>z",
	"word<SPAN>inline</SPAN>word", "<br>", "   ", "\t\r\n", "x\xc3", "\xef\xbb\xbfbom",
	"clean ascii words in a row", "twelve bytes  double", "eight by  te", "abcdefg  hijklmno", "abcdefgh ijklmnop",
	"abcdefg\x7fhijklmnop", "abcdefghijklmno<pqrst", "abcdefghijklmno&pqrst", "abcdefghé ijklmnop  q", "a b c d e f g h i j",
	"abcdefg é  hijklmno", "abcdefgh\u00a0ijklmnop",
}

// differences lists where the rewritten functions disagree with the
// reference on s.
func differences(s string) []string {
	var out []string
	if got, want := PlainText(s), refPlainText(s); got != want {
		out = append(out, fmt.Sprintf("PlainText(%q) = %q, reference %q", s, got, want))
	}
	if got, want := CleanText(s), refCleanText(s); got != want {
		out = append(out, fmt.Sprintf("CleanText(%q) = %q, reference %q", s, got, want))
	}
	for _, max := range []int{1, 2, 3, 5, 8, 13, 40} {
		if got, want := Truncate(s, max), refTruncate(s, max); got != want {
			out = append(out, fmt.Sprintf("Truncate(%q, %d) = %q, reference %q", s, max, got, want))
		}
	}
	for markup, ok := range map[bool]*[256]bool{false: &cleanByte, true: &plainByte} {
		if got, want := scanClean(s, markup), refScanClean(s, ok); got != want {
			out = append(out, fmt.Sprintf("scanClean(%q, %v) = %v, reference %v", s, markup, got, want))
		}
	}
	return out
}

func TestTextSameAsReference(t *testing.T) {
	for _, s := range textCases {
		for _, d := range differences(s) {
			t.Error(d)
		}
	}
}

func FuzzTextSameAsReference(f *testing.F) {
	for _, s := range textCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d := differences(s); d != nil {
			t.Fatal(strings.Join(d, "\n"))
		}
	})
}

// lastSeparator is the last of any separator, as LastIndex of each finds.
func TestLastSeparator(t *testing.T) {
	pieces := []string{"a", " ", "|", "-", "—", "–", "·", " | ", " - ", " — ", " – ", " · ", "x y"}
	r := uint32(1)
	for n := 0; n < 5000; n++ {
		var b strings.Builder
		for range n % 9 {
			r = r*1664525 + 1013904223
			b.WriteString(pieces[int(r>>8)%len(pieces)])
		}
		s := b.String()
		want, wantLen := -1, 0
		for _, sep := range titleSeparators {
			if i := strings.LastIndex(s, sep); i > want {
				want, wantLen = i, len(sep)
			}
		}
		if at, l := lastSeparator(s); at != want || l != wantLen {
			t.Fatalf("lastSeparator(%q) = %d, %d; want %d, %d", s, at, l, want, wantLen)
		}
	}
}
