package export

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/contriblog/contriblog/harvester"
)

// The harvester cleans text when it stores it; the encoders clean it again
// because an export is the last line of defence: curated values, old
// databases and hand-kept files all reach it. Most text is already clean,
// so the checks below let clean text through without copying it.

// plain is harvester.PlainText (HTML stripped, entities decoded, control
// characters and invalid UTF-8 dropped, white space collapsed) with a
// copy-free path for text that is already plain.
func plain(s string) string {
	if scanClean(s, &plainByte) {
		return s
	}
	return harvester.PlainText(s)
}

// clean is harvester.CleanText with a copy-free path for clean text,
// non-ASCII included (harvester's own fast path covers ASCII only).
func clean(s string) string {
	if isClean(s) {
		return s
	}
	return harvester.CleanText(s)
}

// isClean reports whether s is valid UTF-8 of graphic characters with
// single inner spaces and none at either end. It is conservative: what it
// rejects goes through harvester.CleanText, which decides.
func isClean(s string) bool { return scanClean(s, &cleanByte) }

// cleanByte and plainByte mark the ASCII bytes that need no second look:
// printable ones other than the space; for plain text, not '<' or '&'
// either, which could start HTML.
var cleanByte, plainByte = func() (clean, plain [256]bool) {
	for c := '!'; c < 0x7f; c++ {
		clean[c], plain[c] = true, c != '<' && c != '&'
	}
	return clean, plain
}()

// scanClean is isClean with ok as the bytes that pass at once. Every
// cell of every row goes through it, so the common byte costs one lookup.
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

// cleanList returns the cleaned, non-empty items of list, never nil. When
// every item is already clean it returns list itself (callers only read).
func cleanList(list []string) []string {
	if list == nil {
		return []string{}
	}
	for i, s := range list {
		if s == "" || !isClean(s) {
			return cleanFrom(list, i)
		}
	}
	return list
}

// cleanFrom copies list[:i] (known clean) and the cleaned rest.
func cleanFrom(list []string, i int) []string {
	out := make([]string, i, len(list))
	copy(out, list[:i])
	for _, s := range list[i:] {
		if s = clean(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// listSep is the separator of list cells (contract §4).
const listSep = ";"

// joinList is the cell of a list: cleaned items joined by ";". A ';'
// inside an item would split it in two for whoever reads the cell, so a
// URL's ';' is written %3B (the same URL to every server that matters) and
// any other item's becomes ','.
func joinList(list []string, urls bool) string {
	switch len(list) {
	case 0:
		return ""
	case 1:
		return listItem(list[0], urls)
	}
	size := 0
	for _, s := range list {
		size += len(s) + len(listSep)
	}
	var b strings.Builder
	b.Grow(size) // one allocation, unless a URL's ";" grows into "%3B"
	for _, s := range list {
		if s = listItem(s, urls); s == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(listSep)
		}
		b.WriteString(s)
	}
	return b.String()
}

func listItem(s string, url bool) string {
	s = clean(s)
	if !strings.Contains(s, listSep) {
		return s
	}
	if url {
		return strings.ReplaceAll(s, listSep, "%3B")
	}
	return strings.ReplaceAll(s, listSep, ",")
}
