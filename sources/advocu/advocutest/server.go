// Package advocutest is a fake of Advocu's personal API (docs/programs.md)
// on httptest, for the tests of what sends to it: it checks the token,
// the kind and every draft's shape and limits as Advocu documents them,
// stores each POST as a new draft with a generated id (answering
// {"id", "status"} as Advocu does), and fails on demand: 429s, 5xxs, a
// refused field, a connection dropped after the draft was stored.
package advocutest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/contriblog/contriblog/sources/advocu"
	"github.com/contriblog/contriblog/sources/fetch/fetchtest"
)

// DefaultToken is the token a Server accepts unless Options say another.
const DefaultToken = "advocu-test-token-7d21e5b0"

// Options configure a Server; zero fields take the defaults.
type Options struct {
	Token   string // the token the server accepts
	Program string // the base's last segment: gde (default) or dockercaptains
	// AllowUnknown accepts fields Advocu does not document for the kind;
	// by default they are refused, as Advocu's schemas refuse them.
	AllowUnknown bool
}

// Draft is one draft the server holds.
type Draft struct {
	ID   string
	Kind string
	Body json.RawMessage // as posted
}

// Field is the value of name in the draft's body (a string, float64,
// bool, []any or map[string]any), nil when absent.
func (d Draft) Field(name string) any {
	var m map[string]any
	json.Unmarshal(d.Body, &m)
	return m[name]
}

// Server is the fake API. Its methods are safe for concurrent use.
type Server struct {
	URL   string // the API's base: http://127.0.0.1:PORT/personal-api/v1/gde/
	Token string

	// Faults fails on demand: Throttle, Fail, DropAfterStore. Writes
	// counts the POSTs that passed the token check and the injected
	// faults (stored or refused for their values).
	fetchtest.Faults

	srv  *httptest.Server
	opts Options
	path string // the base's path

	mu       sync.Mutex
	drafts   []Draft
	requests int
	refusals map[string][2]string // title: field, message
}

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
	if o.Program == "" {
		o.Program = "gde"
	}
	s := &Server{Token: o.Token, opts: o, refusals: map[string][2]string{},
		path: "/personal-api/v1/" + o.Program + "/"}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	s.URL = s.srv.URL + s.path
	return s
}

// Refuse answers 400 to every draft titled title, naming field with
// message.
func (s *Server) Refuse(title, field, message string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refusals[title] = [2]string{field, message}
}

// Drafts are the drafts the server holds, in the order they were made.
func (s *Server) Drafts() []Draft {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.drafts)
}

// Requests is how many requests the server got, refused ones included.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// serve checks the path, the token and the injected faults, then takes
// the draft.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests++
	s.mu.Unlock()
	kind, ok := strings.CutPrefix(r.URL.Path, s.path+"activity-drafts/")
	if !ok || !slices.Contains(advocu.Kinds, kind) {
		writeJSON(w, http.StatusNotFound, map[string]any{"statusCode": 404, "message": "Cannot " + r.Method + " " + r.URL.Path})
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+s.Token {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"statusCode": 401, "message": "Unauthorized"})
		return
	}
	if status, retryAfter, faulty := s.Next(); faulty {
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		writeJSON(w, status, map[string]any{"statusCode": status, "message": http.StatusText(status)})
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		writeJSON(w, http.StatusMethodNotAllowed, map[string]any{"statusCode": 405, "message": "Method not allowed"})
		return
	}
	s.create(w, r, kind)
}

// create checks and stores one draft.
func (s *Server) create(w http.ResponseWriter, r *http.Request, kind string) {
	post := s.Write()
	body, errs, err := s.check(r.Body, kind)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"statusCode": 400, "message": err.Error()})
		return
	}
	if len(errs) > 0 {
		writeJSON(w, http.StatusBadRequest, map[string]any{"statusCode": 400, "message": "Validation failed", "errors": errs})
		return
	}
	s.mu.Lock()
	d := Draft{ID: fmt.Sprintf("drf_%06d", len(s.drafts)+1), Kind: kind, Body: body}
	s.drafts = append(s.drafts, d)
	drop := s.Dropping(post)
	s.mu.Unlock()
	if drop {
		fetchtest.HangUp(w)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"id": d.ID, "status": "draft"})
}
