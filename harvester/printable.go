package harvester

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Printable makes a string that came from outside the program (a
// server's reason phrase, an error quoting a page, a name read back from
// the database or the daemon) safe to write to a terminal, a table or a
// log: a terminal interprets nothing in what it returns. Control
// characters (C0 including newline and tab, DEL, C1), bidirectional and
// other invisible format characters and the line and paragraph
// separators are written as escapes (`\x1b`, `\n`, `\u202e`), and each
// byte of invalid UTF-8 as `\xff`, so that a reader still sees that
// something was there. Everything else is kept, a backslash too. A string
// with nothing to escape is returned as it is, without a copy.
//
// The zero width joiner (U+200D) is kept, as CleanText keeps it: it joins
// emoji into one and moves no text.
func Printable(s string) string {
	i := unprintableAt(s)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				writeEscape(&b, rune(c))
			} else {
				b.WriteByte(c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteString(`\x`)
			b.WriteByte(hexDigit[c>>4])
			b.WriteByte(hexDigit[c&0xf])
		case unprintable(r):
			writeEscape(&b, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// unprintableAt is the index of the first byte of s that Printable must
// escape, or -1. Printable ASCII is skipped eight bytes at a time: most
// of what is printed is names, URLs and English error messages.
func unprintableAt(s string) int {
	for i := 0; i < len(s); {
		if i+8 <= len(s) {
			x := load64(s, i)
			// A byte with its high bit set, below 0x20, or DEL.
			if x&highBits|(x-eachByte*0x20)&^x&highBits|bytesEqual(x, 0x7f) == 0 {
				i += 8
				continue
			}
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || unprintable(r) {
			return i
		}
		i += size
	}
	return -1
}

// unprintable reports whether Printable escapes the (validly encoded)
// rune r.
func unprintable(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, 0x80 <= r && r < 0xa0: // C0, DEL, C1
		return true
	case r == '\u2028', r == '\u2029': // line and paragraph separators
		return true
	case r == '\u200d': // zero width joiner: see Printable
		return false
	}
	// Format characters: the bidi controls (U+202A–U+202E, U+2066–U+2069,
	// U+200E, U+200F, U+061C), zero-width spaces, U+FEFF, tag characters.
	return r >= 0xad && unicode.Is(unicode.Cf, r)
}

const hexDigit = "0123456789abcdef"

// writeEscape writes r as Go writes it in a quoted string: `\n`, `\t`,
// `\r`, `\x1b`, `\u202e` or `\U000e0001`.
func writeEscape(b *strings.Builder, r rune) {
	switch r {
	case '\n':
		b.WriteString(`\n`)
		return
	case '\t':
		b.WriteString(`\t`)
		return
	case '\r':
		b.WriteString(`\r`)
		return
	}
	digits := 8
	switch {
	case r < 0x80:
		b.WriteString(`\x`)
		digits = 2
	case r <= 0xffff:
		b.WriteString(`\u`)
		digits = 4
	default:
		b.WriteString(`\U`)
	}
	for shift := 4 * (digits - 1); shift >= 0; shift -= 4 {
		b.WriteByte(hexDigit[(r>>shift)&0xf])
	}
}
