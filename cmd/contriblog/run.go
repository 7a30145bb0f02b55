package main

import (
	"context"
	"errors"
	"log/slog"

	"github.com/contriblog/contriblog/cmd/contriblog/config"
	"github.com/contriblog/contriblog/cmd/contriblog/daemon"
	"github.com/contriblog/contriblog/harvester"
)

// runDaemon is `contriblog run`: the daemon package does the scheduling,
// backoff, auto-export and HTTP API; this wires the config, the store and
// the sources into it.
func (m *Main) runDaemon(ctx context.Context, args []string) error {
	if handled, err := m.runAsService(ctx, args); handled {
		return err
	}
	fs := m.newFlagSet("run", "[--log-format text|json]")
	var logFormat string
	fs.StringVar(&logFormat, "log-format", "text", "log `FORMAT`: text or json (for journald, Loki and the like)")
	if err := m.noArgs(fs, args); err != nil {
		return err
	}
	switch logFormat {
	case "json":
		m.logger = m.newLogger(true)
	case "text":
	default:
		return usagef("--log-format %q: expected text or json", logFormat)
	}
	cfg, err := m.loadConfig()
	if err != nil {
		return err
	}
	h, err := m.newHarvester(cfg, nil, nil) // sources checked before the lock is taken
	if err != nil {
		return err
	}
	db, err := m.openStore(cfg, false)
	if err != nil {
		return err
	}
	defer db.Close()
	h.Store = db
	opts := h.Log
	d := &daemon.Daemon{
		Config: daemon.Config{
			Schedule:     cfg.Schedule,
			Sources:      schedules(cfg),
			Location:     cfg.Timezone,
			ExportPath:   cfg.Export.Path,
			ExportFormat: cfg.Export.Format,
			Listen:       cfg.Listen,
			ListenToken:  cfg.ListenToken,
			BackupDir:    cfg.Backup.Dir,
			BackupKeep:   cfg.Backup.Keep,
		},
		Harvester: h,
		Store:     db,
		Backup:    db.Backup,
		Edit: func(ctx context.Context, ids []string, req harvester.EditRequest) ([]harvester.Contribution, error) {
			rows, err := curate(ctx, db, opts, ids, req, m.Now())
			if errors.Is(err, harvester.ErrInvalidEdit) {
				err = daemon.Invalid(err)
			}
			return rows, err
		},
		Forget: func(ctx context.Context, source string, apply bool) (harvester.ForgetReport, error) {
			return harvester.Forget(ctx, db, source, sourceNames(cfg), apply)
		},
		Rebuild: func(ctx context.Context) error {
			_, _, err := harvester.RebuildLog(ctx, db, opts)
			return err
		},
		Logger: m.logger,
		Now:    m.Now,
	}
	if err := d.Run(ctx); err != nil {
		return usageError{err}
	}
	m.logger.Info("daemon stopped; closing the database")
	return nil
}

// schedules is what the daemon needs to know of each configured source.
func schedules(cfg *config.Config) []daemon.SourceSchedule {
	out := make([]daemon.SourceSchedule, 0, len(cfg.Sources))
	for _, s := range cfg.Sources {
		out = append(out, daemon.SourceSchedule{Name: s.Name, Type: s.Type, Schedule: s.Schedule, Enabled: s.Enabled})
	}
	return out
}

func (m *Main) logLevel() slog.Level {
	switch {
	case m.g.verbose:
		return slog.LevelDebug
	case m.g.quiet:
		return slog.LevelWarn
	}
	return slog.LevelInfo
}
