package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/contriblog/contriblog/cmd/contriblog/config"
	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/export"
	"github.com/contriblog/contriblog/store"
)

// runDaemon is `contriblog run`: a pass at start-up, then passes on the
// config's schedules until ctx ends, with the export rewritten after every
// pass that changed the log.
func (m *Main) runDaemon(ctx context.Context, args []string) error {
	fs := m.newFlagSet("run", "[--log-format text|json]")
	var logFormat string
	fs.StringVar(&logFormat, "log-format", "text", "log `FORMAT`: text or json")
	if err := m.noArgs(fs, args); err != nil {
		return err
	}
	if logFormat == "json" {
		m.logger = slog.New(slog.NewJSONHandler(m.Stderr, &slog.HandlerOptions{Level: m.logLevel()}))
	} else if logFormat != "text" {
		return usagef("--log-format %q: expected text or json", logFormat)
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
	d := &daemon{m: m, cfg: cfg, db: db}
	return d.run(ctx)
}

type daemon struct {
	m   *Main
	cfg *config.Config
	db  *store.DB
	mu  sync.Mutex // one pass at a time
}

func (d *daemon) run(ctx context.Context) error {
	log := d.m.logger
	d.pass(ctx, nil, true)
	c := cron.New(cron.WithLocation(d.cfg.Timezone), cron.WithChain(
		cron.SkipIfStillRunning(cronLogger{log}), cron.Recover(cronLogger{log})))
	for spec, names := range d.schedules() {
		names := names
		if _, err := c.AddFunc(spec, func() { d.pass(ctx, names, false) }); err != nil {
			return usageError{fmt.Errorf("schedule %q: %w", spec, err)}
		}
		log.Info("scheduled", "schedule", spec, "sources", names)
	}
	c.Start()
	<-ctx.Done()
	log.Info("shutting down")
	stopped := c.Stop()
	select {
	case <-stopped.Done():
	case <-time.After(8 * time.Second):
		log.Warn("a pass did not stop in time; closing anyway")
	}
	return nil
}

// schedules groups the enabled sources by their cron spec.
func (d *daemon) schedules() map[string][]string {
	out := map[string][]string{}
	for _, s := range d.cfg.Sources {
		if !s.Enabled {
			continue
		}
		spec := s.Schedule
		if spec == "" {
			spec = d.cfg.Schedule
		}
		out[spec] = append(out[spec], s.Name)
	}
	for _, names := range out {
		sort.Strings(names)
	}
	return out
}

// pass harvests the named sources and rewrites the export when the log
// changed (or, at start-up, when there is none yet).
func (d *daemon) pass(ctx context.Context, names []string, first bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if ctx.Err() != nil {
		return
	}
	p, err := d.m.harvest(ctx, d.cfg, d.db, names)
	if err != nil {
		d.m.logger.Error("pass failed", "err", err)
		return
	}
	if d.cfg.Export.Path != "" && (p.LogChanged || first) {
		if err := d.writeExport(ctx); err != nil {
			d.m.logger.Error("export failed", "path", d.cfg.Export.Path, "err", err)
		} else {
			d.m.logger.Info("export written", "path", d.cfg.Export.Path, "rows", p.Rows)
		}
	}
}

func (d *daemon) writeExport(ctx context.Context) error {
	return export.WriteFileAtomic(d.cfg.Export.Path, 0o644, func(w io.Writer) error {
		enc, err := export.New(d.cfg.Export.Format, w, export.Options{})
		if err != nil {
			return err
		}
		err = d.db.ForEachContribution(ctx, func(c *harvester.Contribution) error {
			if c.Excluded {
				return nil
			}
			return enc.Encode(c)
		})
		if cerr := enc.Close(); err == nil {
			err = cerr
		}
		return err
	})
}

// cronLogger adapts slog to cron.Logger.
type cronLogger struct{ l *slog.Logger }

func (c cronLogger) Info(msg string, kv ...any) { c.l.Debug("cron: "+msg, kv...) }
func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error("cron: "+msg, append(kv, "err", err)...)
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
