// Package githubtest is a fake of the GitHub REST API, in GitHub's shapes
// and manners, for the github source's tests and for `contriblog demo`:
// search/issues (is:pr or is:issue required; author:, created: and
// updated: honoured; no result past the 1,000th), users/USER/repos and
// repos/OWNER/REPO/releases, in pages with Link headers, with ETags and
// 304s, rate-limit headers, and scripted faults. It records every request
// so that tests can look at what the client sent.
//
// It imports only the standard library; the demo serves it from the
// contriblog binary, as net/http/httptest can be.
package githubtest

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Options shape an API; the zero value serves at "/" in pages of up to
// 100, like GitHub.
type Options struct {
	// Prefix is the API root path, such as "/" or "/api/v3/" (GitHub
	// Enterprise Server); a request outside it is 404. Default "/".
	Prefix string
	// PageSize caps a page below GitHub's 100, whatever per_page asks,
	// to force pagination.
	PageSize int
	// IgnoreAuthor makes search disregard author:, so that other people's
	// items come back as noise, as a sloppy server might.
	IgnoreAuthor bool
	// Now is the clock of the rate-limit reset header; default time.Now.
	Now func() time.Time
}

// Fault is an answer given once, in place of the API's, to the next
// request to Endpoint ("search", "repos", "releases", or "" for any).
type Fault struct {
	Endpoint string
	Status   int
	Header   map[string]string
	Body     string
}

// API is the fake, an http.Handler. It is safe for concurrent use.
type API struct {
	opts Options

	mu       sync.Mutex
	data     Data
	faults   []Fault
	requests []string // "GET path?query" of every request
	auth     []string // the Authorization header of every request
	queries  []string // the q of every search
	cond     int      // requests that carried If-None-Match
	notMod   int      // 304s served
}

// New returns an API serving d.
func New(d Data, opts Options) *API {
	if opts.Prefix == "" {
		opts.Prefix = "/"
	}
	if opts.PageSize <= 0 || opts.PageSize > 100 {
		opts.PageSize = 100
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if d.Releases == nil {
		d.Releases = map[string][]map[string]any{}
	}
	return &API{opts: opts, data: d}
}

// Edit changes the data served, under the API's lock.
func (a *API) Edit(change func(*Data)) {
	a.mu.Lock()
	defer a.mu.Unlock()
	change(&a.data)
}

// AddFault queues f: it answers the next request to its endpoint.
func (a *API) AddFault(f Fault) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.faults = append(a.faults, f)
}

// Requests returns "METHOD path?query" of every request so far.
func (a *API) Requests() []string { return a.strings(&a.requests) }

// Auth returns the Authorization header of every request so far, in the
// order of Requests ("" for none).
func (a *API) Auth() []string { return a.strings(&a.auth) }

// Queries returns the q of every search so far.
func (a *API) Queries() []string { return a.strings(&a.queries) }

// ResetQueries forgets the searches so far.
func (a *API) ResetQueries() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.queries = nil
}

// Count returns how many requests so far contain s.
func (a *API) Count(s string) int {
	n := 0
	for _, r := range a.Requests() {
		if strings.Contains(r, s) {
			n++
		}
	}
	return n
}

// Conditional returns how many requests carried If-None-Match.
func (a *API) Conditional() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.cond
}

// NotModified returns how many 304s were served.
func (a *API) NotModified() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.notMod
}

func (a *API) strings(list *[]string) []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), (*list)...)
}

// ServeHTTP records the request, answers a queued fault if one matches,
// and otherwise serves the API.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.requests = append(a.requests, r.Method+" "+r.URL.RequestURI())
	a.auth = append(a.auth, r.Header.Get("Authorization"))
	if r.Header.Get("If-None-Match") != "" {
		a.cond++
	}
	rest, ok := strings.CutPrefix(r.URL.Path, a.opts.Prefix)
	if !ok {
		writeError(w, http.StatusNotFound, "Not Found")
		return
	}
	seg := strings.Split(rest, "/")
	endpoint := ""
	switch {
	case rest == "search/issues":
		endpoint = "search"
	case len(seg) == 3 && seg[0] == "users" && seg[2] == "repos":
		endpoint = "repos"
	case len(seg) == 4 && seg[0] == "repos" && seg[3] == "releases":
		endpoint = "releases"
	}
	if a.fault(w, endpoint) {
		return
	}
	w.Header().Set("X-RateLimit-Limit", "5000")
	w.Header().Set("X-RateLimit-Remaining", "4999")
	w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(a.opts.Now().Add(time.Hour).Unix(), 10))
	switch {
	case r.Method != http.MethodGet:
		writeError(w, http.StatusMethodNotAllowed, "Method Not Allowed")
	case endpoint == "search":
		a.search(w, r)
	case endpoint == "repos":
		a.list(w, r, a.reposOf(seg[1]))
	case endpoint == "releases":
		a.releases(w, r, seg[1], seg[2])
	default:
		writeError(w, http.StatusNotFound, "Not Found")
	}
}

func (a *API) fault(w http.ResponseWriter, endpoint string) bool {
	for i, f := range a.faults {
		if f.Endpoint != "" && f.Endpoint != endpoint {
			continue
		}
		a.faults = append(a.faults[:i], a.faults[i+1:]...)
		for k, v := range f.Header {
			w.Header().Set(k, v)
		}
		writeJSON(w, f.Status, []byte(f.Body))
		return true
	}
	return false
}
