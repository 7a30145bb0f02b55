package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/export"
)

// editFlags registers `contriblog edit`'s flags. Each keeps the text it
// was given (the last, or every value of a repeatable one); request
// turns them into the one edit request the log service takes, wherever
// the log is.
type editFlags struct {
	set    map[string]string
	repeat map[string][]string // merge, audience, additional-area, set
	source string
}

func (f *editFlags) register(fs *flag.FlagSet) {
	f.set = map[string]string{}
	f.repeat = map[string][]string{}
	boolean := func(name, usage string) {
		fs.BoolFunc(name, usage, func(v string) error {
			f.set[name] = v
			return nil
		})
	}
	text := func(name, usage string) {
		fs.Func(name, usage, func(v string) error {
			if slices.Contains(harvester.RepeatableEditFields, name) {
				f.repeat[name] = append(f.repeat[name], v)
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
	text("url", "set the Activity `URL` (http or https; the harvested one stays among the other URLs)")
	text("description", "set the `TEXT` of the description")
	text("audience", "set the target `AUDIENCE` (repeatable; \"\" restores the harvested ones)")
	text("additional-area", "set an additional technology `AREA` (repeatable; \"\" restores the tagged ones)")
	text("reach", "set the reach to `N`")
	text("quantity", "set the quantity to `N`")
	text("private-description", "set the private description, which only the program sees, to `TEXT` (\"\" restores the hand-kept one)")
	text("microsoft-event", "set the Microsoft event (Ignite, Build, MVP Summit, ...) to `NAME`")
	boolean("high-impact", "mark the contribution high impact (--high-impact=false: not)")
	text("set", "set a count `KEY=N`, KEY one of "+strings.Join(harvester.CountKeys, ", ")+" (repeatable; KEY= restores the hand-kept one)")
	text("merge", "merge the contribution `ID2` into this one, which keeps its title and URL (repeatable)")
	fs.StringVar(&f.source, "source", "", "with --exclude or --include: every row holding an observation of source `NAME`")
}

// request is the edit the flags ask for; an error names the flag.
func (f *editFlags) request() (harvester.EditRequest, error) {
	var req harvester.EditRequest
	for _, name := range harvester.EditFields {
		vals := f.repeat[name]
		if v, ok := f.set[name]; ok {
			vals = []string{v}
		}
		for _, v := range vals {
			if err := req.SetField(name, v); err != nil {
				return req, usagef("--%s", err)
			}
		}
	}
	return req, nil
}

// onlyInclusion reports whether the flags ask for nothing but --exclude
// or --include, as --source takes.
func (f *editFlags) onlyInclusion() bool {
	for name := range f.set {
		if name != "exclude" && name != "include" {
			return false
		}
	}
	return len(f.repeat) == 0 && len(f.set) > 0
}

func (m *Main) runEdit(ctx context.Context, args []string) error {
	fs := m.newFlagSet("edit", "ID... | --source NAME  [--exclude|--include] [--type T] [--title S] [--date D] [--role R] [--area A] [--url U] [--description S] [--audience A]... [--additional-area A]... [--reach N] [--quantity N] [--private-description S] [--microsoft-event E] [--high-impact[=false]] [--set KEY=N]... [--merge ID2]... [--split]")
	var f editFlags
	f.register(fs)
	ids, err := m.parse(fs, args)
	if err != nil {
		return err
	}
	switch {
	case f.source != "" && len(ids) > 0:
		return usagef("edit takes contribution ids or --source NAME, not both")
	case f.source != "" && !f.onlyInclusion():
		return usagef("edit --source takes only --exclude or --include (edit the rows by id to change anything else)")
	case f.source == "" && len(ids) == 0:
		return usagef("edit takes one or more contribution IDs (see `contriblog list --all`) or --source NAME")
	}
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
	if f.source != "" {
		if ids, err = sourceRows(ctx, svc, f.source, sourceNames(cfg)); err != nil || len(ids) == 0 {
			if err == nil {
				fmt.Fprintf(m.Stderr, "no row holds an observation of source %s; nothing changed\n", cell(f.source))
			}
			return err
		}
	}
	rows, err := svc.Edit(ctx, ids, req)
	if err != nil {
		return editError(ids, err)
	}
	return m.printRows(rows)
}

// sourceRows are the ids of the rows holding an observation of source,
// read from the log. A source that neither the config nor the log knows
// is a usage error suggesting the nearest name.
func sourceRows(ctx context.Context, svc harvester.LogService, source string, configured []string) ([]string, error) {
	var ids []string
	known := map[string]bool{}
	for _, n := range configured {
		known[n] = true
	}
	err := svc.Log(ctx, harvester.Filter{All: true}, func(c *harvester.Contribution) error {
		for _, s := range c.Sources {
			known[s] = true
		}
		if slices.Contains(c.Sources, source) {
			ids = append(ids, c.ID)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if known[source] {
		return ids, nil
	}
	names := make([]string, 0, len(known))
	for n := range known {
		names = append(names, n)
	}
	sort.Strings(names)
	msg := fmt.Sprintf("--source %q: no such source", source)
	if s := harvester.SuggestName(source, names); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	if len(names) > 0 {
		msg += "; known sources: " + strings.Join(names, ", ")
	}
	return nil, usageError{errors.New(msg)}
}

// editError makes a refused edit a usage error (exit 2) with a hint.
func editError(ids []string, err error) error {
	switch {
	case errors.Is(err, harvester.ErrNotFound):
		return usagef("%v; `contriblog list --all` shows the ids", err)
	case errors.Is(err, harvester.ErrInvalidEdit):
		return usageError{fmt.Errorf("edit %s: %w", strings.Join(ids, " "), err)}
	}
	return err
}

// printRows prints rows as `list --all` does: every row an edit changed
// or produced.
func (m *Main) printRows(rows []harvester.Contribution) error {
	enc := export.NewTableEncoder(m.Stdout, export.TableOptions{All: true})
	for i := range rows {
		if err := enc.Encode(&rows[i]); err != nil {
			return err
		}
	}
	return enc.Close()
}
