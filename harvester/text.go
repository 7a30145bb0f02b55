package harvester

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// PlainText turns a fragment of HTML (or text with entities) into one line
// of plain text: tags removed (script and style with their content),
// entities decoded, invalid UTF-8 and control characters dropped,
// whitespace collapsed. It is safe on any input.
func PlainText(s string) string {
	if scanClean(s, true) {
		return s // most stored text is plain already: no copy
	}
	// Feeds spend most of their text here, so the common case (tags but
	// no entities, valid UTF-8) is done in one pass.
	if out, ok := collapse(s, true); ok {
		return out
	}
	// Entities are decoded after tags are removed ("&lt;p&gt;" is text).
	s = html.UnescapeString(stripTags(s))
	out, _ := collapse(s, false)
	return out
}

// CleanText repairs invalid UTF-8, removes control and format characters
// and collapses runs of white space into one space, trimming both ends.
func CleanText(s string) string {
	if IsClean(s) {
		return s
	}
	out, _ := collapse(s, false)
	return out
}

// collapse is CleanText; with markup it also strips tags as stripTags
// does, in the same pass, and gives up (ok false) at an entity or an
// invalid byte, which only the full PlainText handles exactly.
func collapse(s string, markup bool) (out string, ok bool) {
	var b strings.Builder
	b.Grow(len(s))
	plain := &cleanByte
	if markup {
		plain = &plainByte
	}
	space := false
	for i := 0; i < len(s); {
		c := s[i]
		if plain[c] {
			// Most text is printable ASCII words between single spaces:
			// copied a run of them at a time, not a byte at a time.
			j := i + 1
			for j < len(s) {
				if plain[s[j]] {
					j++
				} else if s[j] == ' ' && j+1 < len(s) && plain[s[j+1]] {
					j += 2
				} else {
					break
				}
			}
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteString(s[i:j])
			i = j
			continue
		}
		if c < utf8.RuneSelf {
			switch {
			case markup && c == '&':
				return "", false
			case markup && c == '<':
				next, sep, literal := tagAt(s, i)
				if !literal {
					space = space || sep
					i = next
					continue
				}
			case c == ' ' || ('\t' <= c && c <= '\r'):
				space = true
				i++
				continue
			case c < 0x20 || c == 0x7f:
				i++
				continue
			}
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteByte(c) // a lone "<"
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size <= 1:
			if markup {
				// A tag may split a character's bytes, which stripTags
				// would join again.
				return "", false
			}
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
	return b.String(), true
}

// IsClean reports whether CleanText would return s unchanged: valid UTF-8
// of graphic characters with single inner spaces and none at either end.
// It is conservative: what it rejects goes through CleanText, which
// decides. Exports clean every cell, and most text is clean already.
func IsClean(s string) bool { return scanClean(s, false) }

// cleanByte and plainByte mark the ASCII bytes that need no second look:
// printable ones other than the space; for plain text, not '<' or '&'
// either, which could start HTML.
var cleanByte, plainByte = func() (clean, plain [256]bool) {
	for c := '!'; c < 0x7f; c++ {
		clean[c], plain[c] = true, c != '<' && c != '&'
	}
	return clean, plain
}()

// scanClean is IsClean; with markup, '<' and '&' (which could start HTML)
// also fail. Clean ASCII text is checked eight bytes at a time: exports
// check every cell, and feeds' descriptions are kilobytes.
func scanClean(s string, markup bool) bool {
	ok := &cleanByte
	if markup {
		ok = &plainByte
	}
	n := len(s)
	if n == 0 {
		return true
	}
	if s[0] == ' ' || s[n-1] == ' ' {
		return false
	}
	for i := 0; i < n; {
		if i+8 <= n {
			// Eight bytes at once: none may be outside printable ASCII
			// (or '<' or '&' for markup), no two spaces in a row, also
			// with the byte before.
			x := load64(s, i)
			bad := x&highBits | (x-eachByte*0x20)&^x&highBits | bytesEqual(x, 0x7f)
			if markup {
				bad |= bytesEqual(x, '<') | bytesEqual(x, '&')
			}
			sp := bytesEqual(x, ' ')
			bad |= sp & (sp << 8)
			if i > 0 && s[i-1] == ' ' {
				bad |= sp & 0x80
			}
			if bad == 0 {
				i += 8
				continue
			}
		}
		c := s[i]
		if ok[c] {
			i++
			continue
		}
		if c == ' ' {
			// s neither starts nor ends with a space: 0 < i < n-1.
			if s[i+1] == ' ' || s[i-1] == ' ' {
				return false
			}
			i++
			continue
		}
		if c < utf8.RuneSelf {
			return false // a control character, or '<' or '&' for markup
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return false
		}
		if !unicode.IsGraphic(r) || unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) {
			return false
		}
		i += size
	}
	return true
}

// load64 reads the eight bytes of s at i as a little-endian word (the
// compiler makes it one load).
func load64(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

const (
	eachByte = 0x0101010101010101
	highBits = 0x8080808080808080
	lowBits  = 0x7f7f7f7f7f7f7f7f
)

// bytesEqual marks (with the byte's high bit) exactly the bytes of x that
// are c.
func bytesEqual(x uint64, c byte) uint64 {
	y := x ^ eachByte*uint64(c)
	return ^((y&lowBits + lowBits) | y | lowBits)
}

// stripTags removes HTML tags, comments and the content of script and
// style elements, putting a space where a tag was so words do not run
// together.
func stripTags(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		lt := strings.IndexByte(s[i:], '<')
		if lt < 0 {
			b.WriteString(s[i:])
			break
		}
		b.WriteString(s[i : i+lt])
		i += lt
		next, sep, literal := tagAt(s, i)
		switch {
		case literal:
			b.WriteByte('<') // a lone "<" in text, as in "a < b"
			next = i + 1
		case sep:
			b.WriteByte(' ') // a block boundary separates words
		}
		i = next
	}
	return b.String()
}

// tagAt reads the markup that starts with the '<' at s[i]: a comment, a
// script or style element with its content, or a tag. It returns where
// the text after it starts (len(s) when it is not closed: the rest is
// dropped) and whether it separates words, or literal when that '<' is
// text. Names are compared without regard to ASCII case.
func tagAt(s string, i int) (next int, sep, literal bool) {
	rest := s[i:]
	switch {
	case strings.HasPrefix(rest, "<!--"):
		end := strings.Index(rest[4:], "-->")
		if end < 0 {
			return len(s), false, false
		}
		return i + 4 + end + 3, false, false
	case hasPrefixFold(rest, "<script"), hasPrefixFold(rest, "<style"):
		closing := "</script"
		if hasPrefixFold(rest, "<style") {
			closing = "</style"
		}
		end := indexFold(rest, closing)
		if end < 0 {
			return len(s), false, false
		}
		gt := strings.IndexByte(rest[end:], '>')
		if gt < 0 {
			return len(s), false, false
		}
		return i + end + gt + 1, true, false
	case len(rest) > 1 && isTagStart(rest[1]):
		gt := strings.IndexByte(rest, '>')
		if gt < 0 {
			return len(s), false, false
		}
		return i + gt + 1, !inlineTags[asciiLower(tagName(rest[1:gt]))], false
	}
	return i, false, true
}

// hasPrefixFold is strings.HasPrefix ignoring the case of ASCII letters in
// s; prefix is lower-case.
func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if lowerASCII(s[i]) != prefix[i] {
			return false
		}
	}
	return true
}

// indexFold is strings.Index ignoring the case of ASCII letters in s; pat
// is lower-case and starts with '<'.
func indexFold(s, pat string) int {
	for i := 0; ; {
		j := strings.IndexByte(s[i:], pat[0])
		if j < 0 {
			return -1
		}
		if hasPrefixFold(s[i+j:], pat) {
			return i + j
		}
		i += j + 1
	}
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// asciiLower lower-cases the ASCII letters of s and leaves every other
// byte alone; s is returned as it is when it has none.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				b[j] = lowerASCII(b[j])
			}
			return string(b)
		}
	}
	return s
}

// inlineTags are the elements that do not separate words: "<em>Go</em>."
// must read "Go." not "Go .".
var inlineTags = map[string]bool{
	"a": true, "abbr": true, "b": true, "bdi": true, "bdo": true, "cite": true, "code": true,
	"data": true, "dfn": true, "em": true, "font": true, "i": true, "kbd": true, "mark": true,
	"q": true, "s": true, "samp": true, "small": true, "span": true, "strong": true, "sub": true,
	"sup": true, "time": true, "u": true, "var": true, "del": true, "ins": true, "strike": true, "tt": true,
}

// tagName is the lower-case element name of a tag's inside ("/em", "a href=…").
func tagName(inner string) string {
	inner = strings.TrimPrefix(inner, "/")
	end := strings.IndexAny(inner, " \t\r\n/")
	if end >= 0 {
		inner = inner[:end]
	}
	return inner
}

func isTagStart(c byte) bool {
	c = lowerASCII(c)
	return c == '/' || c == '!' || c == '?' || (c >= 'a' && c <= 'z')
}

// Truncate cuts s to at most max characters (runes), at a word boundary
// when there is one in the last third, and marks the cut with "…". A
// string that fits is returned as it is.
func Truncate(s string, max int) string {
	if max <= 0 || len(s) <= max {
		return s
	}
	end, keep := len(s), len(s) // where runes max and max-1 start
	if asciiPrefix(s, max+1) {
		end, keep = max, max-1 // runes are bytes: nothing to count
	} else {
		n := 0
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

// asciiPrefix reports whether the first n bytes of s are ASCII (s has at
// least n).
func asciiPrefix(s string, n int) bool {
	i := 0
	for ; i+8 <= n; i += 8 {
		if load64(s, i)&highBits != 0 {
			return false
		}
	}
	for ; i < n; i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// truncateRunes is Truncate for invalid UTF-8, which becomes U+FFFD.
func truncateRunes(s string, max int) string {
	cut := []rune(s)[:max-1]
	for j := len(cut) - 1; j >= len(cut)*2/3; j-- {
		if unicode.IsSpace(cut[j]) {
			cut = cut[:j]
			break
		}
	}
	return strings.TrimRightFunc(string(cut), trimmedAtCut) + "…"
}

func trimmedAtCut(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsPunct(r) && r != ')' && r != '"'
}
