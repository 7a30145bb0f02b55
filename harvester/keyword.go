package harvester

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// keyword is an `areas:` keyword compiled for matching
// (docs/configuration.md#keyword-matching): lower case, its words apart
// when it is a phrase.
type keyword struct {
	// words are the keyword split at spaces and hyphens: one for a
	// single word ("go", ".net", "c++", "node.js").
	words []string
	// wordStart and wordEnd report whether the keyword begins and ends
	// with a letter or digit: only such an edge must not continue a word
	// of the text ("go" is not in "mongo" nor "going"; ".net" is in
	// "asp.net").
	wordStart, wordEnd bool
}

// compileKeyword compiles kw; false for a keyword with no words.
func compileKeyword(kw string) (keyword, bool) {
	words := strings.FieldsFunc(strings.ToLower(kw), isPhraseGap)
	if len(words) == 0 {
		return keyword{}, false
	}
	first, _ := utf8.DecodeRuneInString(words[0])
	last, _ := utf8.DecodeLastRuneInString(words[len(words)-1])
	return keyword{words: words, wordStart: isWordRune(first), wordEnd: isWordRune(last)}, true
}

// isPhraseGap reports whether r separates the words of a phrase: a space
// or a hyphen ("zero trust" is "zero-trust").
func isPhraseGap(r rune) bool {
	switch r {
	case ' ', '\t', '-', '\u00a0', '\u2010', '\u2011':
		return true
	}
	return false
}

// String is the keyword as it matches, words joined by a space.
func (k *keyword) String() string { return strings.Join(k.words, " ") }

// count counts the keyword's occurrences in the lower-cased text that do
// not start or end inside a word of it.
func (k *keyword) count(text string) int {
	first := k.words[0]
	n := 0
	for i := 0; i+len(first) <= len(text); {
		j := strings.Index(text[i:], first)
		if j < 0 {
			break
		}
		at := i + j
		i = at + 1
		if k.wordStart && continuesBefore(text, at) {
			continue
		}
		end, ok := k.rest(text, at+len(first))
		if !ok || k.wordEnd && continuesAfter(text, end) {
			continue
		}
		n++
	}
	return n
}

// rest matches the words after the first from text[at:], each after a
// run of gaps, and returns where the match ends.
func (k *keyword) rest(text string, at int) (int, bool) {
	for _, w := range k.words[1:] {
		gap := at
		for gap < len(text) {
			r, size := utf8.DecodeRuneInString(text[gap:])
			if !isPhraseGap(r) {
				break
			}
			gap += size
		}
		if gap == at || !strings.HasPrefix(text[gap:], w) {
			return 0, false
		}
		at = gap + len(w)
	}
	return at, true
}

// continuesBefore reports whether the rune before text[at] is part of a
// word.
func continuesBefore(text string, at int) bool {
	if at == 0 {
		return false
	}
	if c := text[at-1]; c < utf8.RuneSelf {
		return isWordByte(c)
	}
	r, _ := utf8.DecodeLastRuneInString(text[:at])
	return isWordRune(r)
}

// continuesAfter reports whether text[end:] continues the word that ends
// there: a letter or digit, or "#" and "+" ("c" is not in "c#" nor
// "c++").
func continuesAfter(text string, end int) bool {
	if end >= len(text) {
		return false
	}
	if c := text[end]; c < utf8.RuneSelf {
		return isWordByte(c) || c == '#' || c == '+'
	}
	r, _ := utf8.DecodeRuneInString(text[end:])
	return isWordRune(r)
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// isWordRune reports whether r is part of a word: a letter, a digit, an
// underscore, or a mark (the accent of a decomposed "é").
func isWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}
