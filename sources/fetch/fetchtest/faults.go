package fetchtest

import (
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
)

// Faults is the misbehaviour asked of a fake API: answers given instead
// of the next requests', and writes stored but never answered. A fake
// embeds it, asks Next before routing a request, counts each write with
// Write and asks Dropping once the write is stored. The zero value has no
// faults; it is safe for concurrent use.
type Faults struct {
	mu     sync.Mutex
	queue  []fault
	writes int
	drops  []int // numbers of the writes to drop after storing
}

type fault struct {
	n          int
	status     int
	retryAfter string
}

// Throttle answers the next n requests 429 with Retry-After retryAfter
// (none when "").
func (f *Faults) Throttle(n int, retryAfter string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.queue = append(f.queue, fault{n: n, status: http.StatusTooManyRequests, retryAfter: retryAfter})
}

// Fail answers the next n requests (after those Throttle and earlier
// Fails hold) with status, 500 when 0.
func (f *Faults) Fail(n, status int) {
	if status == 0 {
		status = http.StatusInternalServerError
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.queue = append(f.queue, fault{n: n, status: status})
}

// DropAfterStore makes the write after the next skip ones be stored and
// then go unanswered: the connection is closed, as when the client was
// killed or timed out after the server had stored it. Call it several
// times for several drops.
func (f *Faults) DropAfterStore(skip int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.drops = append(f.drops, f.writes+skip+1)
}

// Next takes one request's worth of the injected faults: the status to
// answer with and the Retry-After header ("" for none), ok false when
// the request is to be served.
func (f *Faults) Next() (status int, retryAfter string, ok bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for len(f.queue) > 0 && f.queue[0].n <= 0 {
		f.queue = f.queue[1:]
	}
	if len(f.queue) == 0 {
		return 0, "", false
	}
	f.queue[0].n--
	return f.queue[0].status, f.queue[0].retryAfter, true
}

// Write counts a write that passed the token check and the injected
// faults, and returns its number, for Dropping.
func (f *Faults) Write() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.writes++
	return f.writes
}

// Writes is how many writes were counted (stored or refused for their
// values).
func (f *Faults) Writes() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.writes
}

// Dropping reports (and forgets) a drop asked for the write numbered
// write: the fake then calls HangUp instead of answering.
func (f *Faults) Dropping(write int) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	i := slices.Index(f.drops, write)
	if i >= 0 {
		f.drops = slices.Delete(f.drops, i, i+1)
	}
	return i >= 0
}

// HangUp closes the connection without an answer.
func HangUp(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler) // HTTP/2: aborts the stream
	}
	conn.Close()
}

// noReuse opens a connection per request: Go's transport sends an
// idempotent request again by itself when a reused connection drops it,
// which would hide a dropped answer.
var noReuse = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}

// Call sends one raw request to a fake API, with Authorization: Bearer
// token unless token is "-", on a connection of its own, and returns the
// status, the header and the body; a request that got no answer returns
// status 0 and the error as the body.
func Call(t testing.TB, method, url, body, token string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "-" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := noReuse.Do(req)
	if err != nil {
		return 0, nil, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}
