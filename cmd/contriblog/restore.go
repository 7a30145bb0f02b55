package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/contriblog/contriblog/store"
)

// runRestore replaces the database with a copy of a backup, after checking
// the backup, and keeps the database it replaces beside it. It never goes
// through a running daemon: the daemon must be stopped first, or it would
// go on writing the file that is being replaced.
func (m *Main) runRestore(ctx context.Context, args []string) error {
	fs := m.newFlagSet("restore", "FILE")
	pos, err := m.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("restore takes one argument, the backup FILE to restore (got %d)", len(pos))
	}
	cfg, err := m.loadConfig()
	if err != nil {
		return err
	}
	r, err := store.Restore(ctx, pos[0], cfg.Database, store.RestoreOptions{Timeout: lockWait(cfg), Now: m.Now, Logger: m.logger})
	if errors.Is(err, store.ErrLocked) {
		return fmt.Errorf("%w: stop `contriblog run` first, then restore (nothing was changed)", err)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "restored %s to %s\n", pos[0], r.Path)
	switch {
	case r.Kept == "":
		fmt.Fprintf(m.Stdout, "there was no database at %s before\n", r.Path)
	case r.KeptProblem == nil:
		fmt.Fprintf(m.Stdout, "the database it replaced was sound; it is kept as %s\n", r.Kept)
	case errors.Is(r.KeptProblem, store.ErrDamaged):
		fmt.Fprintf(m.Stdout, "the database it replaced is damaged; it is kept as %s\n", r.Kept)
	default:
		fmt.Fprintf(m.Stdout, "the database it replaced could not be checked (%s); it is kept as %s\n", firstLine(r.KeptProblem), r.Kept)
	}
	fmt.Fprintln(m.Stdout, "the next harvest fetches what was published since the backup")
	if r.Kept != "" {
		fmt.Fprintln(m.Stdout, "curation edits (`contriblog edit`) made since the backup are only in the kept file: make them again")
	}
	return nil
}

// firstLine is the first line of err's text: Check's lists the problems
// on the lines after it.
func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}
