// Package starstest is a fake of the GitHub Stars contributions API
// (docs/programs.md) on httptest, for the tests of what sends to it: it
// checks the token and every contribution's shape and limits as the API
// documents them, keeps contributions by client id (a second PUT of one id
// updates it), lists them page by page, and fails on demand: 429s, 5xxs, a
// refused field, a connection dropped after the contribution was stored.
package starstest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/contriblog/contriblog/sources/fetch/fetchtest"
	"github.com/contriblog/contriblog/sources/stars"
)

// Defaults of Options.
const (
	DefaultToken    = "stars-test-token-0f3c9a71"
	DefaultPageSize = 100
	// DefaultMaxDescription is the description limit the fake enforces,
	// in characters. Stars does not publish one; its form keeps
	// descriptions short, and 2,000 is the limit of Advocu's, the other
	// programs API.
	DefaultMaxDescription = 2000
	// DefaultMaxTitle is the title limit the fake enforces, in characters.
	DefaultMaxTitle = 200
)

// Options configure a Server; zero fields take the defaults.
type Options struct {
	Token          string // the token the server accepts
	PageSize       int    // contributions per page of GET
	MaxDescription int    // characters
	MaxTitle       int    // characters
}

// Entry is one contribution the server holds.
type Entry struct {
	// ClientID is the id it was PUT under; "" for one created by POST or
	// Add (on the Stars site).
	ClientID     string
	Contribution stars.Contribution // with the server's id
	Writes       int                // PUTs that stored it
}

// Server is the fake API. Its methods are safe for concurrent use.
type Server struct {
	URL   string // the API's base: http://127.0.0.1:PORT/api/contributions
	Token string

	// Faults fails on demand: Throttle, Fail, DropAfterStore. Writes
	// counts the PUTs and POSTs that passed the token check and the
	// injected faults (stored or refused for their values).
	fetchtest.Faults

	srv  *httptest.Server
	opts Options

	mu       sync.Mutex
	entries  []*Entry // in the order they were created
	requests int
	refusals map[string][2]string // client id: field, message
}

// basePath is where the fake serves the API.
const basePath = "/api/contributions"

// NewServer starts a fake on loopback, closed when the test ends.
func NewServer(t testing.TB, opts ...Options) *Server {
	t.Helper()
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	if o.Token == "" {
		o.Token = DefaultToken
	}
	if o.PageSize <= 0 {
		o.PageSize = DefaultPageSize
	}
	if o.MaxDescription <= 0 {
		o.MaxDescription = DefaultMaxDescription
	}
	if o.MaxTitle <= 0 {
		o.MaxTitle = DefaultMaxTitle
	}
	s := &Server{Token: o.Token, opts: o, refusals: map[string][2]string{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	s.URL = s.srv.URL + basePath
	return s
}

// Refuse answers every PUT of clientID 422, naming field with message.
func (s *Server) Refuse(clientID, field, message string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refusals[clientID] = [2]string{field, message}
}

// Add stores c as entered on the Stars site (without a client id) and
// returns its id.
func (s *Server) Add(c stars.Contribution) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	c.ID = s.newID()
	s.entries = append(s.entries, &Entry{Contribution: c})
	return c.ID
}

// Contributions are the contributions the server holds, in the order
// they were created, with the server's ids.
func (s *Server) Contributions() []stars.Contribution {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]stars.Contribution, len(s.entries))
	for i, e := range s.entries {
		out[i] = e.Contribution
	}
	return out
}

// Entries are the contributions the server holds with their client ids
// and how many PUTs stored each.
func (s *Server) Entries() []Entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Entry, len(s.entries))
	for i, e := range s.entries {
		out[i] = *e
	}
	return out
}

// Requests is how many requests the server got, refused ones included.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

func (s *Server) newID() string { return fmt.Sprintf("ctb_%06d", len(s.entries)+1) }

func (s *Server) byClientID(id string) *Entry {
	i := slices.IndexFunc(s.entries, func(e *Entry) bool { return e.ClientID == id })
	if i < 0 {
		return nil
	}
	return s.entries[i]
}

// serve checks the path, the token and the injected faults, then routes.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests++
	s.mu.Unlock()
	rest, ok := strings.CutPrefix(r.URL.Path, basePath)
	if !ok || strings.Count(rest, "/") > 1 || rest == "/" {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not found"})
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+s.Token {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "Unauthorized: a valid token is required"})
		return
	}
	if status, retryAfter, faulty := s.Next(); faulty {
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		writeJSON(w, status, map[string]string{"message": http.StatusText(status)})
		return
	}
	clientID := strings.TrimPrefix(rest, "/")
	switch {
	case r.Method == http.MethodGet && clientID == "":
		s.list(w, r)
	case r.Method == http.MethodPut && clientID != "":
		s.put(w, r, clientID)
	case r.Method == http.MethodPost && clientID == "":
		s.create(w, r)
	default:
		w.Header().Set("Allow", "GET, POST, PUT")
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"message": "Method not allowed"})
	}
}
