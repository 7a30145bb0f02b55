package file

import (
	"strings"
)

// entryKeys are the keys an entry takes: the JSON export's, and id.
var entryKeys = []string{"id", "title", "date", "end_date", "activity_type", "description", "url", "role",
	"primary_area", "additional_areas", "target_audience", "quantity", "reach", "other_urls", "person"}

// exportOnlyKeys are keys of the JSON export that a hand-kept file does
// not take: they are computed, not written by hand.
var exportOnlyKeys = []string{"sources", "metrics", "observations", "excluded", "curated"}

// unknownKey reports a key an entry does not take.
func (r *reader) unknownKey(f field, k string) {
	switch {
	case contains(exportOnlyKeys, f.key):
		r.errorf(f.keyNode, k, "%q belongs to the JSON export and is computed, not read from a hand-kept file: remove it", f.key)
	case closest(f.key, entryKeys) != "":
		r.errorf(f.keyNode, k, "unknown key %q (did you mean %q?)", f.key, closest(f.key, entryKeys))
	default:
		r.errorf(f.keyNode, k, "unknown key %q; an entry takes %s", f.key, strings.Join(entryKeys, ", "))
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// closest returns the key nearest to s by edit distance, if near enough
// to be a typo.
func closest(s string, valid []string) string {
	best, bestD := "", 3
	for _, v := range valid {
		if d := distance(strings.ToLower(s), v); d < bestD && d <= len(v)/2 {
			best, bestD = v, d
		}
	}
	return best
}

// distance is the Levenshtein distance between a and b, in bytes; long
// strings are not compared.
func distance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 3
	}
	prev, cur := make([]int, len(b)+1), make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
