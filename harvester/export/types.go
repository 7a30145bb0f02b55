package export

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/contriblog/contriblog/harvester"
)

// ErrUnknownType is matched (errors.Is) by ResolveType's error for a name
// that is no activity type.
var ErrUnknownType = errors.New("unknown activity type")

// ResolveType returns the activity type that name stands for in a filter
// (`list --type`, `export --type`, the daemon's ?type=): a type's full
// name (Blog, Speaker/Presenter at Third-party Event, one of the config's
// activity_types) or the label the table shows for it (Talk, OSS,
// Mentoring), case-insensitively. "" is "" (no filter). Any other name is
// an error that suggests the nearest types and lists the labels, so that
// a misspelt filter never silently selects nothing (docs/cli.md#export).
func ResolveType(vocab *harvester.Vocabulary, name string) (string, error) {
	in := strings.TrimSpace(name)
	if in == "" {
		return "", nil
	}
	if vocab == nil {
		vocab = harvester.NewVocabulary(nil)
	}
	if t, ok := vocab.Lookup(in); ok {
		return t.Name, nil
	}
	names := vocab.Names()
	for _, full := range names {
		if strings.EqualFold(shortType(full), in) {
			return full, nil
		}
	}
	return "", unknownType(names, in)
}

// unknownType says that in is no type, with the nearest types' labels
// (a typo, or the start of one: "mentor") and every label.
func unknownType(names []string, in string) error {
	type near struct {
		label string
		d     int
	}
	var nearest []near
	labels := make([]string, len(names))
	lower := strings.ToLower(in)
	for i, full := range names {
		labels[i] = shortType(full)
		best := -1
		for _, cand := range []string{strings.ToLower(labels[i]), strings.ToLower(full)} {
			d := harvester.EditDistance(lower, cand)
			if len(lower) >= 3 && strings.HasPrefix(cand, lower) {
				d = 1
			}
			if d <= 2 && d <= len(cand)/2 && (best < 0 || d < best) {
				best = d
			}
		}
		if best >= 0 {
			nearest = append(nearest, near{labels[i], best})
		}
	}
	sort.SliceStable(nearest, func(i, j int) bool { return nearest[i].d < nearest[j].d })
	msg := fmt.Sprintf("%q", in)
	if len(nearest) > 0 {
		var s []string
		for i, n := range nearest {
			if i == 3 {
				break
			}
			s = append(s, fmt.Sprintf("%q", n.label))
		}
		msg += "; did you mean " + strings.Join(s, " or ") + "?"
	}
	return fmt.Errorf("%w %s; types: %s (or a type's full name, docs/log.md#activity-types)",
		ErrUnknownType, msg, strings.Join(labels, ", "))
}
