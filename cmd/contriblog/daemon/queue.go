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
// them), so passes never overlap and never pile up. Refetches (passes that
// ignore the stored validators) are merged only with refetches, so that a
// refetch of one source never makes a scheduled pass of another read in
// full: they wait in a bucket of their own.
type queue struct {
	mu      sync.Mutex
	pending [2]pendingPass // [0] plain passes, [1] refetches
	closed  error
	kick    chan struct{} // capacity 1: "something is pending"
}

// pendingPass is the requests merged into one next pass.
type pendingPass struct {
	pending bool
	all     bool
	names   map[string]bool
	waiters []chan outcome
}

func newQueue() *queue {
	return &queue{kick: make(chan struct{}, 1)}
}

// add asks for a pass over names (every source when there are none). The
// channel receives the outcome of the pass that covers the request, or
// the queue's closing error; callers that do not care may drop it.
func (q *queue) add(names []string) <-chan outcome {
	return q.request(harvester.HarvestRequest{Names: names})
}

// request is add for a whole request, a refetch or not.
func (q *queue) request(req harvester.HarvestRequest) <-chan outcome {
	ch := make(chan outcome, 1)
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed != nil {
		ch <- outcome{Err: q.closed}
		return ch
	}
	p := &q.pending[bucket(req.Refetch)]
	p.pending = true
	if len(req.Names) == 0 {
		p.all = true
	}
	if p.names == nil {
		p.names = map[string]bool{}
	}
	for _, n := range req.Names {
		p.names[n] = true
	}
	p.waiters = append(p.waiters, ch)
	q.signal()
	return ch
}

func bucket(refetch bool) int {
	if refetch {
		return 1
	}
	return 0
}

// signal says that something is pending, once.
func (q *queue) signal() {
	select {
	case q.kick <- struct{}{}:
	default: // already signalled
	}
}

// take removes one pending pass: its request (sorted names, none for all
// sources) and the channels waiting for it. Refetches go first; when the
// other bucket is still pending, the queue signals again.
func (q *queue) take() (req harvester.HarvestRequest, waiters []chan outcome, ok bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	i := 1
	if !q.pending[i].pending {
		i = 0
	}
	p := &q.pending[i]
	if !p.pending {
		return req, nil, false
	}
	req.Refetch = i == 1
	if !p.all {
		for n := range p.names {
			req.Names = append(req.Names, n)
		}
		sort.Strings(req.Names)
	}
	waiters = p.waiters
	*p = pendingPass{}
	if q.pending[1-i].pending {
		q.signal()
	}
	return req, waiters, true
}

// close answers every waiter with err and every later add at once.
func (q *queue) close(err error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.closed = err
	for i := range q.pending {
		for _, w := range q.pending[i].waiters {
			w <- outcome{Err: err}
		}
		q.pending[i] = pendingPass{}
	}
}
