package harvester

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// ErrInvalidEdit marks an edit request that cannot be applied: a bad
// value, an unknown type, a merge of a row with itself. Its message says
// which value and why; `contriblog edit` reports it as a usage error.
var ErrInvalidEdit = errors.New("invalid edit")

// EditRequest is one `contriblog edit ID ...` invocation. Nil fields and
// zero values were not given. An empty string for ActivityType, Title,
// Date, Role or Area removes that field's curated value, so the harvested
// one shows again.
type EditRequest struct {
	Exclude      *bool // true: --exclude; false: --include
	ActivityType *string
	Title        *string
	Date         *string // YYYY-MM-DD
	Role         *string
	Area         *string
	Reach        *int64
	Quantity     *int
	Merge        []string // ids of rows to force into this one
	Split        bool
}

// EditFields names the fields of an EditRequest as SetField takes them:
// the `contriblog edit` flags, which are also the daemon's form fields.
var EditFields = []string{"exclude", "include", "type", "title", "date", "role", "area", "reach", "quantity", "merge", "split"}

// SetField sets the field name (one of EditFields) from its text, as the
// flag of that name gives it: exclude, include and split are booleans
// ("1", "true"; "" is true, "false" leaves the request as it was); type,
// title, date, role and area are taken as given; reach and quantity are
// whole numbers (Curate checks their ranges); each merge adds an id. The
// error names the field and the value; it does not wrap ErrInvalidEdit,
// since the caller knows whether a flag or a form field was wrong.
func (r *EditRequest) SetField(name, value string) error {
	switch name {
	case "exclude", "include", "split":
		v := strings.TrimSpace(value)
		b := true // a bare flag or field is set
		if v != "" {
			var err error
			if b, err = strconv.ParseBool(v); err != nil {
				return fmt.Errorf("%s=%q: expected true or false", name, v)
			}
		}
		if name == "split" {
			r.Split = b
			return nil
		}
		if b {
			ex := name == "exclude"
			if r.Exclude != nil && *r.Exclude != ex {
				return errors.New("exclude and include contradict each other")
			}
			r.Exclude = &ex
		}
	case "type":
		r.ActivityType = &value
	case "title":
		r.Title = &value
	case "date":
		r.Date = &value
	case "role":
		r.Role = &value
	case "area":
		r.Area = &value
	case "reach", "quantity":
		n, err := strconv.ParseInt(strings.TrimSpace(value), 10, 64)
		if err != nil {
			return fmt.Errorf("%s %q: expected a whole number", name, value)
		}
		if name == "reach" {
			r.Reach = &n
		} else {
			q := int(n)
			r.Quantity = &q
		}
	case "merge":
		r.Merge = append(r.Merge, strings.TrimSpace(value))
	default:
		return fmt.Errorf("unknown field %q", name)
	}
	return nil
}

// empty reports whether the request changes nothing.
func (r *EditRequest) empty() bool {
	return r.Exclude == nil && r.ActivityType == nil && r.Title == nil && r.Date == nil && r.Role == nil &&
		r.Area == nil && r.Reach == nil && r.Quantity == nil && len(r.Merge) == 0 && !r.Split
}

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
// the edits to store (SaveEdit each, then rebuild the log). The first is
// the row's edit: its earlier edit, if any, with req folded in (a later
// value replaces an earlier one), else a new one. Others follow when
// --split has to clear forced merges that other rows' edits made into
// this row. edits are the stored edits; opts gives the vocabulary that
// --type must name and the area names --area is spelled like.
//
// Errors wrap ErrNotFound for an unknown id and ErrInvalidEdit for a bad
// request.
func Curate(log []Contribution, edits []Edit, id string, req EditRequest, opts LogOptions, now time.Time) ([]Edit, error) {
	if req.empty() {
		return nil, fmt.Errorf("%w: nothing to change; give at least one of --exclude, --include, --type, --title, --date, --role, --area, --reach, --quantity, --merge, --split", ErrInvalidEdit)
	}
	if req.Split && len(req.Merge) > 0 {
		return nil, fmt.Errorf("%w: --merge and --split contradict each other", ErrInvalidEdit)
	}
	row, ok := FindContribution(log, id)
	if !ok {
		return nil, fmt.Errorf("contribution %q: %w", id, ErrNotFound)
	}
	e := NewEdit(&row, now)
	for _, old := range edits {
		if old.ID == row.ID {
			e = old
			break
		}
	}
	e.Anchors = mergeStrings(e.Anchors, anchorKeys(&row))
	e.Updated = now.UTC()
	if err := setFields(&e, &req, &opts); err != nil {
		return nil, err
	}
	for _, other := range req.Merge {
		if err := addMerge(&e, log, &row, other); err != nil {
			return nil, err
		}
	}
	if !req.Split {
		return []Edit{e}, nil
	}
	if len(row.Observations) < 2 {
		return nil, fmt.Errorf("%w: contribution %s holds one observation; there is nothing to split", ErrInvalidEdit, row.ID)
	}
	e.Split, e.MergeWith, e.MergeAnchors = true, nil, nil
	return append([]Edit{e}, unmergeRow(edits, &row)...), nil
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
	e.Split = false // merging again undoes an earlier split
	return nil
}

// unmergeRow returns the other edits whose forced merges pulled
// observations into row, with those merges removed, so that a split
// undoes them. Their Updated is kept: no field of theirs changed.
func unmergeRow(edits []Edit, row *Contribution) []Edit {
	keys := map[string]bool{}
	ids := map[string]bool{row.ID: true}
	for _, k := range anchorKeys(row) {
		keys[k] = true
		ids[ShortID(k)] = true
	}
	var out []Edit
	for _, e := range edits {
		if e.ID == row.ID || len(e.MergeWith)+len(e.MergeAnchors) == 0 {
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

// setFields validates req's field values and sets them on e. An empty
// string clears the curated value; --include clears --exclude (a
// harvested row is never excluded).
func setFields(e *Edit, req *EditRequest, opts *LogOptions) error {
	if req.Exclude != nil {
		e.Exclude = nil
		if *req.Exclude {
			e.Exclude = ptr(true)
		}
	}
	if req.ActivityType != nil {
		e.ActivityType = nil
		if v := CleanText(*req.ActivityType); v != "" {
			name, err := opts.vocabulary().Resolve(v)
			if err != nil {
				return fmt.Errorf("%w: type: %w", ErrInvalidEdit, err)
			}
			e.ActivityType = &name
		}
	}
	if req.Date != nil {
		e.Date = nil
		if v := strings.TrimSpace(*req.Date); v != "" {
			if !validDate(v) {
				return fmt.Errorf("%w: date %q: want a calendar date as YYYY-MM-DD", ErrInvalidEdit, v)
			}
			e.Date = &v
		}
	}
	e.Title = setText(e.Title, req.Title)
	e.Role = setText(e.Role, req.Role)
	e.Area = setText(e.Area, req.Area)
	if e.Area != nil && req.Area != nil {
		e.Area = ptr(areaName(opts.Areas, *e.Area))
	}
	if req.Reach != nil {
		if *req.Reach < 0 {
			return fmt.Errorf("%w: reach %d: want 0 or more", ErrInvalidEdit, *req.Reach)
		}
		e.Reach = ptr(*req.Reach)
	}
	if req.Quantity != nil {
		if *req.Quantity < 1 {
			return fmt.Errorf("%w: quantity %d: want 1 or more", ErrInvalidEdit, *req.Quantity)
		}
		e.Quantity = ptr(*req.Quantity)
	}
	return nil
}

// setText returns the curated text after a request: unchanged when not
// requested, nil for an empty request (clear), else the cleaned text.
func setText(cur, req *string) *string {
	if req == nil {
		return cur
	}
	if v := CleanText(*req); v != "" {
		return &v
	}
	return nil
}

// areaName spells name like the config's area it names, if any, so that
// "identity & access" tags the same area as the keywords do.
func areaName(areas []Area, name string) string {
	for _, a := range areas {
		if strings.EqualFold(strings.TrimSpace(a.Name), name) {
			return a.Name
		}
	}
	return name
}

// validDate reports whether s is a real calendar date as YYYY-MM-DD.
func validDate(s string) bool {
	t, err := time.Parse(DateLayout, s)
	return err == nil && t.Format(DateLayout) == s
}

func (o *LogOptions) vocabulary() *Vocabulary {
	if o.Vocabulary == nil {
		return NewVocabulary(nil)
	}
	return o.Vocabulary
}

func ptr[T any](v T) *T { return &v }
