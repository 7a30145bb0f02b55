package daemon

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/contriblog/contriblog/harvester"
)

// maxBody bounds the body of a POST: an edit's form is a few hundred bytes.
const maxBody = 64 << 10

// NewHandler returns the daemon's HTTP API:
//
//	GET  /                         the review page: the report of a period (query since, until, person,
//	                               type, program) with buttons that edit the log (docs/report.md#review-mode)
//	GET  /api                      this list, as text
//	GET  /healthz                  200 while the store answers, the scheduler runs and no pass or edit
//	                               has run past its bound (PassStuckAfter, EditStuckAfter), else 503 (JSON)
//	GET  /export.csv|.json|.md     the log; query: since, until (YYYY-MM-DD), person, type, all;
//	                               program=NAME (csv, json): that program's export, the rows it
//	                               left out in X-Contriblog-Left-Out headers
//	GET  /check                    `contriblog check` (JSON); query: program, today, and export's filters
//	GET  /sources                  every source's state, schedule and next run (JSON)
//	GET  /metrics                  Prometheus text format
//	POST /harvest                  queue a pass; form: source (repeatable), wait=1 to answer with its results
//	GET  /why/{id}                 why the row has each of its technology areas (JSON, harvester.AreaExplanation)
//	POST /edit/{id}                curate a contribution; form fields as `contriblog edit` flags
//	POST /edit                     curate several: form id (repeatable) and the same fields; every row after it
//	POST /forget                   form: source, apply=1 to remove its observations (else a preview)
//	POST /backup                   copy the database; form: path (absolute; "" for a timestamped file in BackupDir)
//	POST /submissions              form: records (JSON array), or program and id (repeatable) to mark rows submitted
//	POST /submissions/delete       form: program, id (repeatable record ids)
//
// Every request must be addressed to the listen address or a loopback
// name (403 otherwise: DNS rebinding). With Config.ListenToken set, every
// request needs "Authorization: Bearer TOKEN" (401 otherwise). A POST
// from a browser must come from the daemon's own page with its CSRF
// token (CSRFHeader); from anything else, it must carry the daemon's
// secret (SecretHeader, SecretFile's contents) or the bearer token (403
// otherwise). See security.go and docs/security.md.
func NewHandler(d *Daemon) http.Handler {
	d.init()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", d.serveReport)
	mux.HandleFunc("GET /api", d.serveIndex)
	mux.HandleFunc("GET /healthz", d.serveHealth)
	for _, f := range []string{"csv", "json", "md"} {
		mux.HandleFunc("GET /export."+f, d.serveExport(f))
	}
	mux.HandleFunc("GET /check", d.serveCheck)
	mux.HandleFunc("GET /sources", d.serveSources)
	mux.HandleFunc("GET /metrics", d.serveMetrics)
	mux.HandleFunc("POST /harvest", d.serveHarvest)
	mux.HandleFunc("GET /why/{id}", d.serveWhy)
	mux.HandleFunc("POST /edit/{id}", d.serveEdit)
	mux.HandleFunc("POST /edit", d.serveEditMany)
	mux.HandleFunc("POST /forget", d.serveForget)
	mux.HandleFunc("POST /backup", d.serveBackup)
	mux.HandleFunc("GET /submissions", d.serveSubmissions)
	mux.HandleFunc("POST /submissions", d.serveSaveSubmissions)
	mux.HandleFunc("POST /submissions/delete", d.serveDeleteSubmissions)
	mux.HandleFunc("POST /entries", d.serveEntries)

	return d.guard(mux)
}

// guard checks, before anything else, that the request is addressed to
// the daemon (Host), carries the bearer token when there is one, and, if
// it changes something, comes from the daemon's page or a program of the
// user (checkChange); and it sets the security headers of every answer.
func (d *Daemon) guard(next http.Handler) http.Handler {
	token := d.live().ListenToken
	want := sha256.Sum256([]byte(token))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		securityHeaders(w.Header())
		if !d.hostAllowed(r.Host) {
			httpError(w, fmt.Sprintf("this daemon answers only requests addressed to its listen address or to localhost, 127.0.0.1 or [::1], not Host %q", r.Host), http.StatusForbidden)
			return
		}
		bearerOK := false
		if token != "" {
			got, ok := bearer(r)
			// Hashing first makes the comparison constant-time whatever the
			// lengths.
			sum := sha256.Sum256([]byte(got))
			if !ok || subtle.ConstantTimeCompare(sum[:], want[:]) != 1 {
				// Only refusals pay: logged (rate-limited) and paused.
				d.metrics.authFailed()
				d.auth.refuse(w, r)
				return
			}
			bearerOK = true
		}
		if !d.checkChange(w, r, bearerOK) {
			return
		}
		next.ServeHTTP(w, r)
	})
}

// bearer returns the request's bearer token.
func bearer(r *http.Request) (string, bool) {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	return strings.TrimSpace(tok), true
}

func hostOnly(hostport string) string {
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		return h
	}
	return hostport
}

func (d *Daemon) serveIndex(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprint(w, `contriblog daemon
GET  /            the review page (HTML)  ?since=YYYY-MM-DD&until=YYYY-MM-DD&person=NAME&type=TYPE&program=NAME
GET  /api         this list
GET  /healthz
GET  /export.csv  /export.json  /export.md   ?since=YYYY-MM-DD&until=YYYY-MM-DD&person=NAME&type=TYPE&all=1
                  program=NAME (csv, json): the program's export; rows left out in X-Contriblog-Left-Out
GET  /check       ?program=NAME&today=YYYY-MM-DD and the export's filters
GET  /sources
GET  /metrics
GET  /why/{id}    why the row has each of its technology areas
POST /harvest     source=NAME (repeatable)  wait=1
POST /edit/{id}   exclude include type title date role area url description audience additional-area reach quantity
                  private-description microsoft-event high-impact set=KEY=N (repeatable) merge split
POST /edit        id (repeatable) and the fields of /edit/{id}
POST /forget      source=NAME  apply=1 (without: a preview)
POST /backup      path=ABSOLUTE_PATH (or none: a timestamped file in the backup directory)
GET  /submissions
POST /submissions         records=JSON array of submission records, or program=NAME id=ROW (repeatable) to mark rows
POST /submissions/delete  program=NAME  id (repeatable)
POST /entries             source=NAME  observations=JSON array (a hand-kept source the config does not name)

A POST needs the header `+SecretHeader+` (the contents of the daemon's secret file beside the
database), or the listen_token; from a browser page, the daemon page's `+CSRFHeader+`.
`)
}

// health is /healthz's answer.
type health struct {
	Status        string      `json:"status"`           // ok or unavailable
	Reason        string      `json:"reason,omitempty"` // why unavailable, in a sentence
	Store         string      `json:"store"`
	Scheduler     string      `json:"scheduler"` // running or stopped
	PassRunning   bool        `json:"pass_running"`
	Stuck         []stuckWork `json:"stuck"` // [] when nothing is stuck
	LastPass      *time.Time  `json:"last_pass,omitempty"`
	LastPassError string      `json:"last_pass_error,omitempty"`
	// Backup is informational: a failed backup is logged and shown here,
	// but does not make the daemon unavailable.
	Backup *backupHealth `json:"backup,omitempty"`
}

func (d *Daemon) serveHealth(w http.ResponseWriter, r *http.Request) {
	h := health{Status: "ok", Store: "ok", Scheduler: "running", PassRunning: d.passRunning.Load(),
		Backup: d.backups.health()}
	code := http.StatusOK
	var reasons []string
	if !d.scheduling.Load() {
		code, h.Status, h.Scheduler = http.StatusServiceUnavailable, "unavailable", "stopped"
		reasons = append(reasons, "the scheduler is stopped")
	}
	// A pass or an edit that never ends holds up every later one, while
	// the store and the scheduler still look fine.
	if h.Stuck = d.stuck(); h.Stuck == nil {
		h.Stuck = []stuckWork{}
	}
	if len(h.Stuck) > 0 {
		code, h.Status = http.StatusServiceUnavailable, "unavailable"
		for _, s := range h.Stuck {
			reasons = append(reasons, fmt.Sprintf("%s running since %s (%s, longer than its %s bound)",
				articled(s.What), s.Since.Format(time.RFC3339), s.RunningFor, s.Bound))
		}
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if _, err := d.Store.SourceStates(ctx); err != nil {
		code, h.Status, h.Store = http.StatusServiceUnavailable, "unavailable", "error: "+err.Error()
		reasons = append(reasons, "the store does not answer")
	}
	if lp := d.lastPass.Load(); lp != nil {
		h.LastPass, h.LastPassError = &lp.Finished, lp.Err
	}
	h.Reason = strings.Join(reasons, "; ")
	writeJSON(w, code, h)
}

// articled is "a pass", "an edit".
func articled(what string) string {
	if strings.ContainsRune("aeiou", rune(what[0])) {
		return "an " + what
	}
	return "a " + what
}

func (d *Daemon) serveMetrics(w http.ResponseWriter, r *http.Request) {
	states, err := d.Store.SourceStates(r.Context())
	if err != nil {
		httpError(w, "read source states: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	if err := d.metrics.write(w, states, d.passRunning.Load()); err != nil {
		d.Logger.Debug("writing metrics failed", "err", err)
	}
}

// SourceStatus is one row of GET /sources: the store's state of the
// source (its source-specific Data and configuration fingerprint left
// out) and what the daemon plans for it.
type SourceStatus struct {
	harvester.SourceState
	// LastDropped is SourceState.LastDropped, {} when nothing was dropped
	// (the store's field is absent then).
	LastDropped map[string]int `json:"last_dropped"`
	Schedule    string         `json:"schedule,omitempty"`
	Enabled     bool           `json:"enabled"`
	Configured  bool           `json:"configured"` // false for a source the store knows but the config no longer names
	// Scheduled says the daemon harvests the source on a schedule: false
	// for a disabled source, and for one the daemon's config does not
	// have (added to the file since it started: reload it with SIGHUP).
	Scheduled bool      `json:"scheduled"`
	NextRun   time.Time `json:"next_run,omitzero"`
}

func (d *Daemon) serveSources(w http.ResponseWriter, r *http.Request) {
	out, err := d.sourceStatuses(r.Context())
	if err != nil {
		httpError(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// sourceStatuses lists the configured sources in config order, then those
// only the store knows, by name.
func (d *Daemon) sourceStatuses(ctx context.Context) ([]SourceStatus, error) {
	states, err := d.Store.SourceStates(ctx)
	if err != nil {
		return nil, fmt.Errorf("read source states: %w", err)
	}
	byName := map[string]harvester.SourceState{}
	for _, st := range states {
		byName[st.Name] = st
	}
	now := d.now()
	out := make([]SourceStatus, 0, len(states))
	lv := d.live()
	for _, s := range lv.Sources {
		st, ok := byName[s.Name]
		if !ok {
			st = harvester.SourceState{Name: s.Name, Type: s.Type}
		}
		delete(byName, s.Name)
		row := SourceStatus{SourceState: public(st), LastDropped: nonNil(st.LastDropped), Enabled: s.Enabled, Configured: true, Schedule: s.Schedule}
		if row.Schedule == "" {
			row.Schedule = lv.Schedule
		}
		if _, ok := d.plan(s.Name); ok {
			row.Scheduled = true
			row.NextRun = d.nextRun(s.Name, st.NextTry, now)
		}
		out = append(out, row)
	}
	for _, st := range states {
		if _, left := byName[st.Name]; left {
			out = append(out, SourceStatus{SourceState: public(st), LastDropped: nonNil(st.LastDropped)})
		}
	}
	return out, nil
}

// public is st without what only the harvester needs: Data (validators,
// caches) and the fingerprint of the source's configuration.
func public(st harvester.SourceState) harvester.SourceState {
	st.Data, st.Config, st.LastDropped = nil, "", nil
	return st
}

// httpError is http.Error for a message that quotes outside text (a
// request's values, a server's or the store's error): made printable, so
// that a client that shows it to a person shows only text.
func httpError(w http.ResponseWriter, msg string, code int) {
	http.Error(w, harvester.Printable(msg), code)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v) // the client has gone; nothing to do
}
