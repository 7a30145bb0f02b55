package daemon

import (
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"
)

// errInternal is wrapped by the error a recovered panic becomes: a bug,
// whose details are in the log and not in an HTTP answer.
var errInternal = fmt.Errorf("internal error")

// panicError logs r, the value a deferred function recovered from a panic
// of the work named what, with its stack (still the panicking one), and
// returns it as an error wrapping errInternal: a bug in one edit or pass
// fails that edit or pass, and the daemon goes on. Locks taken below must
// be released by their own defers, which run before the recovering one.
func panicError(log *slog.Logger, what string, r any) error {
	log.Error(what+" panicked", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
	return fmt.Errorf("%w: %s panicked: %v", errInternal, what, r)
}

// activity tracks the runs of one kind of work in progress (passes,
// edits), so that /healthz can report one that has run past its bound.
type activity struct {
	mu      sync.Mutex
	next    uint64
	running map[uint64]runStart
}

// runStart is when a run began: on the daemon's clock, for people, and on
// the monotonic clock, for measuring.
type runStart struct{ wall, mono time.Time }

// begin records a run starting at wall (the daemon's clock) and returns
// the function that records its end; it must be deferred, so that a run
// that panics does not look stuck for ever.
func (a *activity) begin(wall time.Time) (end func()) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.running == nil {
		a.running = map[uint64]runStart{}
	}
	a.next++
	id := a.next
	a.running[id] = runStart{wall: wall, mono: time.Now()}
	return func() {
		a.mu.Lock()
		defer a.mu.Unlock()
		delete(a.running, id)
	}
}

// oldest is the longest-running run in progress and how long it has run;
// ok is false when none is.
func (a *activity) oldest() (since time.Time, running time.Duration, ok bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	var first runStart
	for _, r := range a.running {
		if !ok || r.mono.Before(first.mono) {
			first, ok = r, true
		}
	}
	if !ok {
		return time.Time{}, 0, false
	}
	return first.wall, time.Since(first.mono), true
}

// stuckWork is one entry of /healthz's "stuck": work running past its
// bound.
type stuckWork struct {
	What       string    `json:"what"` // pass or edit
	Since      time.Time `json:"since"`
	RunningFor string    `json:"running_for"`
	Bound      string    `json:"bound"`
}

// stuck lists the work that has run longer than its bound: a pass or a
// backup (which holds up the passes after it, or an HTTP request) past
// PassStuckAfter, an edit past EditStuckAfter.
func (d *Daemon) stuck() []stuckWork {
	var out []stuckWork
	for _, w := range []struct {
		what  string
		a     *activity
		bound time.Duration
	}{{"pass", &d.passes, d.PassStuckAfter}, {"edit", &d.edits, d.EditStuckAfter}, {"backup", &d.backupRuns, d.PassStuckAfter}} {
		since, running, ok := w.a.oldest()
		if ok && running > w.bound {
			out = append(out, stuckWork{What: w.what, Since: since,
				RunningFor: running.Round(time.Second).String(), Bound: w.bound.String()})
		}
	}
	return out
}
