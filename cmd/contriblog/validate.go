package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/contriblog/contriblog/store"
)

// checker is a source that can check its input without contacting
// anything and without storing (file.Source: the hand-kept file).
type checker interface {
	Check(ctx context.Context) error
}

func (m *Main) runValidate(ctx context.Context, args []string) error {
	flags := m.newFlagSet("validate", "[--no-env]")
	var noEnv bool
	flags.BoolVar(&noEnv, "no-env", false, "do not require the environment variables sources' keys name (${VAR}), as on a machine that only reads the log")
	if err := m.noArgs(flags, args); err != nil {
		return err
	}
	cfg, err := m.loadConfig()
	if err != nil {
		return err
	}
	srcs, err := m.buildSources(cfg, m.newFetchClient(), nil)
	if err != nil {
		return err
	}
	var problems []error
	if !noEnv {
		if err := cfg.UnsetVars(); err != nil {
			problems = append(problems, err)
		}
	}
	for _, src := range srcs {
		c, ok := src.(checker)
		if !ok {
			continue
		}
		err := c.Check(ctx)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			// Not kept yet (a config just copied from the example): the
			// source fails when harvested, the config is not wrong.
			m.logger.Warn(err.Error(), "source", src.Name())
		case err != nil:
			problems = append(problems, fmt.Errorf("source %s: %w", src.Name(), err))
		}
	}
	if len(problems) > 0 {
		return usageError{fmt.Errorf("%s: the config is valid, but:\n%w", cfg.Path, errors.Join(problems...))}
	}
	enabled := 0
	for _, s := range cfg.Sources {
		if s.Enabled {
			enabled++
		}
	}
	ok := fmt.Sprintf("%s: ok (%d sources, %d enabled)", cfg.Path, len(cfg.Sources), enabled)
	if _, err := os.Stat(cfg.Database); errors.Is(err, os.ErrNotExist) {
		// validate never creates it: the first harvest does.
		fmt.Fprintf(m.Stdout, "%s; database %s: none yet (the first harvest creates it)\n", ok, cfg.Database)
		return nil
	}
	db, err := m.openStore(cfg, false)
	if errors.Is(err, store.ErrLocked) {
		// A running daemon holds it: the database opens, just not twice.
		fmt.Fprintf(m.Stdout, "%s; database %s: held by a running daemon\n", ok, cfg.Database)
		return nil
	}
	if errors.Is(err, store.ErrDamaged) {
		// Not a mistake in the config: the file needs a backup (exit 1).
		return fmt.Errorf("config is valid, but %w", err)
	}
	if err != nil {
		return usageError{fmt.Errorf("config is valid, but the database cannot be opened: %w", err)}
	}
	// Opening reads only the first pages: bbolt's check reads them all
	// and contriblog's decodes every record.
	checkErr := db.Check()
	if err := db.Close(); err != nil {
		return err
	}
	if checkErr != nil {
		return fmt.Errorf("config is valid, but %w", checkErr)
	}
	fmt.Fprintf(m.Stdout, "%s; database %s: ok\n", ok, cfg.Database)
	return nil
}
