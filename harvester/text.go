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
	if scanClean(s, &plainByte) {
		return s // most stored text is plain already: no copy
	}
	if strings.ContainsAny(s, "<&") {
		s = stripTags(s)
		s = html.UnescapeString(s)
	}
	return CleanText(s)
}

// CleanText repairs invalid UTF-8, removes control and format characters
// and collapses runs of white space into one space, trimming both ends.
func CleanText(s string) string {
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

// IsClean reports whether CleanText would return s unchanged: valid UTF-8
// of graphic characters with single inner spaces and none at either end.
// It is conservative: what it rejects goes through CleanText, which
// decides. Exports clean every cell, and most text is clean already.
func IsClean(s string) bool { return scanClean(s, &cleanByte) }

// cleanByte and plainByte mark the ASCII bytes that need no second look:
// printable ones other than the space; for plain text, not '<' or '&'
// either, which could start HTML.
var cleanByte, plainByte = func() (clean, plain [256]bool) {
	for c := '!'; c < 0x7f; c++ {
		clean[c], plain[c] = true, c != '<' && c != '&'
	}
	return clean, plain
}()

// scanClean is IsClean with ok as the bytes that pass at once, so that the
// common byte costs one lookup.
func scanClean(s string, ok *[256]bool) bool {
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

// stripTags removes HTML tags, comments and the content of script and
// style elements, putting a space where a tag was so words do not run
// together.
func stripTags(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	// Offsets into lower are used on s, so it must keep s's byte length:
	// strings.ToLower does not (invalid UTF-8 becomes a 3-byte U+FFFD,
	// 'İ' grows), and tag names are ASCII anyway.
	lower := asciiLower(s)
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
		case len(rest) > 1 && (isTagStart(rest[1])):
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

// asciiLower lower-cases the ASCII letters of s and leaves every other
// byte alone, so that the result has s's length and offsets.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
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
	return c == '/' || c == '!' || c == '?' || (c >= 'a' && c <= 'z')
}

// Truncate cuts s to at most max characters (runes), at a word boundary
// when there is one in the last third, and marks the cut with "…". A
// string that fits is returned as it is.
func Truncate(s string, max int) string {
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
