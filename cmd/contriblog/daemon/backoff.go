package daemon

import (
	"context"
	"sync"
	"time"

	"github.com/contriblog/contriblog/harvester"
)

// nextTry is when a source that has failed failures times in a row is
// tried again: base after the first failure, doubled after each further
// one, but never later than its next scheduled run (that run is the retry;
// retry is then false). A source with no schedule waits at most
// maxBackoff.
func nextTry(now time.Time, failures int, base time.Duration, scheduled time.Time) (at time.Time, retry bool) {
	limit := maxBackoff
	if !scheduled.IsZero() {
		limit = scheduled.Sub(now)
	}
	delay := base
	for i := 1; i < failures && delay < limit; i++ {
		delay *= 2 // stops long before it could overflow: limit is at most a day, or the schedule's gap
	}
	if !scheduled.IsZero() && delay >= limit {
		return scheduled, false
	}
	return now.Add(min(delay, limit)), true
}

// backoff records each source's next try after a pass: a failed source
// gets its backoff in its state (NextTry, for `sources`) and a retry
// timer; a source that succeeded loses both.
func (d *Daemon) backoff(ctx context.Context, p *harvester.Pass) {
	for _, r := range p.Results {
		log := d.Logger.With("source", r.Source)
		st, err := d.Store.SourceState(ctx, r.Source)
		if err != nil {
			log.Warn("cannot read the source's state for its backoff", "err", err)
			continue
		}
		if r.Err == nil {
			d.retries.cancel(r.Source)
			if st.NextTry.IsZero() {
				continue
			}
			st.NextTry = time.Time{}
			if err := d.Store.SaveState(ctx, st); err != nil {
				log.Warn("cannot clear the source's backoff", "err", err)
			}
			log.Info("source recovered")
			continue
		}
		now := d.now()
		at, retry := nextTry(now, st.Failures, d.live().BackoffBase, d.nextScheduled(r.Source, now))
		st.NextTry = at
		if err := d.Store.SaveState(ctx, st); err != nil {
			log.Warn("cannot record the source's backoff", "err", err)
		}
		if retry {
			name := r.Source
			d.retries.set(name, at.Sub(now), func() { d.q.add([]string{name}) })
		} else {
			d.retries.cancel(r.Source)
		}
		log.Info("source failing; backing off", "failures", st.Failures,
			"failing_since", st.FailingSince, "next_try", at)
	}
}

// retries holds one timer per failing source.
type retries struct {
	mu      sync.Mutex
	timers  map[string]*time.Timer
	stopped bool
}

func newRetries() *retries { return &retries{timers: map[string]*time.Timer{}} }

// set replaces name's retry with fn after delay.
func (r *retries) set(name string, delay time.Duration, fn func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stopped {
		return
	}
	if t, ok := r.timers[name]; ok {
		t.Stop()
	}
	var t *time.Timer
	t = time.AfterFunc(delay, func() {
		// A timer replaced or cancelled after it fired must not run, nor
		// drop its successor.
		if r.take(name, &t) {
			fn()
		}
	})
	r.timers[name] = t
}

// take removes *t, name's retry that fired, and reports whether it is
// still to run. *t is read under the lock: set assigns it while holding
// the lock, possibly after the timer has fired.
func (r *retries) take(name string, t **time.Timer) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	current := r.timers[name] == *t
	if current {
		delete(r.timers, name)
	}
	return current && !r.stopped
}

// cancel drops name's retry, if any.
func (r *retries) cancel(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if t, ok := r.timers[name]; ok {
		t.Stop()
		delete(r.timers, name)
	}
}

// stopAll drops every retry for good (shutdown).
func (r *retries) stopAll() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stopped = true
	for name, t := range r.timers {
		t.Stop()
		delete(r.timers, name)
	}
}

// pending reports how many retries are waiting (tests, metrics).
func (r *retries) pending() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.timers)
}
