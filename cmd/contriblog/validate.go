package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/contriblog/contriblog/store"
)

func (m *Main) runValidate(ctx context.Context, args []string) error {
	fs := m.newFlagSet("validate", "")
	if err := m.noArgs(fs, args); err != nil {
		return err
	}
	cfg, err := m.loadConfig()
	if err != nil {
		return err
	}
	if _, err := m.buildSources(cfg, m.newFetchClient(), nil); err != nil {
		return err
	}
	db, err := m.openStore(cfg, false)
	if errors.Is(err, store.ErrLocked) {
		// A running daemon holds it: the database opens, just not twice.
		fmt.Fprintf(m.Stdout, "%s: ok; database %s: held by a running daemon\n", cfg.Path, cfg.Database)
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
	enabled := 0
	for _, s := range cfg.Sources {
		if s.Enabled {
			enabled++
		}
	}
	fmt.Fprintf(m.Stdout, "%s: ok (%d sources, %d enabled); database %s: ok\n", cfg.Path, len(cfg.Sources), enabled, cfg.Database)
	return nil
}
