package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/export"
)

// editFlags registers `contriblog edit`'s flags. Each keeps the text it
// was given (the last, or every --merge); request turns them into the
// one edit request the log service takes, wherever the log is.
type editFlags struct {
	set   map[string]string
	merge []string
}

func (f *editFlags) register(fs *flag.FlagSet) {
	f.set = map[string]string{}
	boolean := func(name, usage string) {
		fs.BoolFunc(name, usage, func(v string) error {
			f.set[name] = v
			return nil
		})
	}
	text := func(name, usage string) {
		fs.Func(name, usage, func(v string) error {
			if name == "merge" {
				f.merge = append(f.merge, v)
			} else {
				f.set[name] = v
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

// request is the edit the flags ask for; an error names the flag.
func (f *editFlags) request() (harvester.EditRequest, error) {
	var req harvester.EditRequest
	for _, name := range harvester.EditFields {
		vals := f.merge
		if v, ok := f.set[name]; ok {
			vals = []string{v}
		} else if name != "merge" {
			continue
		}
		for _, v := range vals {
			if err := req.SetField(name, v); err != nil {
				return req, usagef("--%s", err)
			}
		}
	}
	return req, nil
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
	req, err := f.request()
	if err != nil {
		return err
	}
	cfg, err := m.loadConfig()
	if err != nil {
		return err
	}
	svc, err := m.openLogService(cfg, writeAccess)
	if err != nil {
		return err
	}
	defer svc.Close()
	row, err := svc.Edit(ctx, id, req)
	if err != nil {
		return editError(id, err)
	}
	return m.printRow(&row)
}

// editError makes a refused edit a usage error (exit 2) with a hint.
func editError(id string, err error) error {
	switch {
	case errors.Is(err, harvester.ErrNotFound):
		return usagef("%v; `contriblog list --all` shows the ids", err)
	case errors.Is(err, harvester.ErrInvalidEdit):
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
