package main

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/contriblog/contriblog/cmd/contriblog/config"
	"github.com/contriblog/contriblog/cmd/contriblog/daemon"
	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/store"
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
	case "json", "text":
		// The daemon's logs are structured records for journald, Loki
		// and the like, whatever the other commands print.
		m.logger, m.plainLog = m.newLogger(logFormat == "json"), false
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
	d := &daemon.Daemon{
		Config:    daemonConfig(cfg),
		Harvester: h,
		Store:     db,
		Backup:    db.Backup,
		// The commands beside the daemon read its secret there
		// (openLogService).
		SecretFile: daemon.SecretPath(cfg.Database),
		Edit:       m.editFunc(db, h.Log),
		Forget:     forgetFunc(db, cfg),
		Rebuild:    rebuildFunc(db, h.Log),
		Logger:     m.logger,
		Now:        m.Now,
	}
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	go func() {
		for {
			select {
			case <-hup:
				m.reloadDaemon(ctx, d, db, cfg)
			case <-ctx.Done():
				return
			}
		}
	}()
	if err := d.Run(ctx); err != nil {
		return usageError{err}
	}
	m.logger.Info("daemon stopped; closing the database")
	return nil
}

// reloadDaemon is SIGHUP: the config is read again and checked as at
// start-up (sources built, schedules parsed); a config that fails keeps
// the daemon as it runs and says why. The database and the listen address
// are the running ones until a restart (docs/daemon.md#reloading-the-config).
func (m *Main) reloadDaemon(ctx context.Context, d *daemon.Daemon, db *store.DB, running *config.Config) {
	m.logger.Info("SIGHUP: reloading the config")
	failed := func(err error) {
		m.logger.Error("config reload failed; the daemon keeps running with its current config", "err", err)
	}
	cfg, err := m.loadConfig()
	if err != nil {
		failed(err)
		return
	}
	if cfg.Database != running.Database {
		m.logger.Warn("database changed in the config; the daemon keeps the open one until it restarts", "database", running.Database)
	}
	h, err := m.newHarvester(cfg, nil, nil)
	if err != nil {
		failed(err)
		return
	}
	h.Store = db
	rep, err := d.Reload(ctx, daemon.Reload{Config: daemonConfig(cfg), Harvester: h,
		Edit: m.editFunc(db, h.Log), Forget: forgetFunc(db, cfg), Rebuild: rebuildFunc(db, h.Log)})
	if err != nil {
		failed(err)
		return
	}
	for _, k := range rep.Kept {
		m.logger.Warn(k + " changed in the config; it takes effect when the daemon restarts")
	}
	m.logger.Info("config reloaded", "added", rep.Added, "removed", rep.Removed, "rescheduled", rep.Rescheduled)
}

// daemonConfig is what the daemon needs of cfg.
func daemonConfig(cfg *config.Config) daemon.Config {
	return daemon.Config{
		Schedule:     cfg.Schedule,
		Sources:      schedules(cfg),
		Location:     cfg.Timezone,
		ExportPath:   cfg.Export.Path,
		ExportFormat: cfg.Export.Format,
		ExportExcel:  cfg.Export.Excel,
		Persons:      configPersons(cfg),
		Listen:       cfg.Listen,
		ListenToken:  cfg.ListenToken,
		BackupDir:    cfg.Backup.Dir,
		BackupKeep:   cfg.Backup.Keep,
		Vocabulary:   cfg.Vocabulary,
		Log:          logOptions(cfg),
		Programs:     cfg.Programs,
		Program:      cfg.Program,
	}
}

// editFunc stores one edit as the daemon asks (POST /edit/{id}).
func (m *Main) editFunc(db *store.DB, opts harvester.LogOptions) daemon.EditFunc {
	return func(ctx context.Context, ids []string, req harvester.EditRequest) ([]harvester.Contribution, error) {
		rows, err := curate(ctx, db, opts, ids, req, m.Now())
		if errors.Is(err, harvester.ErrInvalidEdit) {
			err = daemon.Invalid(err)
		}
		return rows, err
	}
}

// forgetFunc forgets a source as the daemon asks (POST /forget); the
// names it knows are cfg's sources and the database's.
func forgetFunc(db *store.DB, cfg *config.Config) daemon.ForgetFunc {
	return func(ctx context.Context, source string, apply bool) (harvester.ForgetReport, error) {
		return harvester.Forget(ctx, db, source, sourceNames(cfg), apply)
	}
}

// rebuildFunc rebuilds the stored log with opts.
func rebuildFunc(db *store.DB, opts harvester.LogOptions) func(context.Context) error {
	return func(ctx context.Context) error {
		_, _, err := harvester.RebuildLog(ctx, db, opts)
		return err
	}
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
