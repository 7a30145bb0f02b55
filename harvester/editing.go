package harvester

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// ErrInvalidEdit marks an edit request that cannot be applied: a bad
// value, an unknown type, a merge of a row with itself. Its message says
// which value and why; `contriblog edit` reports it as a usage error.
var ErrInvalidEdit = errors.New("invalid edit")

// NewEdit returns an edit of c that changes nothing yet and remembers the
// observations c holds (its anchors), so that it follows them when rows
// later merge or split.
func NewEdit(c *Contribution, now time.Time) Edit {
	return Edit{ID: c.ID, Anchors: anchorKeys(c), Updated: now.UTC()}
}

func anchorKeys(c *Contribution) []string {
	keys := make([]string, 0, len(c.Observations))
	for _, r := range c.Observations {
		keys = append(keys, ObservationKey(r.Source, r.NativeID))
	}
	sort.Strings(keys)
	return keys
}

// FindContribution returns the row of log with id (case-insensitive). An
// id a row no longer carries (it merged into an older row) still finds
// the row that holds the observation the id was made from.
func FindContribution(log []Contribution, id string) (Contribution, bool) {
	id = strings.ToLower(strings.TrimSpace(id))
	if id == "" {
		return Contribution{}, false
	}
	for i := range log {
		if log[i].ID == id {
			return log[i], true
		}
	}
	for i := range log {
		for _, r := range log[i].Observations {
			if ShortID(ObservationKey(r.Source, r.NativeID)) == id {
				return log[i], true
			}
		}
	}
	return Contribution{}, false
}

// Curate turns one `contriblog edit` request on the row id of log into
// the edits to store (SaveEdit each, then rebuild the log). It is
// CurateAll with one id.
func Curate(log []Contribution, edits []Edit, id string, req EditRequest, opts LogOptions, now time.Time) ([]Edit, error) {
	return CurateAll(log, edits, []string{id}, req, opts, now)
}

// CurateAll applies one `contriblog edit` request to each row that ids
// name in log and returns the edits to store (SaveEdit each, then rebuild
// the log), each once. A field goes into the edit keyed by the id it was
// given through (see Edit): that id's own earlier edit, if any, with req
// folded in (a later value replaces an earlier one), else a new one.
// Others follow when --split has to clear forced merges that other rows'
// edits made into a row. edits are the stored edits; opts gives the
// vocabulary that --type must name and the area names --area and
// --additional-area are spelled like.
//
// With several ids, --split splits each row; --merge is refused (which
// row would lead?): `edit A --merge B --merge C` merges several rows.
// Every id is looked up before anything is computed, so an unknown one
// refuses the whole request.
//
// Errors wrap ErrNotFound for an unknown id and ErrInvalidEdit for a bad
// request.
func CurateAll(log []Contribution, edits []Edit, ids []string, req EditRequest, opts LogOptions, now time.Time) ([]Edit, error) {
	if req.empty() {
		return nil, fmt.Errorf("%w: nothing to change; give at least one of --exclude, --include, --type, --title, --date, --role, --area, --url, --description, --audience, --additional-area, --reach, --quantity, --private-description, --microsoft-event, --high-impact, --set, --merge, --split", ErrInvalidEdit)
	}
	if req.Split && len(req.Merge) > 0 {
		return nil, fmt.Errorf("%w: --merge and --split contradict each other", ErrInvalidEdit)
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("%w: no contribution id given", ErrInvalidEdit)
	}
	if len(ids) > 1 && len(req.Merge) > 0 {
		return nil, fmt.Errorf("%w: --merge joins rows into the one id given first; give one id (several --merge flags merge several rows into it)", ErrInvalidEdit)
	}
	rows := make([]Contribution, len(ids))
	for i, id := range ids {
		row, ok := FindContribution(log, id)
		if !ok {
			return nil, fmt.Errorf("contribution %q: %w", strings.TrimSpace(id), ErrNotFound)
		}
		rows[i] = row
	}
	work := append([]Edit(nil), edits...)
	var out []Edit
	for i, id := range ids {
		got, err := curateRow(log, work, id, &rows[i], &req, &opts, now)
		if err != nil {
			return nil, err
		}
		for _, e := range got {
			work = putEdit(work, e)
			out = putEdit(out, e)
		}
	}
	return out, nil
}

// putEdit replaces the edit with e's ID in list, or appends e.
func putEdit(list []Edit, e Edit) []Edit {
	for i := range list {
		if list[i].ID == e.ID {
			list[i] = e
			return list
		}
	}
	return append(list, e)
}

// curateRow is CurateAll for the row that id names.
func curateRow(log []Contribution, edits []Edit, id string, row *Contribution, req *EditRequest, opts *LogOptions, now time.Time) ([]Edit, error) {
	// The edit is keyed by the observation id names, not by the row's
	// current ID: a title set through an older id of a merged row (the
	// ShortID of another of its observations) used to be folded into the
	// edit of the row's ID, and a later split carried it to the other
	// post (issue 15 item 2).
	key := editKey(row, id)
	e := NewEdit(row, now)
	e.ID = key
	for _, old := range edits {
		if old.ID == key {
			e = old
			break
		}
	}
	// Anchors are the row as it is now, not every row the edit ever
	// touched: stale anchors made a later --merge pull back observations
	// a --split had set apart. While the edit holds a forced merge they
	// stay the row as it was at the merge (the row named first, which
	// leads the merged row) until a new merge through the edit. What a
	// split keeps apart is kept in SplitAnchors.
	if e.Split && e.SplitAnchors == nil {
		e.SplitAnchors = e.Anchors // stored before SplitAnchors were
	}
	if len(e.MergeWith)+len(e.MergeAnchors) == 0 || len(req.Merge) > 0 {
		e.Anchors = anchorKeys(row)
	}
	// A merge records the first row's curated values in e, so that they
	// win over what was curated on the rows merged into it; the request's
	// own fields are set after them. Updated orders the fields set: a
	// request that sets none (a split, a merge of rows without curation)
	// must not make the fields this edit set earlier look newer than those
	// other edits set since.
	kept := len(req.Merge) > 0 && keepCurated(&e, row)
	if kept || req.setsFields() {
		e.Updated = now.UTC()
	}
	if err := setFields(&e, req, opts); err != nil {
		return nil, err
	}
	for _, other := range req.Merge {
		if err := addMerge(&e, log, row, other); err != nil {
			return nil, err
		}
		e.Merged = now.UTC()
	}
	if !req.Split {
		return []Edit{e}, nil
	}
	if len(row.Observations) < 2 {
		return nil, fmt.Errorf("%w: contribution %s holds one observation; there is nothing to split", ErrInvalidEdit, row.ID)
	}
	e.Split, e.MergeWith, e.MergeAnchors, e.Merged = true, nil, nil, time.Time{}
	e.Anchors = anchorKeys(row)
	e.SplitAnchors = mergeStrings(e.SplitAnchors, e.Anchors)
	return append([]Edit{e}, unmergeRow(edits, row, e.ID)...), nil
}

// keepCurated records in e the values row shows that were curated, the
// fields e does not set itself, and reports whether it recorded any.
func keepCurated(e *Edit, row *Contribution) bool {
	kept := false
	keep := func(field string, set func()) {
		if slices.Contains(row.Curated, field) {
			set()
			kept = true
		}
	}
	keep("excluded", func() { e.Exclude = ptr(row.Excluded) })
	keep("activity_type", func() { e.ActivityType = ptr(row.ActivityType) })
	keep("title", func() { e.Title = ptr(row.Title) })
	keep("date", func() { e.Date = ptr(row.Date) })
	keep("role", func() { e.Role = ptr(row.Role) })
	keep("primary_area", func() { e.Area = ptr(row.PrimaryArea) })
	keep("reach", func() { e.Reach = ptr(row.Reach) })
	keep("quantity", func() { e.Quantity = ptr(row.Quantity) })
	keep("url", func() { e.URL = ptr(row.URL) })
	keep("description", func() { e.Description = ptr(row.Description) })
	keep("target_audience", func() { e.TargetAudience = slices.Clone(row.TargetAudience) })
	keep("additional_areas", func() { e.AdditionalAreas = slices.Clone(row.AdditionalAreas) })
	return keepForms(e, row) || kept
}

// editKey is the id an edit made through id is kept under: the ShortID of
// the row's observation that id names (the row's ID names its anchor).
func editKey(row *Contribution, id string) string {
	id = strings.ToLower(strings.TrimSpace(id))
	for _, r := range row.Observations {
		if ShortID(ObservationKey(r.Source, r.NativeID)) == id {
			return id
		}
	}
	return row.ID
}

func addMerge(e *Edit, log []Contribution, row *Contribution, id string) error {
	other, ok := FindContribution(log, id)
	if !ok {
		return fmt.Errorf("merge with %q: %w", id, ErrNotFound)
	}
	if other.ID == row.ID {
		return fmt.Errorf("%w: %s and %s are already one row", ErrInvalidEdit, row.ID, strings.TrimSpace(id))
	}
	e.MergeWith = mergeStrings(e.MergeWith, []string{other.ID})
	e.MergeAnchors = mergeStrings(e.MergeAnchors, anchorKeys(&other))
	// An earlier split stays: the forced merge joins the two rows across
	// it, and the observations it set apart stay apart (clearing it
	// joined them back by the rules).
	return nil
}

// unmergeRow returns the other edits (not self, the splitting one) whose
// forced merges pulled observations into row, with those merges removed,
// so that a split undoes them. Their Updated is kept: no field of theirs changed.
func unmergeRow(edits []Edit, row *Contribution, self string) []Edit {
	keys := map[string]bool{}
	ids := map[string]bool{row.ID: true}
	for _, k := range anchorKeys(row) {
		keys[k] = true
		ids[ShortID(k)] = true
	}
	var out []Edit
	for _, e := range edits {
		if e.ID == self || len(e.MergeWith)+len(e.MergeAnchors) == 0 {
			continue
		}
		inRow := ids[e.ID]
		for _, k := range e.Anchors {
			inRow = inRow || keys[k]
		}
		mw, ma := e.MergeWith, e.MergeAnchors
		if inRow {
			mw, ma = nil, nil // this row's own merges, made under another id
		} else {
			mw = dropStrings(mw, ids)
			ma = dropStrings(ma, keys)
		}
		if len(mw) != len(e.MergeWith) || len(ma) != len(e.MergeAnchors) {
			e.MergeWith, e.MergeAnchors = mw, ma
			if len(mw)+len(ma) == 0 {
				e.Merged = time.Time{}
			}
			out = append(out, e)
		}
	}
	return out
}

// mergeStrings adds the values of add missing from list, keeping list's
// order.
func mergeStrings(list, add []string) []string {
	out := append([]string(nil), list...)
	for _, v := range add {
		if !contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

func dropStrings(list []string, drop map[string]bool) []string {
	var out []string
	for _, v := range list {
		if !drop[v] {
			out = append(out, v)
		}
	}
	return out
}

func (o *LogOptions) vocabulary() *Vocabulary {
	if o.Vocabulary == nil {
		return NewVocabulary(nil)
	}
	return o.Vocabulary
}

func ptr[T any](v T) *T { return &v }
