package daemon

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"time"

	"github.com/contriblog/contriblog/harvester"
)

// exportTimeout bounds the export written after a pass that shutdown
// interrupted: the log may have changed, but shutdown must stay prompt.
const exportTimeout = 2 * time.Second

// runPasses is the only goroutine that runs passes: one at a time, each
// over what was requested while the previous one ran.
func (d *Daemon) runPasses(ctx context.Context) {
	// Today's backup, if missing, before the start-up pass changes
	// anything: between passes, so it never waits on one.
	d.dailyBackup(ctx)
	for {
		select {
		case <-ctx.Done():
			d.q.close(fmt.Errorf("the daemon is stopping: %w", context.Cause(ctx)))
			return
		case <-d.q.kick:
		}
		req, waiters, ok := d.q.take()
		if !ok {
			continue
		}
		out := outcome{Err: ctx.Err()}
		if out.Err == nil {
			out = d.safePass(ctx, req)
		}
		if out.Err == nil {
			// Before answering the waiters, so that a pass's report
			// comes after its backup (a day's first pass only).
			d.dailyBackup(ctx)
		}
		for _, w := range waiters {
			w <- out
		}
	}
}

// safePass is pass with a panic anywhere in it (the rebuild, the export,
// the bookkeeping; the harvest itself is guarded closer, in harvest)
// turned into a failed pass, so that the only goroutine running passes
// never dies. /healthz reports a pass that runs past PassStuckAfter.
func (d *Daemon) safePass(ctx context.Context, req harvester.HarvestRequest) (out outcome) {
	defer d.passes.begin(d.now())()
	defer func() {
		if r := recover(); r != nil {
			err := panicError(d.Logger, "pass", r)
			d.lastPass.Store(&passInfo{Finished: d.now(), Err: err.Error()})
			out = outcome{Err: err}
		}
	}()
	return d.pass(ctx, req)
}

// editGeneration is the count of edits so far.
func (d *Daemon) editGeneration() uint64 {
	d.rebuildMu.Lock()
	defer d.rebuildMu.Unlock()
	return d.editGen
}

// pass runs one harvest over req's sources (all when it names none) and
// what follows it: metrics, backoff, a rebuild for edits made meanwhile,
// and the export.
func (d *Daemon) pass(ctx context.Context, req harvester.HarvestRequest) outcome {
	names, dropped := d.scheduled(req.Names)
	if len(dropped) > 0 {
		d.Logger.Info("not harvesting sources the reloaded config no longer schedules", "sources", dropped)
		if len(names) == 0 {
			return outcome{Err: fmt.Errorf("not harvested: the daemon no longer schedules %s (its config was reloaded)", strings.Join(dropped, ", "))}
		}
		req.Names = names
	}
	gen := d.editGeneration()

	start := time.Now()
	p, err := d.harvest(ctx, req)
	took := time.Since(start)

	interrupted := ctx.Err() != nil
	d.metrics.recordPass(p, err, took, interrupted)
	d.logPass(req, p, err, took, interrupted)
	if p != nil && !interrupted {
		d.backoff(ctx, p)
	}
	info := &passInfo{Finished: d.now()}
	if err != nil {
		info.Err = err.Error()
	}
	d.lastPass.Store(info)

	changed := p != nil && p.LogChanged
	if d.rebuildAfterEdits(ctx, gen) {
		changed = true
	}
	if changed {
		d.markExportDirty()
	}
	ectx := ctx
	if interrupted {
		var cancel context.CancelFunc
		ectx, cancel = context.WithTimeout(context.WithoutCancel(ctx), exportTimeout)
		defer cancel()
	}
	d.autoExport(ectx)
	return outcome{Pass: p, Err: err}
}

// harvest runs the Harvester, turning a panic (sources' panics are the
// harvester's to catch; this is for the rest of the pipeline) into the
// pass's error, so that one bad pass cannot end the service.
func (d *Daemon) harvest(ctx context.Context, req harvester.HarvestRequest) (p *harvester.Pass, err error) {
	d.passRunning.Store(true)
	defer func() {
		d.passRunning.Store(false)
		if r := recover(); r != nil {
			d.Logger.Error("pass panicked", "panic", r, "stack", string(debug.Stack()))
			p, err = nil, fmt.Errorf("internal error (panic): %v", r)
		}
	}()
	return d.live().harvester.Harvest(ctx, req)
}

// rebuildAfterEdits rebuilds the log when an edit was made while the pass
// ran: the pass's own rebuild may have read the edits before it and
// stored its log after the edit's rebuild. Edits and this check hold
// rebuildMu, so an edit either precedes the pass, or follows this
// rebuild, or is caught here.
func (d *Daemon) rebuildAfterEdits(ctx context.Context, gen uint64) bool {
	d.rebuildMu.Lock()
	defer d.rebuildMu.Unlock()
	rebuild := d.live().rebuild
	if d.editGen == gen || rebuild == nil || ctx.Err() != nil {
		// On shutdown the start-up pass of the next run rebuilds anyway.
		return false
	}
	if err := rebuild(ctx); err != nil {
		d.Logger.Error("rebuilding the log after edits failed", "err", err)
		return false
	}
	return true
}

// logPass writes the pass's summary; the harvester has already logged one
// line per source (info) or failure (warn).
func (d *Daemon) logPass(req harvester.HarvestRequest, p *harvester.Pass, err error, took time.Duration, interrupted bool) {
	log := d.Logger.With("duration", took.Round(time.Millisecond))
	if len(req.Names) > 0 {
		log = log.With("sources", req.Names)
	}
	if req.Refetch {
		log = log.With("refetch", true)
	}
	switch {
	case interrupted:
		log.Info("pass interrupted by shutdown")
		return
	case err != nil:
		log.Error("pass failed", "err", err)
		return
	}
	failed := 0
	for _, r := range p.Results {
		if r.Err != nil {
			failed++
		}
	}
	// rows are what an export has, as `harvest` counts them; excluded
	// ones apart.
	log.Info("pass finished", "harvested", len(p.Results), "failed", failed,
		"rows", p.Rows-p.Excluded, "excluded", p.Excluded, "log_changed", p.LogChanged)
}

// isCancellation reports whether a source's error is only the pass being
// cancelled by shutdown, which is no failure of the source.
func isCancellation(err error) bool {
	return errors.Is(err, context.Canceled)
}
