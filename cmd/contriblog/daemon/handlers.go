package daemon

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/export"
	"github.com/contriblog/contriblog/harvester/program"
)

var contentTypes = map[string]string{
	"csv":  "text/csv; charset=utf-8; header=present",
	"json": "application/json; charset=utf-8",
	"md":   "text/markdown; charset=utf-8",
}

// serveExport answers GET /export.FORMAT with the filtered log. The log is
// rendered before the first byte is sent, so an error is a clean 500 and
// not a truncated document.
func (d *Daemon) serveExport(format string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		name := q.Get("program")
		f, err := parseFilter(q, d.Config.Vocabulary, "program")
		if err != nil {
			httpError(w, err.Error(), http.StatusBadRequest)
			return
		}
		var p *program.Profile
		if name != "" {
			if p, err = d.profile(name); err != nil {
				httpError(w, err.Error(), http.StatusBadRequest)
				return
			}
		}
		if d.refusePerson(w, r, f.Person) {
			return
		}
		var buf bytes.Buffer
		var rows int
		var left []harvester.LeftOut
		if p != nil {
			rows, left, err = d.renderProgram(r.Context(), &buf, p, format, f)
		} else {
			rows, err = d.render(r.Context(), &buf, format, f, false)
		}
		var bad badRequest
		if errors.As(err, &bad) {
			httpError(w, err.Error(), http.StatusBadRequest)
			return
		} else if err != nil {
			httpError(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", contentTypes[format])
		w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
		w.Header().Set("X-Contriblog-Rows", strconv.Itoa(rows))
		setLeftOut(w.Header(), left)
		w.Write(buf.Bytes())
	}
}

// checkPerson refuses a person that is nobody in the stored log nor the
// config, with a suggestion; the message starts "unknown person", which
// refusePerson answers a person nobody in the log or the config is (400,
// with the nearest name) or a store that cannot say (500), and reports
// whether it did.
func (d *Daemon) refusePerson(w http.ResponseWriter, r *http.Request, person string) bool {
	err := d.checkPerson(r.Context(), person)
	switch {
	case errors.Is(err, harvester.ErrUnknownPerson):
		httpError(w, err.Error(), http.StatusBadRequest)
	case err != nil:
		httpError(w, err.Error(), http.StatusInternalServerError)
	default:
		return false
	}
	return true
}

// the Client reads as harvester.ErrUnknownPerson.
func (d *Daemon) checkPerson(ctx context.Context, person string) error {
	if person == "" {
		return nil
	}
	state, err := d.Store.LogState(ctx)
	if err != nil {
		return fmt.Errorf("read the log's persons: %w", err)
	}
	return harvester.CheckPerson(person, state.Persons, d.live().Persons)
}

// parseFilter reads the export filters from a query, as `contriblog
// export` reads its flags: since and until are inclusive YYYY-MM-DD; type
// a full name or a table label of vocab's types (export.ResolveType); all
// with no value means true. The endpoint's own keys are extra: any other
// key is refused.
func parseFilter(q url.Values, vocab *harvester.Vocabulary, extra ...string) (harvester.Filter, error) {
	if err := onlyKeys(q, append([]string{"since", "until", "person", "type", "all", "unsubmitted"}, extra...)...); err != nil {
		return harvester.Filter{}, err
	}
	f := harvester.Filter{Since: q.Get("since"), Until: q.Get("until"), Person: q.Get("person"),
		Unsubmitted: strings.ToLower(strings.TrimSpace(q.Get("unsubmitted")))}
	typ, err := export.ResolveType(vocab, q.Get("type"))
	if err != nil {
		return f, fmt.Errorf("type: %w", err)
	}
	f.Type = typ
	for _, p := range []struct{ name, v string }{{"since", f.Since}, {"until", f.Until}} {
		if p.v == "" {
			continue
		}
		if _, err := time.Parse(harvester.DateLayout, p.v); err != nil {
			return f, fmt.Errorf("%s=%q: expected a date as YYYY-MM-DD", p.name, p.v)
		}
	}
	if f.Since != "" && f.Until != "" && f.Since > f.Until {
		return f, fmt.Errorf("since=%s is after until=%s", f.Since, f.Until)
	}
	if q.Has("all") {
		all, err := parseBool(q.Get("all"))
		if err != nil {
			return f, fmt.Errorf("all=%q: %w", q.Get("all"), err)
		}
		f.All = all
	}
	return f, nil
}

// parseBool is strconv.ParseBool where a bare key ("?all") means true.
func parseBool(s string) (bool, error) {
	if s == "" {
		return true, nil
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		return false, fmt.Errorf("expected true or false")
	}
	return b, nil
}

// onlyKeys refuses any key but allowed, naming them: a misspelt filter
// must not silently export everything.
func onlyKeys(v url.Values, allowed ...string) error {
	var unknown []string
	for k := range v {
		found := false
		for _, a := range allowed {
			found = found || k == a
		}
		if !found {
			unknown = append(unknown, strconv.Quote(k))
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	sort.Strings(unknown)
	return fmt.Errorf("unknown parameter %s; known: %s", strings.Join(unknown, ", "), strings.Join(allowed, ", "))
}

// PassReport is POST /harvest?wait=1's answer: the pass's Results with
// errors as text.
type PassReport struct {
	Started    time.Time      `json:"started,omitzero"` // absent when no pass started
	Results    []SourceReport `json:"results"`
	LogChanged bool           `json:"log_changed"`
	// Rows counts the stored log's rows, Excluded those of them curated
	// as excluded: an export has Rows-Excluded.
	Rows     int    `json:"rows"`
	Excluded int    `json:"excluded"`
	Error    string `json:"error,omitempty"` // the pass as a whole failed
	// LogError says why the log was not rebuilt (harvester.Pass.LogErr);
	// Rows then counts an earlier pass's log, or is -1 when even that
	// could not be read.
	LogError string `json:"log_error,omitempty"`
}

// SourceReport is one source's part of a PassReport.
type SourceReport struct {
	Source          string  `json:"source"`
	Type            string  `json:"type"`
	New             int     `json:"new"`
	Updated         int     `json:"updated"`
	Unchanged       int     `json:"unchanged"`
	NotModified     bool    `json:"not_modified,omitempty"`
	Error           string  `json:"error,omitempty"`
	DurationSeconds float64 `json:"duration_seconds"`
	// Seen counts the items the pass read, Kept those it stored and
	// Dropped the others by reason (docs/sources.md#what-a-pass-keeps); all
	// zero for a pass answered "not modified".
	Seen    int            `json:"seen"`
	Kept    int            `json:"kept"`
	Dropped map[string]int `json:"dropped"`
}

func newPassReport(out outcome) PassReport {
	rep := PassReport{Results: []SourceReport{}}
	if out.Err != nil {
		rep.Error = out.Err.Error()
	}
	if p := out.Pass; p != nil {
		rep.Started, rep.LogChanged, rep.Rows, rep.Excluded = p.Started, p.LogChanged, p.Rows, p.Excluded
		if p.LogErr != nil {
			rep.LogError = p.LogErr.Error()
		}
		for _, r := range p.Results {
			sr := SourceReport{Source: r.Source, Type: r.Type, New: r.New, Updated: r.Updated,
				Unchanged: r.Unchanged, NotModified: r.NotModified, DurationSeconds: r.Duration.Seconds(),
				Seen: r.Seen, Kept: r.Kept, Dropped: nonNil(r.Dropped)}
			if r.Err != nil {
				sr.Error = r.Err.Error()
			}
			rep.Results = append(rep.Results, sr)
		}
	}
	return rep
}

// nonNil is m, or an empty map for nil: JSON says {} rather than null.
func nonNil(m map[string]int) map[string]int {
	if m == nil {
		return map[string]int{}
	}
	return m
}

// serveHarvest queues a pass over the named sources (all when none), read
// in full with refetch=1. It answers 202 at once, or with wait=1 the
// pass's report when it is done (a pass already running finishes first).
func (d *Daemon) serveHarvest(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := r.ParseForm(); err != nil {
		httpError(w, "read form: "+err.Error(), http.StatusBadRequest)
		return
	}
	if err := onlyKeys(r.Form, "source", "wait", "refetch"); err != nil {
		httpError(w, err.Error(), http.StatusBadRequest)
		return
	}
	wait, ok := formBool(w, r.Form, "wait")
	if !ok {
		return
	}
	refetch, ok := formBool(w, r.Form, "refetch")
	if !ok {
		return
	}
	names := r.Form["source"]
	if err := d.checkNames(names); err != nil {
		httpError(w, err.Error(), http.StatusBadRequest)
		return
	}
	if !d.scheduling.Load() {
		http.Error(w, "the daemon is not running", http.StatusServiceUnavailable)
		return
	}
	done := d.q.request(harvester.HarvestRequest{Names: names, Refetch: refetch})
	if !wait {
		queued := names
		if len(queued) == 0 {
			queued = []string{"all"}
		}
		writeJSON(w, http.StatusAccepted, map[string][]string{"queued": queued})
		return
	}
	// A pass may outlast the server's write timeout.
	_ = http.NewResponseController(w).SetWriteDeadline(time.Time{})
	select {
	case out := <-done:
		code := http.StatusOK
		if out.Pass == nil && out.Err != nil {
			code = http.StatusServiceUnavailable
		}
		writeJSON(w, code, newPassReport(out))
	case <-r.Context().Done():
		// The client left or the daemon is stopping; the pass goes on.
	}
}

// formBool reads the boolean form key (false when absent); on a bad
// value it answers 400 and returns ok false.
func formBool(w http.ResponseWriter, form url.Values, key string) (v, ok bool) {
	if !form.Has(key) {
		return false, true
	}
	v, err := parseBool(form.Get(key))
	if err != nil {
		httpError(w, key+"="+strconv.Quote(form.Get(key))+": "+err.Error(), http.StatusBadRequest)
		return false, false
	}
	return v, true
}

// checkNames refuses names that are no enabled source.
func (d *Daemon) checkNames(names []string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, n := range names {
		if _, ok := d.plans[n]; !ok {
			known := make([]string, 0, len(d.plans))
			for k := range d.plans {
				known = append(known, k)
			}
			sort.Strings(known)
			return fmt.Errorf("source=%q: no enabled source of that name; enabled: %s", n, strings.Join(known, ", "))
		}
	}
	return nil
}
