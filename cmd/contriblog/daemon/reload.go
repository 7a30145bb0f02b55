package daemon

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/robfig/cron/v3"
)

// Reload is a new configuration for a running daemon (what `contriblog
// run` builds on SIGHUP): the settings and the pipeline made from it.
// Listen and ListenToken cannot change while the daemon serves; see
// Daemon.Reload.
type Reload struct {
	Config    Config
	Harvester Harvester
	Edit      EditFunc
	Forget    ForgetFunc
	Rebuild   func(ctx context.Context) error
}

// ReloadReport says what a reload changed.
type ReloadReport struct {
	Added, Removed, Rescheduled []string // enabled sources, by name
	// Kept names the settings that need a restart and kept their running
	// value (listen, listen_token).
	Kept []string
}

// ErrNotRunning is returned by Reload before Run has started the daemon.
var ErrNotRunning = errors.New("daemon: not running")

// Reload replaces the running daemon's sources, schedules, export,
// backup settings and pipeline with r's, after checking them: an error
// leaves everything as it was. A pass under way finishes with the
// settings it started with; the next uses r's. The log is rebuilt with
// r's pipeline (areas, timezone and vocabulary may have changed; a pass
// that ends meanwhile rebuilds again, as after an edit) and the export
// rewritten if it changed; sources that were not scheduled before get a
// pass at once. Listen and ListenToken keep their running values
// (ReloadReport.Kept names those that differ): the listener and its
// checks are bound at start-up (docs/daemon.md#reloading-the-config).
func (d *Daemon) Reload(ctx context.Context, r Reload) (ReloadReport, error) {
	var rep ReloadReport
	d.mu.Lock()
	runCtx := d.runCtx
	d.mu.Unlock()
	if runCtx == nil {
		return rep, ErrNotRunning
	}
	old := d.live()
	next := &settings{Config: withDefaults(r.Config), harvester: r.Harvester, edit: r.Edit, forget: r.Forget, rebuild: r.Rebuild}
	if next.Listen != old.Listen {
		rep.Kept = append(rep.Kept, "listen")
	}
	if next.ListenToken != old.ListenToken {
		rep.Kept = append(rep.Kept, "listen_token")
	}
	next.Listen, next.ListenToken = old.Listen, old.ListenToken
	if err := validate(next); err != nil {
		return rep, err
	}
	plans, err := makePlans(next.Config)
	if err != nil {
		return rep, err
	}

	d.mu.Lock()
	for name, p := range plans {
		was, ok := d.plans[name]
		switch {
		case !ok:
			rep.Added = append(rep.Added, name)
		case was.spec != p.spec:
			rep.Rescheduled = append(rep.Rescheduled, name)
		}
	}
	for name := range d.plans {
		if _, ok := plans[name]; !ok {
			rep.Removed = append(rep.Removed, name)
		}
	}
	d.cur.Store(next)
	d.plans = plans
	if d.unscheduled == nil {
		d.unscheduled = map[string]bool{}
	}
	for _, name := range rep.Removed {
		d.unscheduled[name] = true
	}
	for _, name := range rep.Added {
		delete(d.unscheduled, name)
	}
	oldCron := d.cron
	if d.scheduling.Load() {
		d.cron = d.newCron(runCtx, next.Location, plans)
		d.cron.Start()
	}
	d.mu.Unlock()
	if oldCron != nil {
		// Jobs already waiting for their pass return on their own; a
		// tick of the new scheduler meanwhile only joins the same queue.
		oldCron.Stop()
	}
	for _, name := range rep.Removed {
		d.retries.cancel(name)
	}
	d.metrics.addSources(next.Sources)
	sort.Strings(rep.Added)
	sort.Strings(rep.Removed)
	sort.Strings(rep.Rescheduled)

	if err := d.rebuildForReload(ctx, next); err != nil {
		// The new settings are in place; the log catches up at the next
		// pass, which rebuilds it anyway.
		d.Logger.Error("rebuilding the log with the reloaded config failed; the next pass rebuilds it", "err", err)
	} else {
		d.markExportDirty()
		d.autoExport(ctx)
	}
	if len(rep.Added) > 0 {
		d.q.add(rep.Added)
	}
	return rep, nil
}

// rebuildForReload rebuilds the log with s's pipeline. It counts as an
// edit (editGen), so that a pass that ends meanwhile, whose rebuild may
// have used the old areas, rebuilds again (rebuildAfterEdits).
func (d *Daemon) rebuildForReload(ctx context.Context, s *settings) error {
	if s.rebuild == nil {
		return nil
	}
	d.rebuildMu.Lock()
	defer d.rebuildMu.Unlock()
	d.editGen++
	ctx, cancel := context.WithTimeout(ctx, editTimeout)
	defer cancel()
	if err := s.rebuild(ctx); err != nil {
		return fmt.Errorf("rebuild the log: %w", err)
	}
	return nil
}

// newCron is a scheduler, not started, with one job per plan. d.mu must
// be held (it fills d.entries).
func (d *Daemon) newCron(ctx context.Context, loc *time.Location, plans map[string]plan) *cron.Cron {
	c := cron.New(cron.WithLocation(loc), cron.WithLogger(cronLogger{d.Logger}))
	d.entries = map[string]cron.EntryID{}
	for _, p := range plans {
		l := cronLogger{d.Logger.With("source", p.name)}
		d.entries[p.name] = c.Schedule(p.sched, guardJob(l, d.job(ctx, p)))
		d.Logger.Debug("scheduled", "source", p.name, "schedule", p.spec)
	}
	return c
}

// scheduled keeps the names a pass may run now: a retry or a tick queued
// before a reload may name a source the reload removed or disabled.
// nil (every source) stays nil.
func (d *Daemon) scheduled(names []string) (keep, dropped []string) {
	if names == nil {
		return nil, nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	keep = slices.DeleteFunc(slices.Clone(names), func(n string) bool {
		if d.unscheduled[n] {
			dropped = append(dropped, n)
		}
		return d.unscheduled[n]
	})
	return keep, dropped
}
