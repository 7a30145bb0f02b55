package daemon

import (
	"sort"
	"sync"

	"github.com/contriblog/contriblog/harvester"
)

// outcome is what a requested pass did.
type outcome struct {
	Pass *harvester.Pass
	Err  error
}

// queue coalesces pass requests: whatever is asked while a pass runs is
// merged into one next pass (the union of the sources asked for, or all of
// them), so passes never overlap and never pile up.
type queue struct {
	mu      sync.Mutex
	pending bool
	all     bool
	names   map[string]bool
	waiters []chan outcome
	closed  error
	kick    chan struct{} // capacity 1: "something is pending"
}

func newQueue() *queue {
	return &queue{names: map[string]bool{}, kick: make(chan struct{}, 1)}
}

// add asks for a pass over names (every source when there are none). The
// channel receives the outcome of the pass that covers the request, or
// the queue's closing error; callers that do not care may drop it.
func (q *queue) add(names []string) <-chan outcome {
	ch := make(chan outcome, 1)
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed != nil {
		ch <- outcome{Err: q.closed}
		return ch
	}
	q.pending = true
	if len(names) == 0 {
		q.all = true
	}
	for _, n := range names {
		q.names[n] = true
	}
	q.waiters = append(q.waiters, ch)
	select {
	case q.kick <- struct{}{}:
	default: // already signalled
	}
	return ch
}

// take removes what is pending: the sorted names (nil for all sources)
// and the channels waiting for the pass.
func (q *queue) take() (names []string, waiters []chan outcome, ok bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if !q.pending {
		return nil, nil, false
	}
	if !q.all {
		for n := range q.names {
			names = append(names, n)
		}
		sort.Strings(names)
	}
	waiters = q.waiters
	q.pending, q.all, q.names, q.waiters = false, false, map[string]bool{}, nil
	return names, waiters, true
}

// close answers every waiter with err and every later add at once.
func (q *queue) close(err error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.closed = err
	for _, w := range q.waiters {
		w <- outcome{Err: err}
	}
	q.pending, q.waiters = false, nil
}
