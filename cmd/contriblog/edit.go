package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"strings"

	"github.com/contriblog/contriblog/cmd/contriblog/daemon"
	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/export"
)

// editFlags registers `contriblog edit`'s flags and collects them as the
// form POST /edit/{id} takes, so that an edit made beside a running
// daemon is the same request as one made on the database.
type editFlags struct{ form url.Values }

func (f *editFlags) register(fs *flag.FlagSet) {
	f.form = url.Values{}
	boolean := func(name, usage string) {
		fs.BoolFunc(name, usage, func(v string) error {
			f.form.Set(name, v)
			return nil
		})
	}
	text := func(name, usage string) {
		fs.Func(name, usage, func(v string) error {
			if name == "merge" {
				f.form.Add(name, v)
			} else {
				f.form.Set(name, v)
			}
			return nil
		})
	}
	boolean("exclude", "leave the contribution out of exports (list --all and export --all still show it)")
	boolean("include", "undo --exclude")
	boolean("split", "undo merges: every observation becomes a row of its own again")
	text("type", "set the activity `TYPE` (\"\" restores the harvested one)")
	text("title", "set the `TITLE` (\"\" restores the harvested one)")
	text("date", "set the `DATE` (YYYY-MM-DD)")
	text("role", "set the `ROLE`")
	text("area", "set the primary technology `AREA`")
	text("reach", "set the reach to `N`")
	text("quantity", "set the quantity to `N`")
	text("merge", "merge the contribution `ID2` into this one (repeatable)")
}

func (m *Main) runEdit(ctx context.Context, args []string) error {
	fs := m.newFlagSet("edit", "ID [--exclude|--include] [--type T] [--title S] [--date D] [--role R] [--area A] [--reach N] [--quantity N] [--merge ID2] [--split]")
	var f editFlags
	f.register(fs)
	pos, err := m.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("edit takes exactly one contribution ID (see `contriblog list --all`)")
	}
	id := pos[0]
	req, err := editRequestFromForm(f.form)
	if err != nil {
		return usagef("--%s", err)
	}
	cfg, err := m.loadConfig()
	if err != nil {
		return err
	}
	db, err := m.openStore(cfg, false)
	if remote(cfg, err) {
		row, rerr := daemon.PostEdit(ctx, cfg.Listen, cfg.ListenToken, id, f.form)
		if rerr != nil {
			return editError(id, remoteError(err, rerr))
		}
		return m.printRow(&row)
	}
	if err != nil {
		return err
	}
	defer db.Close()
	before, err := m.curate(ctx, db, cfg, id, req)
	if err != nil {
		return editError(id, err)
	}
	if _, _, err := harvester.RebuildLog(ctx, db, logOptions(cfg)); err != nil {
		return fmt.Errorf("rebuild log: %w", err)
	}
	row, err := findRow(ctx, db, before)
	if err != nil {
		return err
	}
	return m.printRow(&row)
}

// editError makes a refused edit a usage error (exit 2) with a hint.
func editError(id string, err error) error {
	switch {
	case errors.Is(err, harvester.ErrNotFound):
		return usagef("%v; `contriblog list --all` shows the ids", err)
	case errors.Is(err, harvester.ErrInvalidEdit), errors.Is(err, daemon.ErrInvalid):
		return usageError{fmt.Errorf("edit %s: %w", id, err)}
	}
	return err
}

func (m *Main) printRow(row *harvester.Contribution) error {
	enc := export.NewTableEncoder(m.Stdout, export.TableOptions{All: true})
	if err := enc.Encode(row); err != nil {
		return err
	}
	return enc.Close()
}

// findRow returns the log row that now holds the first observation of
// the row as it was before the edit: a split or merge may give it a new id.
func findRow(ctx context.Context, st harvester.Store, before harvester.Contribution) (harvester.Contribution, error) {
	if row, err := st.Contribution(ctx, before.ID); err == nil {
		return row, nil
	}
	var log []harvester.Contribution
	err := st.ForEachContribution(ctx, func(c *harvester.Contribution) error {
		log = append(log, *c)
		return nil
	})
	if err != nil {
		return harvester.Contribution{}, err
	}
	for _, o := range before.Observations {
		if row, ok := harvester.FindContribution(log, harvester.ShortID(harvester.ObservationKey(o.Source, o.NativeID))); ok {
			return row, nil
		}
	}
	return harvester.Contribution{}, fmt.Errorf("contribution %s is no longer in the log", strings.ToLower(before.ID))
}
