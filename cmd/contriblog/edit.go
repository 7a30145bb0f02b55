package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/export"
)

// editFlags are `contriblog edit`'s flags; a nil field was not given.
type editFlags struct {
	exclude, include, split bool
	typ, title, date, role  optString
	area, reach, quantity   optString
	merge                   optString
}

// optString is a string flag that remembers whether it was set.
type optString struct {
	v   string
	set bool
}

func (o *optString) String() string { return o.v }
func (o *optString) Set(v string) error {
	o.v, o.set = v, true
	return nil
}

func (m *Main) runEdit(ctx context.Context, args []string) error {
	fs := m.newFlagSet("edit", "ID [--exclude|--include] [--type T] [--title S] [--date D] [--role R] [--area A] [--reach N] [--quantity N] [--merge ID2] [--split]")
	var f editFlags
	fs.BoolVar(&f.exclude, "exclude", false, "leave the contribution out of exports (list --all and export --all still show it)")
	fs.BoolVar(&f.include, "include", false, "undo --exclude")
	fs.BoolVar(&f.split, "split", false, "undo merges: every observation becomes a row of its own")
	fs.Var(&f.typ, "type", "set the activity `TYPE`")
	fs.Var(&f.title, "title", "set the `TITLE`")
	fs.Var(&f.date, "date", "set the `DATE` (YYYY-MM-DD)")
	fs.Var(&f.role, "role", "set the `ROLE`")
	fs.Var(&f.area, "area", "set the primary technology `AREA`")
	fs.Var(&f.reach, "reach", "set the reach to `N`")
	fs.Var(&f.quantity, "quantity", "set the quantity to `N`")
	fs.Var(&f.merge, "merge", "merge the contribution `ID2` into this one")
	pos, err := m.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("edit takes exactly one contribution ID (see `contriblog list`)")
	}
	if f.exclude && f.include {
		return usagef("--exclude and --include contradict each other")
	}
	cfg, err := m.loadConfig()
	if err != nil {
		return err
	}
	db, err := m.openStore(cfg, false)
	if err != nil {
		return err
	}
	defer db.Close()
	c, err := m.applyEdit(ctx, db, cfg.Vocabulary, pos[0], &f)
	if err != nil {
		return err
	}
	if _, _, err := harvester.RebuildLog(ctx, db, logOptions(cfg)); err != nil {
		return fmt.Errorf("rebuild log: %w", err)
	}
	// The edited row may have a new id after a split or merge: show the
	// row that now holds its first observation.
	row, err := findRow(ctx, db, c)
	if err != nil {
		return err
	}
	enc := export.NewTableEncoder(m.Stdout, export.TableOptions{All: true})
	if err := enc.Encode(&row); err != nil {
		return err
	}
	return enc.Close()
}

// applyEdit validates the flags against contribution id and stores the
// resulting edit, merged with any earlier edit of the same contribution.
func (m *Main) applyEdit(ctx context.Context, st harvester.Store, voc *harvester.Vocabulary, id string, f *editFlags) (harvester.Contribution, error) {
	c, err := st.Contribution(ctx, id)
	if errors.Is(err, harvester.ErrNotFound) {
		return c, usagef("no contribution with id %q; `contriblog list --all` shows the ids", id)
	} else if err != nil {
		return c, err
	}
	e, err := existingEdit(ctx, st, id)
	if err != nil {
		return c, err
	}
	if e.ID == "" {
		e = harvester.Edit{ID: id, Anchors: anchorsOf(&c)}
	}
	if err := setEditFields(&e, voc, f); err != nil {
		return c, err
	}
	if f.merge.set {
		other, err := st.Contribution(ctx, f.merge.v)
		if errors.Is(err, harvester.ErrNotFound) {
			return c, usagef("--merge: no contribution with id %q", f.merge.v)
		} else if err != nil {
			return c, err
		}
		if other.ID == c.ID {
			return c, usagef("--merge: a contribution cannot be merged with itself")
		}
		e.MergeWith = appendUnique(e.MergeWith, other.ID)
		e.MergeAnchors = appendUnique(e.MergeAnchors, anchorsOf(&other)...)
		e.Split = false
	}
	if f.split {
		e.Split, e.MergeWith, e.MergeAnchors = true, nil, nil
	}
	e.Updated = m.Now().UTC()
	return c, st.SaveEdit(ctx, e)
}

func setEditFields(e *harvester.Edit, voc *harvester.Vocabulary, f *editFlags) error {
	if f.exclude || f.include {
		v := f.exclude
		e.Exclude = &v
	}
	if f.typ.set {
		name, err := voc.Resolve(f.typ.v)
		if err != nil {
			return usageError{fmt.Errorf("--type: %w", err)}
		}
		e.ActivityType = &name
	}
	if f.date.set {
		if _, err := time.Parse(harvester.DateLayout, f.date.v); err != nil {
			return usagef("--date %q: expected YYYY-MM-DD", f.date.v)
		}
		e.Date = &f.date.v
	}
	for _, s := range []struct {
		o   optString
		dst **string
	}{{f.title, &e.Title}, {f.role, &e.Role}, {f.area, &e.Area}} {
		if s.o.set {
			v := harvester.CleanText(s.o.v)
			*s.dst = &v
		}
	}
	if f.reach.set {
		n, err := strconv.ParseInt(f.reach.v, 10, 64)
		if err != nil || n < 0 {
			return usagef("--reach %q: expected a whole number of 0 or more", f.reach.v)
		}
		e.Reach = &n
	}
	if f.quantity.set {
		n, err := strconv.Atoi(f.quantity.v)
		if err != nil || n < 1 {
			return usagef("--quantity %q: expected a whole number of 1 or more", f.quantity.v)
		}
		e.Quantity = &n
	}
	return nil
}

func existingEdit(ctx context.Context, st harvester.Store, id string) (harvester.Edit, error) {
	edits, err := st.Edits(ctx)
	if err != nil {
		return harvester.Edit{}, err
	}
	for _, e := range edits {
		if e.ID == id {
			return e, nil
		}
	}
	return harvester.Edit{}, nil
}

func anchorsOf(c *harvester.Contribution) []string {
	out := make([]string, 0, len(c.Observations))
	for _, o := range c.Observations {
		out = append(out, harvester.ObservationKey(o.Source, o.NativeID))
	}
	return out
}

func appendUnique(list []string, vs ...string) []string {
	for _, v := range vs {
		found := false
		for _, x := range list {
			found = found || x == v
		}
		if !found {
			list = append(list, v)
		}
	}
	return list
}

// findRow returns the log row that now holds c's first observation.
func findRow(ctx context.Context, st harvester.Store, c harvester.Contribution) (harvester.Contribution, error) {
	if row, err := st.Contribution(ctx, c.ID); err == nil {
		return row, nil
	}
	want := anchorsOf(&c)
	var found harvester.Contribution
	err := st.ForEachContribution(ctx, func(row *harvester.Contribution) error {
		for _, k := range anchorsOf(row) {
			if len(want) > 0 && k == want[0] {
				found = *row
			}
		}
		return nil
	})
	if err == nil && found.ID == "" {
		err = fmt.Errorf("contribution %s is no longer in the log", c.ID)
	}
	return found, err
}
