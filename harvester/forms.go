package harvester

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// What the programs' forms ask beyond the log (issue 16): a private
// description, the Microsoft event, the high-impact flag and the counts
// of CountKeys. They come from hand-kept entries and from curation only
// (docs/log.md#curation).

// curatedCount is the name a count set with `edit --set KEY=N` has in a
// row's Curated: "counts.views".
func curatedCount(key string) string { return "counts." + key }

// IsCountKey reports whether key is one of CountKeys (exactly: keys are
// lower case).
func IsCountKey(key string) bool { return slices.Contains(CountKeys, key) }

// CountKeyError is the error for a count key that is not one of
// CountKeys, suggesting the nearest.
func CountKeyError(key string) error {
	msg := fmt.Sprintf("unknown count %q", key)
	if s := SuggestName(key, CountKeys); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	return fmt.Errorf("%s; counts: %s", msg, strings.Join(CountKeys, ", "))
}

// ParseCount reads a count's value: a whole number, 0 or more.
func ParseCount(s string) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q: want a whole number", s)
	}
	if n < 0 {
		return 0, fmt.Errorf("%d: want 0 or more", n)
	}
	return n, nil
}

// formsFields sets the row's forms' fields from its hand-kept members,
// best first (order): the first private description and Microsoft event
// given, high impact when one says so, and each count the largest given
// (two entries of one talk are not two audiences, as for metrics).
func formsFields(r *row, order []int, items []item) {
	c := &r.c
	for _, i := range order {
		o := items[i].o
		c.PrivateDescription = firstNonEmpty(c.PrivateDescription, strings.TrimSpace(o.PrivateDescription))
		c.MicrosoftEvent = firstNonEmpty(c.MicrosoftEvent, strings.TrimSpace(o.MicrosoftEvent))
		c.HighImpact = c.HighImpact || o.HighImpact
		if len(o.Counts) > 0 {
			c.Counts = maxMetrics(c.Counts, o.Counts)
		}
	}
	r.keptCounts, r.ownCounts = c.Counts, false
}

// applyForms sets an edit's forms' fields on the row. A count set to nil
// restores the hand-kept one (or none), whatever an earlier edit set.
func (r *row) applyForms(e *Edit) {
	c := &r.c
	if e.PrivateDescription != nil {
		c.PrivateDescription = *e.PrivateDescription
		r.curate("private_description")
	}
	if e.MicrosoftEvent != nil {
		c.MicrosoftEvent = *e.MicrosoftEvent
		r.curate("microsoft_event")
	}
	if e.HighImpact != nil {
		c.HighImpact = *e.HighImpact
		r.curate("high_impact")
	}
	if len(e.Counts) == 0 {
		return
	}
	if !r.ownCounts {
		// The hand-kept counts stay as they were, for a later clear.
		c.Counts, r.ownCounts = maps.Clone(c.Counts), true
	}
	for _, k := range CountKeys { // in a fixed order: Curated is part of the row
		v, ok := e.Counts[k]
		switch {
		case !ok || v != nil && *v < 0:
		case v == nil:
			if n, kept := r.keptCounts[k]; kept {
				c.Counts[k] = n
			} else {
				delete(c.Counts, k)
			}
			r.uncurate(curatedCount(k))
		default:
			if c.Counts == nil {
				c.Counts = map[string]int64{}
			}
			c.Counts[k] = *v
			r.curate(curatedCount(k))
		}
	}
	if len(c.Counts) == 0 {
		c.Counts = nil
	}
}

// keepForms records in e the forms' fields row shows that were curated
// (see keepCurated), and reports whether it recorded any.
func keepForms(e *Edit, row *Contribution) bool {
	kept := false
	if slices.Contains(row.Curated, "private_description") {
		e.PrivateDescription, kept = ptr(row.PrivateDescription), true
	}
	if slices.Contains(row.Curated, "microsoft_event") {
		e.MicrosoftEvent, kept = ptr(row.MicrosoftEvent), true
	}
	if slices.Contains(row.Curated, "high_impact") {
		e.HighImpact, kept = ptr(row.HighImpact), true
	}
	for _, k := range CountKeys {
		if n, ok := row.Counts[k]; ok && slices.Contains(row.Curated, curatedCount(k)) {
			if e.Counts == nil {
				e.Counts = map[string]*int64{}
			}
			e.Counts[k], kept = ptr(n), true
		}
	}
	return kept
}

func (r *row) uncurate(field string) {
	r.c.Curated = slices.DeleteFunc(r.c.Curated, func(f string) bool { return f == field })
	if len(r.c.Curated) == 0 {
		r.c.Curated = nil
	}
}

// setCount reads one --set KEY=N (KEY= clears).
func (r *EditRequest) setCount(value string) error {
	k, v, ok := strings.Cut(value, "=")
	if !ok {
		return fmt.Errorf("set %q: want KEY=N, KEY one of %s", value, strings.Join(CountKeys, ", "))
	}
	k = strings.ToLower(strings.TrimSpace(k))
	if !IsCountKey(k) {
		return fmt.Errorf("set %q: %w", value, CountKeyError(k))
	}
	if r.Counts == nil {
		r.Counts = map[string]*int64{}
	}
	if strings.TrimSpace(v) == "" {
		r.Counts[k] = nil
		return nil
	}
	n, err := ParseCount(v)
	if err != nil {
		return fmt.Errorf("set %s=%s: %w", k, strings.TrimSpace(v), err)
	}
	r.Counts[k] = &n
	return nil
}

// setFormsFields validates and sets the forms' fields of req on e (see
// setFields). Texts are cleaned as the description is; their limits are
// the programs' (`check`), not the log's.
func setFormsFields(e *Edit, req *EditRequest) error {
	e.PrivateDescription = setText(e.PrivateDescription, req.PrivateDescription)
	e.MicrosoftEvent = setText(e.MicrosoftEvent, req.MicrosoftEvent)
	if req.HighImpact != nil {
		e.HighImpact = ptr(*req.HighImpact)
	}
	for _, k := range sortedKeys(req.Counts) {
		v := req.Counts[k]
		if !IsCountKey(k) {
			return fmt.Errorf("%w: set %s: %w", ErrInvalidEdit, k, CountKeyError(k))
		}
		if v != nil && *v < 0 {
			return fmt.Errorf("%w: set %s=%d: want 0 or more", ErrInvalidEdit, k, *v)
		}
		if e.Counts == nil {
			e.Counts = map[string]*int64{}
		}
		if v == nil {
			e.Counts[k] = nil // clears what an earlier edit set too
		} else {
			e.Counts[k] = ptr(*v)
		}
	}
	return nil
}
