package harvester

import (
	"net/url"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Helpers every source shares: the `match` filter, name folding, and
// the small text chores of building an observation.

// Fold makes text comparable the way people expect names to compare:
// accents removed, case folded, white space collapsed ("Zoë  Ångström"
// and "zoe angstrom" are equal).
func Fold(s string) string {
	if isFoldedASCII(s) {
		return s
	}
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return strings.Join(strings.Fields(strings.ToLower(out)), " ")
}

// isFoldedASCII reports whether Fold would return s unchanged: lower-case
// ASCII with single spaces inside. Most match terms and names are.
func isFoldedASCII(s string) bool {
	prevSpace := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 0x80 || c >= 'A' && c <= 'Z' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f':
			return false
		case c == ' ':
			if prevSpace {
				return false
			}
			prevSpace = true
		default:
			prevSpace = false
		}
	}
	return len(s) == 0 || !prevSpace
}

// Matcher is a source's `match` filter: it keeps an item when one of the
// terms occurs in one of its texts, ignoring case, accents and spacing.
// The zero Matcher keeps everything.
type Matcher struct{ terms []string }

// NewMatcher folds the terms once; blank ones are dropped.
func NewMatcher(terms []string) Matcher {
	var m Matcher
	for _, t := range terms {
		if t = Fold(t); t != "" {
			m.terms = append(m.terms, t)
		}
	}
	return m
}

// KeepsAll reports whether the Matcher has no terms: Match is then true
// whatever the texts, and callers need not make them.
func (m Matcher) KeepsAll() bool { return len(m.terms) == 0 }

// Match reports whether one of the terms occurs in one of texts; true
// when there are no terms.
func (m Matcher) Match(texts ...string) bool {
	if len(m.terms) == 0 {
		return true
	}
	for _, t := range texts {
		if t == "" {
			continue
		}
		t = Fold(t)
		for _, term := range m.terms {
			if strings.Contains(t, term) {
				return true
			}
		}
	}
	return false
}

// HTTPURL returns raw, cleaned, when it is an absolute http(s) URL, else "".
func HTTPURL(raw string) string {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return CleanText(raw)
}

// JoinNonEmpty joins the parts that are not blank, trimmed, with sep.
func JoinNonEmpty(sep string, parts ...string) string {
	keep := make([]string, 0, len(parts))
	for _, s := range parts {
		if s = strings.TrimSpace(s); s != "" {
			keep = append(keep, s)
		}
	}
	return strings.Join(keep, sep)
}

// SuggestName is the name of names nearest to s (case-insensitive), if it
// is a likely typo of it: at most 2 edits, and at most half its length;
// "" when none is. Every "did you mean" of the program uses it: commands,
// flags, config keys, sources, persons.
func SuggestName(s string, names []string) string {
	best, bestD := "", 3
	for _, n := range names {
		d := EditDistance(strings.ToLower(s), strings.ToLower(n))
		if d < bestD && d*2 <= len([]rune(n)) {
			best, bestD = n, d
		}
	}
	return best
}

// EditDistance is the edit distance between a and b in runes, for "did
// you mean" suggestions: insertions, deletions, substitutions and
// transpositions of neighbours ("lsit" is one edit from "list", as a
// person sees it), each counted once (optimal string alignment). Only the
// first 100 runes of each count, so that text from a hostile document
// cannot make it expensive.
func EditDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 100 {
		ra = ra[:100]
	}
	if len(rb) > 100 {
		rb = rb[:100]
	}
	// Three rows: the one before the previous is for transpositions.
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
