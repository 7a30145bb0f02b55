package daemon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/contriblog/contriblog/harvester"
)

// unknownPersonPrefix starts the daemon's refusal of an unknown person.
var unknownPersonPrefix = harvester.ErrUnknownPerson.Error()

// readTimeout bounds a read when the caller's context has no deadline: a
// daemon on this machine answers in well under that.
const readTimeout = 30 * time.Second

// RemoteError is the daemon's refusal of a request: its HTTP status and
// its message.
type RemoteError struct {
	Addr       string
	StatusCode int
	Message    string
}

func (e *RemoteError) Error() string {
	if e.StatusCode == http.StatusUnauthorized {
		return fmt.Sprintf("the daemon at %s refused the request: check listen_token in the config", e.Addr)
	}
	return fmt.Sprintf("the daemon at %s: %s", e.Addr, e.Message)
}

// Is makes a 404 match harvester.ErrNotFound and a 400 ErrInvalid, and
// also harvester.ErrUnknownPerson when it refused a person.
func (e *RemoteError) Is(target error) bool {
	switch e.StatusCode {
	case http.StatusNotFound:
		return target == harvester.ErrNotFound
	case http.StatusBadRequest:
		return target == ErrInvalid ||
			target == harvester.ErrUnknownPerson && strings.HasPrefix(e.Message, unknownPersonPrefix)
	}
	return false
}

// newClient is a client for one command's call to the daemon: no proxy
// (the daemon is on this machine or its network), a short dial timeout so
// that a daemon that is gone is reported at once, no redirects.
func newClient() *http.Client {
	return &http.Client{
		Transport: &http.Transport{
			DialContext:         (&net.Dialer{Timeout: 2 * time.Second}).DialContext,
			TLSHandshakeTimeout: 5 * time.Second,
			DisableKeepAlives:   true,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// Client is the daemon's HTTP API seen from a command: the
// harvester.LogService that `export`, `list`, `sources`, `edit`,
// `forget`, `harvest` and `backup` use while a daemon holds the database. It keeps
// no connection open; Close does nothing.
type Client struct {
	Listen string // the daemon's listen address, as the config gives it
	Token  string // its listen_token, "" for none
	// SecretFile is the daemon's secret file (SecretPath of the
	// database), read for each request that changes something: the
	// daemon refuses such a request without its secret or Token.
	SecretFile string
}

var _ harvester.LogService = (*Client)(nil)

// Export writes the daemon's log in req's format (csv, json or md), or
// its program's export, filtered as `contriblog export` filters it, to w:
// for the general log, the same bytes the daemon writes to its export
// file. It returns the rows the program's export left out, from the
// response's LeftOutHeader lines.
func (c *Client) Export(ctx context.Context, req harvester.ExportRequest, w io.Writer) ([]harvester.LeftOut, error) {
	if _, ok := contentTypes[req.Format]; !ok {
		return nil, fmt.Errorf("unknown export format %q; formats: csv, json, md", req.Format)
	}
	ctx, cancel := withReadTimeout(ctx)
	defer cancel()
	q := filterQuery(req.Filter)
	if req.Program != "" {
		q.Set("program", req.Program)
	}
	resp, addr, err := c.do(ctx, http.MethodGet, "/export."+req.Format+"?"+q.Encode(), nil)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(w, resp.Body); err != nil {
		return nil, fmt.Errorf("read export from the daemon at %s: %w", addr, err)
	}
	return leftOut(resp.Header), nil
}

// Log calls fn for the daemon's log rows that pass f, oldest first.
// Titles and descriptions are the export's (capped, plain text).
func (c *Client) Log(ctx context.Context, f harvester.Filter, fn func(*harvester.Contribution) error) error {
	ctx, cancel := withReadTimeout(ctx)
	defer cancel()
	var rows []harvester.Contribution
	if err := c.getJSON(ctx, "/export.json?"+filterQuery(f).Encode(), &rows); err != nil {
		return err
	}
	for i := range rows {
		// The daemon filtered already; matching again costs nothing and
		// keeps the promise whatever daemon answered.
		if !f.Match(&rows[i]) {
			continue
		}
		if err := fn(&rows[i]); err != nil {
			return err
		}
	}
	return nil
}

// Sources returns the state of every source the daemon knows, in config
// order (then sources only the store knows).
func (c *Client) Sources(ctx context.Context) ([]harvester.SourceState, error) {
	ctx, cancel := withReadTimeout(ctx)
	defer cancel()
	var rows []SourceStatus
	if err := c.getJSON(ctx, "/sources", &rows); err != nil {
		return nil, err
	}
	out := make([]harvester.SourceState, len(rows))
	for i, r := range rows {
		out[i] = r.SourceState
		out[i].Daemon = &harvester.DaemonPlan{Scheduled: r.Scheduled, NextRun: r.NextRun}
		if len(r.LastDropped) > 0 {
			out[i].LastDropped = r.LastDropped
		}
	}
	return out, nil
}

// Edit asks the daemon to apply req to the contributions ids, and
// returns the rows that now hold them (every part of a split). A 404
// error matches harvester.ErrNotFound, a 400 harvester.ErrInvalidEdit and
// ErrInvalid.
func (c *Client) Edit(ctx context.Context, ids []string, req harvester.EditRequest) ([]harvester.Contribution, error) {
	var rows []harvester.Contribution
	ctx, cancel := withReadTimeout(ctx)
	defer cancel()
	form := editForm(req)
	form["id"] = append([]string(nil), ids...)
	resp, addr, err := c.do(ctx, http.MethodPost, "/edit", form)
	if errors.Is(err, ErrInvalid) {
		return nil, invalidEditError{err}
	}
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(&rows); err != nil {
		return nil, fmt.Errorf("read the edited rows from the daemon at %s: %w", addr, err)
	}
	return rows, nil
}

// ExplainAreas asks the daemon why the row id names has each of its
// areas (GET /why/{id}). A 404 error matches harvester.ErrNotFound.
func (c *Client) ExplainAreas(ctx context.Context, id string) (harvester.AreaExplanation, error) {
	var ex harvester.AreaExplanation
	ctx, cancel := withReadTimeout(ctx)
	defer cancel()
	err := c.getJSON(ctx, "/why/"+url.PathEscape(strings.TrimSpace(id)), &ex)
	return ex, err
}

// Forget asks the daemon what forgetting the source removes and, with
// apply, to remove it. A 404 error (an unknown source, the daemon's
// message naming the known ones) matches harvester.ErrNotFound.
func (c *Client) Forget(ctx context.Context, source string, apply bool) (harvester.ForgetReport, error) {
	var rep harvester.ForgetReport
	ctx, cancel := withReadTimeout(ctx)
	defer cancel()
	form := url.Values{"source": {source}}
	if apply {
		form.Set("apply", "1")
	}
	resp, addr, err := c.do(ctx, http.MethodPost, "/forget", form)
	if err != nil {
		return rep, err
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(&rep); err != nil {
		return rep, fmt.Errorf("read the forget report from the daemon at %s: %w", addr, err)
	}
	return rep, nil
}

// Submissions returns the daemon's submission records.
func (c *Client) Submissions(ctx context.Context) ([]harvester.Submission, error) {
	ctx, cancel := withReadTimeout(ctx)
	defer cancel()
	var subs []harvester.Submission
	return subs, c.getJSON(ctx, "/submissions", &subs)
}

// SaveSubmissions asks the daemon to store records in one transaction.
func (c *Client) SaveSubmissions(ctx context.Context, subs []harvester.Submission) error {
	data, err := json.Marshal(subs)
	if err != nil {
		return fmt.Errorf("encode submission records: %w", err)
	}
	return c.postJSON(ctx, "/submissions", url.Values{"records": {string(data)}}, nil)
}

// DeleteSubmissions asks the daemon to remove program's records of ids.
func (c *Client) DeleteSubmissions(ctx context.Context, program string, ids []string) (int, error) {
	var out struct {
		Deleted int `json:"deleted"`
	}
	err := c.postJSON(ctx, "/submissions/delete", url.Values{"program": {program}, "id": ids}, &out)
	return out.Deleted, err
}

// AddEntries asks the daemon to store obs as a batch of the hand-kept
// source and rebuild the log.
func (c *Client) AddEntries(ctx context.Context, source string, obs []harvester.Observation) error {
	data, err := json.Marshal(obs)
	if err != nil {
		return fmt.Errorf("encode entries: %w", err)
	}
	return c.postJSON(ctx, "/entries", url.Values{"source": {source}, "observations": {string(data)}}, nil)
}

// postJSON posts form to path and decodes the JSON answer into out (nil:
// the answer is read and dropped).
func (c *Client) postJSON(ctx context.Context, path string, form url.Values, out any) error {
	ctx, cancel := withReadTimeout(ctx)
	defer cancel()
	resp, addr, err := c.do(ctx, http.MethodPost, path, form)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if out == nil {
		out = new(json.RawMessage)
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("read the answer to %s from the daemon at %s: %w", path, addr, err)
	}
	return nil
}

// invalidEditError is the daemon's refusal of an edit request (a
// *RemoteError, message unchanged) that also matches
// harvester.ErrInvalidEdit, as a refusal by harvester.Curate does.
type invalidEditError struct{ err error }

func (e invalidEditError) Error() string   { return e.err.Error() }
func (e invalidEditError) Unwrap() []error { return []error{e.err, harvester.ErrInvalidEdit} }

// Harvest asks the daemon for a pass over the sources req names (all when
// none), read in full when req.Refetch is set, and waits for its report, however long the pass takes (bounded
// only by ctx); a pass already running finishes first. When the daemon's
// pass failed as a whole (its store refused a batch, say), the report
// comes back with the error, as a pass run here would.
func (c *Client) Harvest(ctx context.Context, req harvester.HarvestRequest) (*harvester.Pass, error) {
	form := url.Values{"wait": {"1"}}
	if len(req.Names) > 0 {
		form["source"] = req.Names
	}
	if req.Refetch {
		form.Set("refetch", "1")
	}
	resp, addr, err := c.do(ctx, http.MethodPost, "/harvest", form)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var rep PassReport
	if err := json.NewDecoder(resp.Body).Decode(&rep); err != nil {
		return nil, fmt.Errorf("read the pass report from the daemon at %s: %w", addr, err)
	}
	if rep.Error != "" {
		return rep.Pass(), fmt.Errorf("the daemon's pass failed: %s", rep.Error)
	}
	return rep.Pass(), nil
}

// Backup asks the daemon to write a consistent copy of its database to
// path, or with path "" to <backup dir>/contriblog-YYYYMMDD-HHMMSS.db, and
// returns the path it wrote. A relative path is made absolute here, in the
// caller's working directory (the daemon's means nothing to the caller):
// the daemon writes on its own machine, which is this one for a loopback
// listen address.
func (c *Client) Backup(ctx context.Context, path string) (string, error) {
	if path != "" {
		abs, err := filepath.Abs(path)
		if err != nil {
			return "", fmt.Errorf("backup to %s: %w", path, err)
		}
		path = abs
	}
	// A backup copies the whole database; it is bounded by ctx, or by the
	// read timeout when ctx has no deadline.
	ctx, cancel := withReadTimeout(ctx)
	defer cancel()
	resp, addr, err := c.do(ctx, http.MethodPost, "/backup", url.Values{"path": {path}})
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var rep BackupReport
	if err := json.NewDecoder(resp.Body).Decode(&rep); err != nil {
		return "", fmt.Errorf("read the backup report from the daemon at %s: %w", addr, err)
	}
	return rep.Path, nil
}

// Close does nothing: every call is a request of its own.
func (c *Client) Close() error { return nil }

// Pass turns the report back into a harvester.Pass (errors as text), for
// the code that prints passes.
func (r *PassReport) Pass() *harvester.Pass {
	p := &harvester.Pass{Started: r.Started, LogChanged: r.LogChanged, Rows: r.Rows, Excluded: r.Excluded}
	if r.LogError != "" {
		p.LogErr = errors.New(r.LogError)
	}
	for _, s := range r.Results {
		res := harvester.Result{Source: s.Source, Type: s.Type, New: s.New, Updated: s.Updated,
			Unchanged: s.Unchanged, NotModified: s.NotModified,
			Duration: time.Duration(s.DurationSeconds * float64(time.Second)),
			Seen:     s.Seen, Kept: s.Kept, Dropped: s.Dropped}
		if s.Error != "" {
			res.Err = errors.New(s.Error)
		}
		p.Results = append(p.Results, res)
	}
	return p
}

func withReadTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, readTimeout)
}

func filterQuery(f harvester.Filter) url.Values {
	q := url.Values{}
	for k, v := range map[string]string{"since": f.Since, "until": f.Until, "person": f.Person, "type": f.Type, "unsubmitted": f.Unsubmitted} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if f.All {
		q.Set("all", "1")
	}
	return q
}

func (c *Client) getJSON(ctx context.Context, path string, v any) error {
	resp, addr, err := c.do(ctx, http.MethodGet, path, nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		return fmt.Errorf("read %s from the daemon at %s: %w", strings.SplitN(path, "?", 2)[0], addr, err)
	}
	return nil
}

// do sends one request to the daemon and returns its 2xx response, or an
// error: the daemon not answering, or its refusal as a *RemoteError.
func (c *Client) do(ctx context.Context, method, path string, form url.Values) (*http.Response, string, error) {
	addr, err := dialAddr(c.Listen)
	if err != nil {
		return nil, c.Listen, err
	}
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, "http://"+addr+path, body)
	if err != nil {
		return nil, addr, fmt.Errorf("request to the daemon at %s: %w", addr, err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	if !safeMethod(method) {
		// Read now, not once: a restarted daemon has a new secret.
		secret, err := ReadSecret(c.SecretFile)
		if err != nil {
			return nil, addr, err
		}
		if secret != "" {
			req.Header.Set(SecretHeader, secret)
		}
	}
	resp, err := newClient().Do(req)
	if err != nil {
		return nil, addr, fmt.Errorf("no answer from the daemon at %s (is `contriblog run` running with this listen address?): %w", addr, err)
	}
	if resp.StatusCode/100 == 2 {
		return resp, addr, nil
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	return nil, addr, &RemoteError{Addr: addr, StatusCode: resp.StatusCode, Message: strings.TrimSpace(string(msg))}
}
