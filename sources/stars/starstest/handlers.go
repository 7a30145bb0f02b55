package starstest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/contriblog/contriblog/sources/fetch/fetchtest"
	"github.com/contriblog/contriblog/sources/stars"
)

// fieldError is one refused field, in the shape the fake answers:
// {"message": "Validation failed", "errors": [{"field", "message"}]}.
type fieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func refuse(w http.ResponseWriter, status int, errs ...fieldError) {
	writeJSON(w, status, map[string]any{"message": "Validation failed", "errors": errs})
}

// list answers GET ?page=N as Stars does: {"data", "pagination"}.
func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	n := 1
	if p := r.URL.Query().Get("page"); p != "" {
		v, err := strconv.Atoi(p)
		if err != nil || v < 1 {
			refuse(w, http.StatusBadRequest, fieldError{"page", "page must be a whole number from 1"})
			return
		}
		n = v
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	size := s.opts.PageSize
	total := len(s.entries)
	data := []stars.Contribution{}
	for _, e := range s.entries[min((n-1)*size, total):min(n*size, total)] {
		data = append(data, e.Contribution)
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": data, "pagination": map[string]int{
		"limit": size, "page": n, "total": total, "totalPages": max(1, (total+size-1)/size)}})
}

var clientIDRE = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,255}$`)

// put upserts the contribution of clientID.
func (s *Server) put(w http.ResponseWriter, r *http.Request, clientID string) {
	write := s.Write()
	if !clientIDRE.MatchString(clientID) {
		refuse(w, http.StatusBadRequest, fieldError{"id", "client id must be 1-255 characters of letters, digits, '.', '_', ':' and '-'"})
		return
	}
	c, errs, err := s.decode(r.Body)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": err.Error()})
		return
	}
	s.mu.Lock()
	ref, refused := s.refusals[clientID]
	s.mu.Unlock()
	if refused {
		errs = append([]fieldError{{ref[0], ref[1]}}, errs...)
	}
	if len(errs) > 0 {
		refuse(w, http.StatusUnprocessableEntity, errs...)
		return
	}
	s.mu.Lock()
	status := http.StatusOK
	e := s.byClientID(clientID)
	if e == nil {
		status = http.StatusCreated
		e = &Entry{ClientID: clientID, Contribution: stars.Contribution{ID: s.newID()}}
		s.entries = append(s.entries, e)
	}
	c.ID = e.Contribution.ID
	e.Contribution = c
	e.Writes++
	drop := s.Dropping(write)
	s.mu.Unlock()
	if drop {
		fetchtest.HangUp(w)
		return
	}
	writeJSON(w, status, map[string]any{"data": []stars.Contribution{c}})
}

// create answers POST {"data": [contributions]}: all created, or none.
func (s *Server) create(w http.ResponseWriter, r *http.Request) {
	write := s.Write()
	var body struct {
		Data []json.RawMessage `json:"data"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&body); err != nil || len(body.Data) == 0 {
		refuse(w, http.StatusBadRequest, fieldError{"data", "want {\"data\": [contributions]}"})
		return
	}
	var cs []stars.Contribution
	for i, raw := range body.Data {
		c, errs, err := s.decodeRaw(raw)
		if err != nil {
			refuse(w, http.StatusBadRequest, fieldError{fmt.Sprintf("data[%d]", i), err.Error()})
			return
		}
		if len(errs) > 0 {
			refuse(w, http.StatusUnprocessableEntity, errs...)
			return
		}
		cs = append(cs, c)
	}
	s.mu.Lock()
	for i := range cs {
		cs[i].ID = s.newID()
		s.entries = append(s.entries, &Entry{Contribution: cs[i]})
	}
	drop := s.Dropping(write)
	s.mu.Unlock()
	if drop {
		fetchtest.HangUp(w)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"data": cs})
}

func (s *Server) decode(body io.Reader) (stars.Contribution, []fieldError, error) {
	raw, err := io.ReadAll(io.LimitReader(body, 1<<20))
	if err != nil {
		return stars.Contribution{}, nil, err
	}
	return s.decodeRaw(raw)
}

// decodeRaw reads one contribution and checks it: the errors are its
// refused fields; err is a body that is not one.
func (s *Server) decodeRaw(raw []byte) (stars.Contribution, []fieldError, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return stars.Contribution{}, nil, fmt.Errorf("the body is not a JSON object: %v", err)
	}
	var c stars.Contribution
	if err := json.Unmarshal(raw, &c); err != nil {
		return stars.Contribution{}, nil, fmt.Errorf("the body is not a contribution: %v", err)
	}
	var errs []fieldError
	for _, k := range sortedKeys(fields) {
		if !slices.Contains(stars.Fields, k) {
			errs = append(errs, fieldError{k, k + " is not a field of a contribution"})
		}
	}
	return c, append(errs, s.check(c)...), nil
}

// check applies the API's rules to c.
func (s *Server) check(c stars.Contribution) []fieldError {
	var errs []fieldError
	bad := func(field, format string, args ...any) {
		errs = append(errs, fieldError{field, fmt.Sprintf(format, args...)})
	}
	if !slices.Contains(stars.Types, c.Type) {
		bad("type", "type must be one of %v, not %q", stars.Types, c.Type)
	}
	switch n := utf8.RuneCountInString(c.Title); {
	case strings.TrimSpace(c.Title) == "":
		bad("title", "title is required")
	case n > s.opts.MaxTitle:
		bad("title", "title must be at most %d characters, not %d", s.opts.MaxTitle, n)
	}
	if n := utf8.RuneCountInString(c.Description); n > s.opts.MaxDescription {
		bad("description", "description must be at most %d characters, not %d", s.opts.MaxDescription, n)
	}
	if u, err := url.Parse(c.URL); c.URL == "" {
		bad("url", "url is required")
	} else if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("url", "url must be an absolute http(s) URL")
	}
	if _, err := time.Parse(time.RFC3339, c.Date); err != nil {
		bad("date", "date must be an ISO 8601 timestamp (2026-03-04T00:00:00Z), not %q", c.Date)
	}
	return errs
}

func sortedKeys(m map[string]json.RawMessage) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
