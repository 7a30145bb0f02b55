package main

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"text/tabwriter"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/contriblog/contriblog/cmd/contriblog/config"
	"github.com/contriblog/contriblog/harvester"
)

func (m *Main) runSources(ctx context.Context, args []string) error {
	fs := m.newFlagSet("sources", "")
	if err := m.noArgs(fs, args); err != nil {
		return err
	}
	cfg, err := m.loadConfig()
	if err != nil {
		return err
	}
	states := map[string]harvester.SourceState{}
	svc, err := m.openLogService(cfg, readAccess)
	switch {
	case errors.Is(err, errNoDatabase):
		// Nothing harvested yet: every source shows "never".
	case err != nil:
		return err
	default:
		defer svc.Close()
		all, err := svc.Sources(ctx)
		if err != nil {
			return err
		}
		for _, s := range all {
			states[s.Name] = s
		}
	}
	m.printSources(cfg, states)
	return nil
}

// printSources writes one line per source, configured ones first. States
// come from the database or the daemon, errors from servers: every cell is
// made printable.
func (m *Main) printSources(cfg *config.Config, states map[string]harvester.SourceState) {
	now := m.Now()
	// States from a daemon carry its plan; a source it does not list at
	// all was added to the file after it started.
	var fromDaemon bool
	for _, st := range states {
		fromDaemon = fromDaemon || st.Daemon != nil
	}
	tw := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tTYPE\tLAST RUN\tLAST SUCCESS\tITEMS\tNEXT RUN\tKEPT\tLAST ERROR")
	for _, sc := range cfg.Sources {
		st, ok := states[sc.Name]
		if !ok && fromDaemon {
			st.Daemon = &harvester.DaemonPlan{}
		}
		next := nextRunCell(cfg, sc, st, now)
		lastErr := "-"
		if st.LastError != "" {
			lastErr = cell(st.LastError)
			if !st.FailingSince.IsZero() {
				lastErr = fmt.Sprintf("failing since %s: %s", fmtTime(st.FailingSince, cfg.Timezone), lastErr)
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\n", cell(sc.Name), cell(sc.Type),
			fmtTime(st.LastRun, cfg.Timezone), fmtTime(st.LastSuccess, cfg.Timezone), st.Items, next, lastKept(st), lastErr)
		delete(states, sc.Name)
	}
	for _, st := range states {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\n", cell(st.Name), cell(st.Type),
			fmtTime(st.LastRun, cfg.Timezone), fmtTime(st.LastSuccess, cfg.Timezone), st.Items, notInConfig(st), lastKept(st), "-")
	}
	tw.Flush()
}

// nextRunCell is the NEXT RUN of a configured source, from the config's
// schedule and the source's backoff, as the daemon computes it. When the
// states came from a running daemon whose plan differs from the file (it
// has not reloaded since the file changed,
// docs/daemon.md#reloading-the-config), it says so instead.
func nextRunCell(cfg *config.Config, sc config.Source, st harvester.SourceState, now time.Time) string {
	d := st.Daemon
	switch {
	case d != nil && sc.Enabled && !d.Scheduled:
		return "not scheduled by the daemon: reload it (SIGHUP)"
	case d != nil && !sc.Enabled && d.Scheduled:
		return "disabled, but the daemon still schedules it: reload it (SIGHUP)"
	case !sc.Enabled:
		return "disabled"
	}
	return nextRun(sc.Schedule, cfg.Schedule, st, now, cfg.Timezone)
}

// notInConfig is the NEXT RUN of a source the database knows but the
// config file does not name.
func notInConfig(st harvester.SourceState) string {
	if st.Daemon != nil && st.Daemon.Scheduled {
		return "not in config, but the daemon still schedules it: reload it (SIGHUP)"
	}
	return "not in config"
}

// lastKept says what the source's last full read kept of what it read
// ("3 of 15 (12 older than since)"): passes answered "not modified" since
// leave it as it was; "-" when no full read is recorded.
func lastKept(st harvester.SourceState) string {
	if st.LastRead.IsZero() {
		return "-"
	}
	return cell(harvester.KeptSummary(st.LastSeen, st.LastKept, st.LastDropped))
}

// nextRun is when `run` will next harvest the source: its backoff retry if
// it is failing, else the next tick of its schedule.
func nextRun(spec, global string, st harvester.SourceState, now time.Time, loc *time.Location) string {
	if spec == "" {
		spec = global
	}
	sched, err := parseSchedule(spec)
	if err != nil {
		return "invalid schedule"
	}
	// A spec without CRON_TZ= is read in the config's timezone, as the
	// daemon's scheduler reads it (cron uses the location of its argument).
	if loc != nil {
		now = now.In(loc)
	}
	from := now
	if !st.LastRun.IsZero() && st.LastRun.Before(now) {
		from = st.LastRun.In(now.Location())
	}
	next := sched.Next(from)
	if next.Before(now) {
		next = sched.Next(now)
	}
	if !st.NextTry.IsZero() && st.NextTry.After(now) && st.NextTry.Before(next) {
		next = st.NextTry
	}
	return fmtTime(next, loc)
}

// parseSchedule parses a robfig/cron spec, turning the panics some
// malformed CRON_TZ= specs cause in cron v3.0.1 into errors.
func parseSchedule(spec string) (s cron.Schedule, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("invalid schedule %q: %v", spec, p)
		}
	}()
	return cron.ParseStandard(spec)
}

func fmtTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "never"
	}
	if loc == nil {
		loc = time.Local
	}
	return t.In(loc).Format("2006-01-02 15:04")
}

func (m *Main) runVersion(ctx context.Context, args []string) error {
	if err := m.noArgs(m.newFlagSet("version", ""), args); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "contriblog %s (commit %s, %s)\n", version, commit, runtime.Version())
	return nil
}
