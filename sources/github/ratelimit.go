package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	gh "github.com/google/go-github/v60/github"
)

// Kinds of rate limit a LimitError names.
const (
	KindPrimary   = "primary"           // the hourly (core) or per-minute (search) quota
	KindSecondary = "secondary"         // GitHub's abuse protection
	KindTooMany   = "too many requests" // a 429 that says no more
)

// maxAttempts bounds how often one request is retried after rate-limit
// waits: a limit that outlasts that many waits is not waited out.
const maxAttempts = 6

// maxTransient and transientWait bound retries of gateway errors: three
// tries, two and four seconds apart.
const (
	maxTransient  = 3
	transientWait = 2 * time.Second
)

// defaultSecondaryWait is GitHub's advice when a secondary limit names no
// time: wait at least a minute (doubled on each repeat).
const defaultSecondaryWait = time.Minute

// LimitError reports that a GitHub rate limit stopped a part of the pass:
// the wait it asked for was longer than MaxWait, or the limit outlasted
// repeated waits. Until is when GitHub said it would lift.
type LimitError struct {
	Kind     string
	Until    time.Time
	MaxWait  time.Duration
	Attempts int
}

func (e *LimitError) Error() string {
	until := e.Until.UTC().Format("2006-01-02 15:04:05 MST")
	if e.Attempts >= maxAttempts {
		return fmt.Sprintf("GitHub %s rate limit persisted after %d waits; limited until %s", e.Kind, e.Attempts, until)
	}
	return fmt.Sprintf("GitHub %s rate limit until %s, longer than max_wait %s; try again after that", e.Kind, until, e.MaxWait)
}

// limit is a classified rate-limit answer: its kind and how long to wait.
type limit struct {
	kind string
	wait time.Duration
}

// classify says whether err is a rate limit and how long to wait before
// asking again, for the attempt-th try of a request. now is the real
// clock: resets are real times.
func classify(err error, attempt int, now time.Time) (limit, bool) {
	var rl *gh.RateLimitError
	if errors.As(err, &rl) {
		return limit{KindPrimary, untilReset(rl.Rate.Reset.Time, rl.Response, now, attempt)}, true
	}
	var ab *gh.AbuseRateLimitError
	if errors.As(err, &ab) {
		if ab.RetryAfter != nil {
			return limit{KindSecondary, max(*ab.RetryAfter, time.Second)}, true
		}
		return limit{KindSecondary, backoff(attempt)}, true
	}
	var er *gh.ErrorResponse
	if !errors.As(err, &er) || er.Response == nil {
		return limit{}, false
	}
	code, h := er.Response.StatusCode, er.Response.Header
	if code != http.StatusForbidden && code != http.StatusTooManyRequests {
		return limit{}, false
	}
	msg := strings.ToLower(er.Message)
	kind := KindTooMany
	if strings.Contains(msg, "secondary rate limit") || strings.Contains(msg, "abuse") {
		kind = KindSecondary
	}
	if d, ok := parseRetryAfter(h.Get("Retry-After"), now); ok {
		return limit{kind, d}, true
	}
	if kind != KindSecondary && (h.Get("X-RateLimit-Remaining") == "0" || strings.Contains(msg, "rate limit")) {
		if reset, err := strconv.ParseInt(h.Get("X-RateLimit-Reset"), 10, 64); err == nil && reset > 0 {
			return limit{KindPrimary, untilReset(time.Unix(reset, 0), er.Response, now, attempt)}, true
		}
	}
	if code == http.StatusTooManyRequests || kind == KindSecondary || strings.Contains(msg, "rate limit") {
		return limit{kind, backoff(attempt)}, true
	}
	return limit{}, false // a 403 for another reason: not waited out
}

// untilReset is the wait until a primary limit's reset. It measures from
// the response's Date when there is one, so a skewed local clock neither
// hammers nor oversleeps, and adds a second because resets are whole
// seconds.
func untilReset(reset time.Time, resp *http.Response, now time.Time, attempt int) time.Duration {
	if reset.IsZero() {
		return backoff(attempt)
	}
	ref := now
	if resp != nil {
		if d, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
			ref = d
		}
	}
	return max(reset.Sub(ref), 0) + time.Second
}

// backoff is the wait for a limit that names no time: a minute, doubled
// on each further attempt.
func backoff(attempt int) time.Duration {
	return defaultSecondaryWait << min(max(attempt-1, 0), 4)
}

// parseRetryAfter reads a Retry-After header: seconds, or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 || n > 1<<31 {
			return 0, false
		}
		return max(time.Duration(n)*time.Second, time.Second), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), time.Second), true
	}
	return 0, false
}

// call runs one API request, waiting out rate limits that lift within
// MaxWait (honouring ctx) and failing with a *LimitError otherwise. Search
// requests are paced. Other errors come back as they are, with a hint for
// the ones a person can fix.
func (s *Source) call(ctx context.Context, search bool, fn func(ctx context.Context) error) error {
	for attempt := 1; ; attempt++ {
		if search {
			if err := s.pacer.wait(ctx); err != nil {
				return err
			}
		}
		err := fn(ctx)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		now := time.Now()
		lim, ok := classify(err, attempt, now)
		if !ok && transient(err) && attempt < maxTransient {
			d := time.Duration(attempt) * transientWait
			s.log.Info("GitHub gateway error: retrying", "err", scrub(err, s.cfg.Token), "wait", d)
			if err := s.cfg.Sleep(ctx, d); err != nil {
				return err
			}
			continue
		}
		if !ok {
			return hint(err)
		}
		until := now.Add(lim.wait)
		if lim.wait > s.cfg.MaxWait || attempt >= maxAttempts {
			return &LimitError{Kind: lim.kind, Until: until, MaxWait: s.cfg.MaxWait, Attempts: attempt}
		}
		s.log.Info("GitHub rate limit: waiting", "limit", lim.kind, "wait", lim.wait.Round(time.Second),
			"until", until.UTC().Format(time.RFC3339))
		if err := s.cfg.Sleep(ctx, lim.wait); err != nil {
			return err
		}
	}
}

// transient reports a gateway error GitHub's search is known to give
// under load (502, 503, 504): worth one or two more tries, not more.
func transient(err error) bool {
	var er *gh.ErrorResponse
	if !errors.As(err, &er) || er.Response == nil {
		return false
	}
	switch er.Response.StatusCode {
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// hint adds what to do to the errors a person can fix.
func hint(err error) error {
	var er *gh.ErrorResponse
	if !errors.As(err, &er) || er.Response == nil {
		return err
	}
	switch er.Response.StatusCode {
	case http.StatusUnauthorized:
		return fmt.Errorf("GitHub rejected the token (expired or revoked?): %w", err)
	case http.StatusForbidden:
		return fmt.Errorf("GitHub refused access (token lacks SSO authorisation or the API is blocked?): %w", err)
	}
	return err
}

// isStatus reports an API error with HTTP status code.
func isStatus(err error, code int) bool {
	var er *gh.ErrorResponse
	return errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == code
}

// isNotModified reports a 304 answer to a conditional request, which
// go-github returns as an *ErrorResponse, and the request's URL.
func isNotModified(err error) (*http.Request, bool) {
	var er *gh.ErrorResponse
	if errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == http.StatusNotModified {
		return er.Response.Request, er.Response.Request != nil
	}
	return nil, false
}

// pacer spaces search requests interval apart (GitHub allows 30 a minute
// with a token, 10 without); it uses the real clock.
type pacer struct {
	interval time.Duration
	sleep    func(ctx context.Context, d time.Duration) error
	last     time.Time
}

func (p *pacer) wait(ctx context.Context) error {
	if !p.last.IsZero() {
		if d := p.interval - time.Since(p.last); d > 0 {
			if err := p.sleep(ctx, d); err != nil {
				return err
			}
		}
	}
	p.last = time.Now()
	return nil
}

// scrubbed is an error whose message had a secret removed. It does not
// unwrap: what it wraps still holds the secret.
type scrubbed struct{ msg string }

func (e *scrubbed) Error() string { return e.msg }

// scrub removes secret from err's message, should a server have echoed
// it. Errors without it are returned unchanged.
func scrub(err error, secret string) error {
	if err == nil || secret == "" || !strings.Contains(err.Error(), secret) {
		return err
	}
	return &scrubbed{msg: strings.ReplaceAll(err.Error(), secret, "[redacted]")}
}
