package harvester

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// ForgetReport is what `contriblog forget SOURCE` removes, or would
// remove (docs/cli.md#forget).
type ForgetReport struct {
	Source string `json:"source"`
	// Observations counts the source's stored observations: removed when
	// Applied, else to be removed.
	Observations int `json:"observations"`
	// Removed are the ids of the log's rows made only of the source's
	// observations: they disappear. Changed are the ids of the rows that
	// also hold other sources' observations: they stay, without the
	// source's, and keep their curation.
	Removed []string `json:"removed"`
	Changed []string `json:"changed"`
	// Configured says the config still names the source, so its next
	// harvest fetches it again.
	Configured bool `json:"configured"`
	// Applied says the observations and the state were removed; false
	// for a preview.
	Applied bool `json:"applied"`
}

// Forget describes what forgetting source would remove from st: its
// observations, the log rows made only of them and the rows that lose
// some of theirs (read from the stored log, which the caller keeps
// current). With apply it also removes them and the source's state
// (Store.ForgetSource); the caller then rebuilds the log. Edits are kept:
// those of rows that survive still apply to them.
//
// configured names the config's sources. A source that neither the
// config, the stored states nor the log knows is an error wrapping
// ErrNotFound that suggests the closest known name.
func Forget(ctx context.Context, st Store, source string, configured []string, apply bool) (ForgetReport, error) {
	rep := ForgetReport{Source: source, Removed: []string{}, Changed: []string{}, Configured: slices.Contains(configured, source)}
	known := map[string]bool{}
	for _, n := range configured {
		known[n] = true
	}
	states, err := st.SourceStates(ctx)
	if err != nil {
		return rep, fmt.Errorf("read source states: %w", err)
	}
	for _, s := range states {
		known[s.Name] = true
	}
	err = st.ForEachContribution(ctx, func(c *Contribution) error {
		mine := 0
		for _, o := range c.Observations {
			known[o.Source] = true
			if o.Source == source {
				mine++
			}
		}
		switch {
		case mine == 0:
		case mine == len(c.Observations):
			rep.Removed = append(rep.Removed, c.ID)
		default:
			rep.Changed = append(rep.Changed, c.ID)
		}
		rep.Observations += mine
		return nil
	})
	if err != nil {
		return rep, fmt.Errorf("read the log: %w", err)
	}
	if !known[source] {
		return rep, unknownSource(source, known)
	}
	if !apply {
		return rep, nil
	}
	n, err := st.ForgetSource(ctx, source)
	if err != nil {
		return rep, err
	}
	rep.Observations, rep.Applied = n, true
	return rep, nil
}

// unknownSource is the error for a source name nothing knows, with the
// closest known name when one is near.
func unknownSource(name string, known map[string]bool) error {
	names := make([]string, 0, len(known))
	for n := range known {
		names = append(names, n)
	}
	sort.Strings(names)
	msg := fmt.Sprintf("source %q: %v", name, ErrNotFound)
	if s := SuggestName(name, names); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	if len(names) == 0 {
		msg += "; neither the config nor the database knows any source"
	} else {
		msg += "; known sources: " + strings.Join(names, ", ")
	}
	return &notFoundError{msg}
}

// notFoundError is a message that matches ErrNotFound.
type notFoundError struct{ msg string }

func (e *notFoundError) Error() string        { return e.msg }
func (e *notFoundError) Is(target error) bool { return target == ErrNotFound }
