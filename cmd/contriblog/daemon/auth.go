package daemon

import (
	"context"
	"log/slog"
	"net/http"
	"slices"
	"sort"
	"sync"
	"time"
)

// Wrong bearer tokens are logged at most once a minute, with a count, and
// answered slowly; the right token is never delayed.
const (
	// authLogEvery is the least time between two warnings about wrong
	// tokens; failures in between are counted into the next one.
	authLogEvery = time.Minute
	// authPenaltyBase is the pause before answering an address's first
	// wrong token, doubled for each further one, up to authPenaltyMax.
	authPenaltyBase = 100 * time.Millisecond
	authPenaltyMax  = time.Second
	// authForget is how long an address must send no wrong token for its
	// pause to start again from authPenaltyBase.
	authForget = 10 * time.Minute
	// authMaxHeld bounds the wrong-token requests being paused at once:
	// each holds a goroutine and a connection, so beyond it they are
	// answered 429 at once rather than tie up the daemon.
	authMaxHeld = 32
	// authMaxAddrs bounds the addresses remembered; beyond it, new
	// addresses share one count (spoofing many addresses gains nothing).
	authMaxAddrs = 1024
	// authLogAddrs bounds the addresses named in one warning.
	authLogAddrs = 5
)

// authFailures is one remote address's recent wrong tokens.
type authFailures struct {
	count int
	last  time.Time
}

// authLimiter keeps the state of wrong-token refusals: per-address pauses
// and the rate-limited warning. The token offered is never kept or logged.
type authLimiter struct {
	logger *slog.Logger
	now    func() time.Time
	// sleep pauses a refused request (a test seam; it must return when ctx
	// ends).
	sleep func(ctx context.Context, d time.Duration)
	held  chan struct{} // a slot per paused request

	mu       sync.Mutex
	addrs    map[string]*authFailures
	lastLog  time.Time // when the latest warning was written (zero: never)
	unlogged int       // failures since then
	logAddrs []string  // distinct addresses of those, at most authLogAddrs
	flush    *time.Timer
}

func newAuthLimiter(logger *slog.Logger, now func() time.Time, sleep func(context.Context, time.Duration)) *authLimiter {
	if sleep == nil {
		sleep = sleepCtx
	}
	return &authLimiter{logger: logger, now: now, sleep: sleep, held: make(chan struct{}, authMaxHeld),
		addrs: map[string]*authFailures{}}
}

// sleepCtx waits d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// refuse answers a request with a missing or wrong token: it records the
// failure, pauses for the address's penalty (or answers 429 at once when
// authMaxHeld requests are already paused), then answers 401.
func (a *authLimiter) refuse(w http.ResponseWriter, r *http.Request) {
	addr := hostOnly(r.RemoteAddr)
	pause := a.fail(addr)
	select {
	case a.held <- struct{}{}:
		a.sleep(r.Context(), pause)
		<-a.held
	default:
		w.Header().Set("Retry-After", "1")
		w.Header().Set("Connection", "close")
		http.Error(w, "too many requests with a wrong bearer token; slow down", http.StatusTooManyRequests)
		return
	}
	w.Header().Set("WWW-Authenticate", `Bearer realm="contriblog"`)
	http.Error(w, "missing or wrong bearer token (send Authorization: Bearer <listen_token>)", http.StatusUnauthorized)
}

// fail records a wrong token from addr, logs when a warning is due, and
// returns the pause before answering.
func (a *authLimiter) fail(addr string) time.Duration {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.now()
	f := a.failures(addr, now)
	if now.Sub(f.last) > authForget {
		f.count = 0
	}
	f.count++
	f.last = now
	a.unlogged++
	if len(a.logAddrs) < authLogAddrs && !slices.Contains(a.logAddrs, addr) {
		a.logAddrs = append(a.logAddrs, addr)
	}
	if a.lastLog.IsZero() || now.Sub(a.lastLog) >= authLogEvery {
		a.logLocked(now)
	} else if a.flush == nil {
		// The rest of a burst is reported when the minute is up, even if
		// no further failure comes to trigger it.
		a.flush = time.AfterFunc(authLogEvery-now.Sub(a.lastLog), a.flushLog)
	}
	return penalty(f.count)
}

// failures is addr's record, made if need be. When authMaxAddrs are known,
// the stale ones are dropped; if none is stale, addr shares a record with
// every other newcomer.
func (a *authLimiter) failures(addr string, now time.Time) *authFailures {
	if f, ok := a.addrs[addr]; ok {
		return f
	}
	if len(a.addrs) >= authMaxAddrs {
		for k, f := range a.addrs {
			if now.Sub(f.last) > authForget {
				delete(a.addrs, k)
			}
		}
	}
	if len(a.addrs) >= authMaxAddrs {
		addr = "other"
		if f, ok := a.addrs[addr]; ok {
			return f
		}
	}
	f := &authFailures{}
	a.addrs[addr] = f
	return f
}

// flushLog writes the pending count, if any (the timer's job).
func (a *authLimiter) flushLog() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.flush = nil
	if a.unlogged > 0 {
		a.logLocked(a.now())
	}
}

// close writes the pending count, if any, and stops the timer (shutdown):
// a burst that ends with the daemon is still reported.
func (a *authLimiter) close() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.flush != nil {
		a.flush.Stop()
		a.flush = nil
	}
	if a.unlogged > 0 {
		a.logLocked(a.now())
	}
}

func (a *authLimiter) logLocked(now time.Time) {
	sort.Strings(a.logAddrs)
	log := a.logger
	if !a.lastLog.IsZero() {
		log = log.With("since", a.lastLog)
	}
	log.Warn("HTTP requests refused: missing or wrong bearer token",
		"failures", a.unlogged, "remote_addrs", a.logAddrs)
	a.lastLog, a.unlogged, a.logAddrs = now, 0, nil
}

// penaltyOf is the pause addr's next wrong token would get now (tests).
func (a *authLimiter) penaltyOf(addr string) time.Duration {
	a.mu.Lock()
	defer a.mu.Unlock()
	f, ok := a.addrs[addr]
	if !ok || a.now().Sub(f.last) > authForget {
		return penalty(1)
	}
	return penalty(f.count + 1)
}

// penalty is the pause for an address's n-th wrong token in a row:
// authPenaltyBase doubled n-1 times, at most authPenaltyMax.
func penalty(n int) time.Duration {
	p := authPenaltyBase
	for i := 1; i < n && p < authPenaltyMax; i++ {
		p *= 2
	}
	return min(p, authPenaltyMax)
}
