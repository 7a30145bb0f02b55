package file

import (
	"strings"

	"github.com/contriblog/contriblog/harvester"
)

// entryKeys are the keys an entry takes: the JSON export's, and id.
var entryKeys = []string{"id", "title", "date", "end_date", "activity_type", "description", "url", "role",
	"primary_area", "additional_areas", "target_audience", "quantity", "reach", "other_urls", "person",
	"private_description", "microsoft_event", "high_impact", "counts"}

// exportOnlyKeys are keys of the JSON export that a hand-kept file does
// not take: they are computed, not written by hand.
var exportOnlyKeys = []string{"sources", "metrics", "observations", "excluded", "curated"}

// unknownKey reports a key an entry does not take.
func (r *reader) unknownKey(f field, k string) {
	switch {
	case contains(exportOnlyKeys, f.Key):
		r.errorf(f.KeyNode, k, "%q belongs to the JSON export and is computed, not read from a hand-kept file: remove it", f.Key)
	case harvester.SuggestName(f.Key, entryKeys) != "":
		r.errorf(f.KeyNode, k, "unknown key %q (did you mean %q?)", f.Key, harvester.SuggestName(f.Key, entryKeys))
	default:
		r.errorf(f.KeyNode, k, "unknown key %q; an entry takes %s", f.Key, strings.Join(entryKeys, ", "))
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
