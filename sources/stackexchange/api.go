package stackexchange

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/sources/fetch"
)

// The Stack Exchange API's manners (docs/sources.md#stack-exchange):
// every answer is gzip-compressed and wrapped in {items, has_more,
// quota_max, quota_remaining, backoff}; backoff asks the client not to
// call the same method again for that many seconds; an error is
// {error_id, error_name, error_message}, with HTTP 400, 502 or 503.

// requestTimeout bounds one call, its body included.
const requestTimeout = 30 * time.Second

// envelope is the wrapper of every response; Items is decoded by the
// caller, who knows its type.
type envelope struct {
	Items          json.RawMessage `json:"items"`
	HasMore        bool            `json:"has_more"`
	QuotaMax       int64           `json:"quota_max"`
	QuotaRemaining *int64          `json:"quota_remaining"`
	Backoff        int64           `json:"backoff"`
	ErrorID        int64           `json:"error_id"`
	ErrorName      string          `json:"error_name"`
	ErrorMessage   string          `json:"error_message"`
}

// APIError is an error the API answered with: its error_id, error_name
// and error_message (throttle_violation, access_denied, bad_parameter...).
type APIError struct {
	Status  int // HTTP status
	ID      int64
	Name    string
	Message string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("stack exchange: %s (%d): %s", e.Name, e.ID, e.Message)
}

// QuotaError says the day's request quota is used up: the pass stopped
// before the calls it still had to make. The quota resets at midnight UTC.
type QuotaError struct {
	Max     int64
	ResetAt time.Time // the next midnight UTC
	In      time.Duration
}

func (e *QuotaError) Error() string {
	return fmt.Sprintf("stack exchange: the daily quota of %d requests is used up; it resets at %s (in %s); a key (key:) raises it to 10,000",
		e.Max, e.ResetAt.UTC().Format("2006-01-02 15:04 UTC"), e.In.Round(time.Minute))
}

// BackoffError says the API asked to wait longer than the pass may: past
// max_wait, or past the pass's deadline.
type BackoffError struct {
	Method string
	Wait   time.Duration
	Why    string // "max_wait 2m0s", "the pass's deadline"
}

func (e *BackoffError) Error() string {
	return fmt.Sprintf("stack exchange: asked to wait %s before calling %s again, beyond %s; the next pass goes on", e.Wait, e.Method, e.Why)
}

// api calls one site's API for one pass: it keeps the backoffs the API
// asked for, per method, and the quota it reported.
type api struct {
	s         *Source
	notBefore map[string]time.Time
	waited    time.Duration
	quotaMax  int64
	exhausted bool
	calls     int
}

func newAPI(s *Source) *api { return &api{s: s, notBefore: map[string]time.Time{}} }

// get calls method (a name for backoffs: "answers", "questions") at path
// with query, and returns the envelope. It waits out a backoff the API
// asked for earlier within the pass's budget, and refuses to call once
// the quota is used up.
func (a *api) get(ctx context.Context, method, path string, query url.Values) (*envelope, error) {
	if a.exhausted {
		return nil, a.quotaError()
	}
	if err := a.waitBackoff(ctx, method); err != nil {
		return nil, err
	}
	query.Set("site", a.s.cfg.Site)
	if a.s.cfg.Key != "" {
		query.Set("key", a.s.cfg.Key)
	}
	raw := a.s.base + path + "?" + query.Encode()
	env, err := a.send(ctx, raw)
	a.calls++
	if err != nil {
		return nil, err
	}
	if env.QuotaMax > 0 {
		a.quotaMax = env.QuotaMax
	}
	if env.QuotaRemaining != nil && *env.QuotaRemaining <= 0 {
		a.exhausted = true
	}
	if env.Backoff > 0 {
		// A hostile value must not overflow: no backoff is a day long.
		b := time.Duration(min(env.Backoff, 86400)) * time.Second
		a.notBefore[method] = a.s.cfg.Now().Add(b)
		a.s.log.Debug("the API asked to back off", "method", method, "seconds", env.Backoff)
	}
	return env, nil
}

// waitBackoff waits until method may be called again, when the API asked
// to back off; it gives up with a *BackoffError rather than wait past
// max_wait (summed over the pass) or the pass's deadline.
func (a *api) waitBackoff(ctx context.Context, method string) error {
	nb, ok := a.notBefore[method]
	if !ok {
		return nil
	}
	wait := nb.Sub(a.s.cfg.Now())
	if wait <= 0 {
		delete(a.notBefore, method)
		return nil
	}
	if a.waited+wait > a.s.cfg.MaxWait {
		return &BackoffError{Method: method, Wait: wait, Why: "max_wait " + a.s.cfg.MaxWait.String()}
	}
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
		return &BackoffError{Method: method, Wait: wait, Why: "the pass's deadline"}
	}
	if err := a.s.cfg.Sleep(ctx, wait); err != nil {
		return fmt.Errorf("stack exchange: waiting before calling %s again: %w", method, err)
	}
	a.waited += wait
	delete(a.notBefore, method)
	return nil
}

func (a *api) quotaError() *QuotaError {
	now := a.s.cfg.Now().UTC()
	reset := time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, time.UTC)
	return &QuotaError{Max: a.quotaMax, ResetAt: reset, In: reset.Sub(now)}
}

// send GETs raw and decodes the envelope, an error envelope being an
// *APIError. The key rides in the query (the API takes it nowhere else),
// so the rule for secrets is applied here: no key over plain http to
// another machine.
func (a *api) send(ctx context.Context, raw string) (*envelope, error) {
	shown := fetch.Redact(raw)
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("stack exchange: GET %s: %w", shown, err)
	}
	if a.s.cfg.Key != "" && !fetch.SecretAllowed(u) {
		return nil, &fetch.InsecureError{Host: u.Host}
	}
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, raw, nil)
	if err != nil {
		return nil, fmt.Errorf("stack exchange: GET %s: %w", shown, err)
	}
	// The transport leaves compression to us (fetch.Client), so that the
	// size limit counts decompressed bytes.
	req.Header.Set("Accept-Encoding", "gzip")
	req.Header.Set("Accept", "application/json")
	resp, err := a.s.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("stack exchange: %w", scrub(fetch.Plain(err), raw, shown))
	}
	defer resp.Body.Close()
	body, err := readBody(resp, a.s.cfg.MaxBytes)
	if err != nil {
		return nil, fmt.Errorf("stack exchange: GET %s: %w", shown, err)
	}
	var env envelope
	jerr := json.Unmarshal(body, &env)
	switch {
	case jerr == nil && (env.ErrorID != 0 || env.ErrorName != ""):
		return nil, &APIError{Status: resp.StatusCode, ID: env.ErrorID,
			Name: harvester.Truncate(harvester.CleanText(env.ErrorName), 80), Message: harvester.Truncate(harvester.CleanText(env.ErrorMessage), 300)}
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return nil, &fetch.StatusError{URL: shown, StatusCode: resp.StatusCode, Status: resp.Status}
	case jerr != nil:
		return nil, fmt.Errorf("stack exchange: GET %s: not the API's JSON: %w", shown, jerr)
	}
	return &env, nil
}

// scrub shows err with the raw URL (which holds the key) redacted,
// keeping err in the chain.
func scrub(err error, raw, shown string) error {
	if msg := err.Error(); strings.Contains(msg, raw) {
		return &scrubbed{msg: strings.ReplaceAll(msg, raw, shown), err: err}
	}
	return err
}

type scrubbed struct {
	msg string
	err error
}

func (e *scrubbed) Error() string { return e.msg }
func (e *scrubbed) Unwrap() error { return e.err }

// readBody reads at most limit decompressed bytes of resp's body, gzip
// or not: the API compresses every answer, and says so or not.
func readBody(resp *http.Response, limit int64) ([]byte, error) {
	br := bufio.NewReader(resp.Body)
	var r io.Reader = br
	magic, _ := br.Peek(2)
	if resp.Header.Get("Content-Encoding") == "gzip" || bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("bad gzip body: %w", err)
		}
		defer zr.Close()
		r = zr
	}
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%w: more than %s bytes (max_bytes)", fetch.ErrTooLarge, strconv.FormatInt(limit, 10))
	}
	return b, nil
}
