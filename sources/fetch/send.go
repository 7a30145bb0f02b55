package fetch

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// Writes to an API (the programs' personal APIs, docs/programs.md): one
// request, retried while the server is busy (429) or failing (5xx) or
// cannot be reached, for a bounded time, and never repeated when
// repeating it could do twice what it does (a POST whose answer was lost).

// Defaults of Retry.
const (
	DefaultRetryMaxWait   = 2 * time.Minute
	DefaultRetryFirstWait = time.Second
	DefaultAttemptTimeout = time.Minute
	// maxBackoff caps one wait that backoff alone chose; a Retry-After
	// longer than this is still honoured (within MaxWait).
	maxBackoff = 30 * time.Second
)

// ErrMaybeSent is wrapped by Retry.Do's error when a request that is not
// idempotent (a POST) lost its connection after it may have reached the
// server: the server may have done what it asked, so it is not sent
// again, and the caller must treat it as possibly done.
var ErrMaybeSent = errors.New("the request may have reached the server, which may have acted on it; not sent again")

// Retry sends one request to an API with bounded retries. The zero value
// is usable: every zero field takes its default. A Retry is a value, safe
// to copy and to share.
type Retry struct {
	// MaxWait bounds the time spent waiting between attempts, summed over
	// the attempts of one Do (default DefaultRetryMaxWait). Do gives up
	// with a *GiveUpError rather than wait past it.
	MaxWait time.Duration
	// FirstWait is the first backoff, doubled at each retry and capped at
	// 30s (default 1s). A Retry-After longer than the backoff wins.
	FirstWait time.Duration
	// AttemptTimeout bounds each attempt, until its response body is
	// closed (default DefaultAttemptTimeout).
	AttemptTimeout time.Duration
	// Sleep waits d or until ctx is done (default: a timer); a test hook.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now reads Retry-After dates (default time.Now).
	Now    func() time.Time
	Logger *slog.Logger // default: discard
}

func (r Retry) withDefaults() Retry {
	if r.MaxWait <= 0 {
		r.MaxWait = DefaultRetryMaxWait
	}
	if r.FirstWait <= 0 {
		r.FirstWait = DefaultRetryFirstWait
	}
	if r.AttemptTimeout <= 0 {
		r.AttemptTimeout = DefaultAttemptTimeout
	}
	if r.Sleep == nil {
		r.Sleep = Sleep
	}
	if r.Now == nil {
		r.Now = time.Now
	}
	if r.Logger == nil {
		r.Logger = slog.New(slog.DiscardHandler)
	}
	return r
}

// GiveUpError is Retry.Do giving up: the server kept answering 429 or
// 5xx, or could not be reached, for longer than MaxWait allowed. It names
// the last answer (or the last failure, which Unwrap gives), never a
// secret.
type GiveUpError struct {
	Method, URL string        // URL redacted
	Attempts    int           // requests sent
	Waited      time.Duration // time spent waiting between them
	MaxWait     time.Duration
	Status      int           // the last answer's status; 0 when it got none
	RetryAfter  time.Duration // what the last answer asked to wait, when it did
	Err         error         // the last attempt's failure when it got no answer
}

func (e *GiveUpError) Error() string {
	attempts := fmt.Sprintf("%d attempts", e.Attempts)
	if e.Attempts == 1 {
		attempts = "1 attempt"
	}
	msg := fmt.Sprintf("%s %s: gave up after %s and %s of waiting (max wait %s)",
		e.Method, e.URL, attempts, roundElapsed(e.Waited), e.MaxWait)
	switch {
	case e.Status != 0 && e.RetryAfter > 0:
		msg += fmt.Sprintf(": last answer %d %s, which asked to wait %s more", e.Status, http.StatusText(e.Status), e.RetryAfter)
	case e.Status != 0:
		msg += fmt.Sprintf(": last answer %d %s", e.Status, http.StatusText(e.Status))
	case e.Err != nil:
		msg += ": last attempt: " + e.Err.Error()
	}
	return msg
}

func (e *GiveUpError) Unwrap() error { return e.Err }

// Do sends the request build returns, calling build again for every
// attempt (a body is read once), through hc. It retries transport
// failures, 429 and 5xx with exponential backoff, honouring Retry-After
// (seconds or an HTTP date), for at most MaxWait of waiting in all; then
// it returns a *GiveUpError. It returns 2xx, 3xx and 4xx answers other
// than 429 to the caller, who must close the body (closing it ends the
// attempt's timeout). A request that is not idempotent (POST, PATCH) is
// not retried after a failure that may have come after the server got
// it: that error wraps ErrMaybeSent. An error of build, of ctx, or a
// failure no retry can mend (a refused secret, an untrusted certificate)
// is returned at once. Errors name the method and the redacted URL.
func (r Retry) Do(ctx context.Context, hc *http.Client, build func() (*http.Request, error)) (*http.Response, error) {
	r = r.withDefaults()
	var waited time.Duration
	for attempt := 1; ; attempt++ {
		req, err := build()
		if err != nil {
			return nil, err
		}
		method, shown := req.Method, Redact(req.URL.String())
		resp, err := r.attempt(ctx, hc, req)
		if err != nil && ctx.Err() != nil {
			// Stopped: a POST stopped in flight may have arrived all the same.
			if !idempotent(method) && !notSent(err) {
				return nil, fmt.Errorf("%s %s: %w: %w", method, shown, ctx.Err(), ErrMaybeSent)
			}
			return nil, fmt.Errorf("%s %s: %w", method, shown, ctx.Err())
		}
		giveUp := &GiveUpError{Method: method, URL: shown, Attempts: attempt, Waited: waited, MaxWait: r.MaxWait}
		var asked time.Duration
		switch {
		case err != nil:
			if err := permanent(err, req); err != nil {
				return nil, fmt.Errorf("%s %s: %w", method, shown, err)
			}
			giveUp.Err = sendError(err, req.URL.String())
		case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
			asked = parseRetryAfter(resp.Header.Get("Retry-After"), r.Now())
			giveUp.Status, giveUp.RetryAfter = resp.StatusCode, asked
			io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused
			resp.Body.Close()
		default:
			return resp, nil
		}
		wait, ok := r.next(attempt, asked, r.MaxWait-waited)
		if !ok {
			return nil, giveUp
		}
		why := slog.Int("status", giveUp.Status)
		if giveUp.Err != nil {
			why = slog.String("err", giveUp.Err.Error())
		}
		r.Logger.Info("API busy or unreachable: retrying", "method", method, "url", shown, "attempt", attempt, why, "wait", wait)
		if err := r.Sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("%s %s: %w", method, shown, err)
		}
		waited += wait
	}
}

// next is the wait before the attempt after attempt: the backoff, or what
// the server asked (asked) when longer; false when that does not fit in
// left. Backoff alone is shortened to what is left, so that the last try
// still comes before MaxWait runs out; a Retry-After is not (the server
// said not before).
func (r Retry) next(attempt int, asked, left time.Duration) (time.Duration, bool) {
	backoff := r.FirstWait
	for i := 1; i < attempt && backoff < maxBackoff; i++ {
		backoff *= 2
	}
	backoff = min(backoff, maxBackoff)
	switch {
	case left <= 0 || asked > left:
		return 0, false
	case asked > backoff:
		return asked, true
	}
	return min(backoff, left), true
}

// attempt sends req with the attempt's timeout, which the body's Close
// ends.
func (r Retry) attempt(ctx context.Context, hc *http.Client, req *http.Request) (*http.Response, error) {
	actx, cancel := context.WithTimeout(ctx, r.AttemptTimeout)
	resp, err := hc.Do(req.WithContext(actx))
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = &cancelBody{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

// cancelBody ends its request's context when closed.
type cancelBody struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b *cancelBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

// permanent is err described, when no retry can mend it or repeating req
// could repeat what the server did; nil when req may be sent again.
func permanent(err error, req *http.Request) error {
	var (
		insecure *InsecureError
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
		invalid  x509.CertificateInvalidError
		verify   *tls.CertificateVerificationError
	)
	switch {
	case errors.As(err, &insecure), errors.As(err, &unknown), errors.As(err, &hostname),
		errors.As(err, &invalid), errors.As(err, &verify):
		return sendError(err, req.URL.String())
	case notSent(err) || idempotent(req.Method):
		return nil
	}
	return fmt.Errorf("%w: %w", sendError(err, req.URL.String()), ErrMaybeSent)
}

// notSent reports a failure before the request could leave: no address,
// no connection.
func notSent(err error) bool {
	var (
		dns *net.DNSError
		op  *net.OpError
	)
	return errors.As(err, &dns) || errors.As(err, &op) && (op.Op == "dial" || op.Op == "proxyconnect")
}

// idempotent methods can be sent twice to the same effect (RFC 9110, 9.2.2).
func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete, http.MethodTrace:
		return true
	}
	return false
}

// sendError is err in the words of a *NetError when it holds one, else
// without the client's "Put \"URL\": " and with the URL redacted.
func sendError(err error, rawURL string) error {
	var ne *NetError
	if errors.As(err, &ne) {
		return Plain(err)
	}
	return redactErr(withoutURL(err), rawURL)
}

// Sleep waits d, or until ctx is done (then its error): the real wait of
// every injectable Sleep of the API clients.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
