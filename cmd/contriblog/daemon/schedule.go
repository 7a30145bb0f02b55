package daemon

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/robfig/cron/v3"
)

// plan is one enabled source's schedule.
type plan struct {
	name  string
	spec  string
	sched cron.Schedule
}

// makePlans parses the schedule of every enabled source of c.
func makePlans(c Config) (map[string]plan, error) {
	out := map[string]plan{}
	for _, s := range c.Sources {
		if !s.Enabled {
			continue
		}
		spec := s.Schedule
		if spec == "" {
			spec = c.Schedule
		}
		if spec == "" {
			return nil, fmt.Errorf("source %s: no schedule (set schedule: globally or on the source)", s.Name)
		}
		sched, err := parseSpec(spec)
		if err != nil {
			return nil, fmt.Errorf("source %s: %w", s.Name, err)
		}
		out[s.Name] = plan{name: s.Name, spec: spec, sched: sched}
	}
	return out, nil
}

// parseSpec is cron.ParseStandard with the panics that some malformed
// CRON_TZ= prefixes cause in cron v3.0.1 turned into errors.
func parseSpec(spec string) (s cron.Schedule, err error) {
	defer func() {
		if p := recover(); p != nil {
			s, err = nil, fmt.Errorf("schedule %q: malformed (a CRON_TZ=Zone prefix needs a space and a schedule after it)", spec)
		}
	}()
	s, err = cron.ParseStandard(spec)
	if err != nil {
		return nil, fmt.Errorf("schedule %q: %w", spec, err)
	}
	return s, nil
}

// startScheduler starts one cron job per enabled source, each wrapped by
// guardJob.
func (d *Daemon) startScheduler(ctx context.Context) {
	d.mu.Lock()
	defer d.mu.Unlock()
	c := d.newCron(ctx, d.live().Location, d.plans)
	c.Start()
	d.cron = c
	d.scheduling.Store(true)
}

// guardJob wraps j SkipIfStillRunning outside Recover, as
// cron.WithChain(cron.SkipIfStillRunning(l), cron.Recover(l)) would (a
// chain per job only so that a skip is logged with its source's name).
// The other order leaves a job that panicked once skipped for ever: v3.0.1
// gives back the "running" token only when the job returns normally.
func guardJob(l cron.Logger, j cron.Job) cron.Job {
	return cron.NewChain(cron.SkipIfStillRunning(l), cron.Recover(l)).Then(j)
}

// job is one source's scheduled run: a random delay, then a pass request,
// then waiting for that pass, so that SkipIfStillRunning skips ticks that
// come while the source's previous run is still queued or running.
func (d *Daemon) job(ctx context.Context, p plan) cron.Job {
	return cron.FuncJob(func() {
		if wait := d.jitter(p.sched); wait > 0 {
			t := time.NewTimer(wait)
			defer t.Stop()
			select {
			case <-t.C:
			case <-ctx.Done():
				return
			}
		}
		select {
		case <-d.q.add([]string{p.name}):
		case <-ctx.Done():
		}
	})
}

// jitter is a random delay up to Config.Jitter, and at most a tenth of the
// schedule's interval so that a frequent schedule keeps its rhythm.
func (d *Daemon) jitter(s cron.Schedule) time.Duration {
	lv := d.live()
	limit := lv.Jitter
	if limit <= 0 {
		return 0
	}
	now := d.now().In(lv.Location)
	if next := s.Next(now); !next.IsZero() {
		if after := s.Next(next); !after.IsZero() {
			limit = min(limit, after.Sub(next)/10)
		}
	}
	if limit <= 0 {
		return 0
	}
	return rand.N(limit)
}

// nextScheduled is the source's next scheduled run after now, or zero
// when it has none.
func (d *Daemon) nextScheduled(name string, now time.Time) time.Time {
	p, ok := d.plan(name)
	if !ok {
		return time.Time{}
	}
	return p.sched.Next(now.In(d.live().Location))
}

func (d *Daemon) plan(name string) (plan, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	p, ok := d.plans[name]
	return p, ok
}

// cronNext is the cron entry's next run of the source (zero when the
// scheduler has none).
func (d *Daemon) cronNext(name string) time.Time {
	d.mu.Lock()
	defer d.mu.Unlock()
	if id, ok := d.entries[name]; ok && d.cron != nil {
		return d.cron.Entry(id).Next
	}
	return time.Time{}
}

// nextRun is when the scheduler will next run the source: its retry if
// it is backing off and that comes first, else its next cron tick. Zero
// when it is not scheduled.
func (d *Daemon) nextRun(name string, nextTry, now time.Time) time.Time {
	next := d.cronNext(name)
	if next.IsZero() {
		next = d.nextScheduled(name, now)
	}
	if !nextTry.IsZero() && nextTry.After(now) && (next.IsZero() || nextTry.Before(next)) {
		next = nextTry
	}
	return next
}

// cronLogger adapts slog to cron.Logger. Cron's chatter is debug; a
// skipped run is worth an info line.
type cronLogger struct{ l *slog.Logger }

func (c cronLogger) Info(msg string, kv ...any) {
	if msg == "skip" {
		c.l.Info("scheduled run skipped: the previous run of the source is still queued or running")
		return
	}
	c.l.Debug("cron: "+msg, kv...)
}

func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error("cron: "+msg, append(kv, "err", err)...)
}
