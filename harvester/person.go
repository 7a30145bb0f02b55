package harvester

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ErrUnknownPerson is what a --person (or ?person=) naming nobody in the
// log or the config wraps: an unknown name must not silently select
// nothing.
var ErrUnknownPerson = errors.New("unknown person")

// LogSummary is what LogState records of a log: how many rows are
// curated as excluded, and its persons (see LogState). Stores call it in
// StoreLog.
func LogSummary(log []Contribution) (excluded int, persons []string) {
	seen := map[string]bool{}
	for i := range log {
		if log[i].Excluded {
			excluded++
		}
		if p := log[i].Person; !seen[p] {
			seen[p] = true
			persons = append(persons, p)
		}
	}
	slices.Sort(persons)
	return excluded, persons
}

// CheckPerson returns nil when name is empty or, ignoring case, one of
// the known persons (the log's, and the config's who may have no row
// yet); else an error wrapping ErrUnknownPerson that names the closest
// known person, or lists them when none is close.
func CheckPerson(name string, known ...[]string) error {
	if name == "" {
		return nil
	}
	var all []string
	for _, list := range known {
		for _, p := range list {
			if strings.EqualFold(p, name) {
				return nil
			}
			if p != "" && !slices.Contains(all, p) {
				all = append(all, p)
			}
		}
	}
	slices.Sort(all)
	best := SuggestName(name, all)
	switch {
	case best != "":
		return fmt.Errorf("%w %q (did you mean %q?)", ErrUnknownPerson, name, best)
	case len(all) == 0:
		return fmt.Errorf("%w %q: the log has no person yet", ErrUnknownPerson, name)
	case len(all) > 10:
		return fmt.Errorf("%w %q; persons: %s, … (%d in all)", ErrUnknownPerson, name, quoteList(all[:10]), len(all))
	}
	return fmt.Errorf("%w %q; persons: %s", ErrUnknownPerson, name, quoteList(all))
}

func quoteList(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}
