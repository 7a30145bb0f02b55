// Package advocu is a client of Advocu's personal API, through which a
// Google Developer Expert (or a Docker Captain, with that program's base
// URL) creates activity drafts with a personal token; the member then
// reviews and submits each draft in Advocu (docs/programs.md). The API
// only creates: every POST makes a new draft, so a draft must never be
// posted twice, and a POST whose answer was lost is not sent again
// (fetch.ErrMaybeSent). Requests are paced to the API's limit of about 30
// a minute. The token goes to the API's origin only, never over plain
// http to another machine (fetch.WithCredentials), and into no error.
//
// advocutest holds a fake of the API for tests.
package advocu

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/contriblog/contriblog/sources/fetch"
)

// Defaults of Config.
const (
	DefaultBaseURL = "https://api.advocu.com/personal-api/v1/gde/"
	// DefaultMinInterval keeps to about 30 requests a minute, the API's
	// limit.
	DefaultMinInterval = 2 * time.Second
)

// Kinds are the kinds of activity draft, each its own endpoint.
var Kinds = []string{"content-creation", "public-speaking", "workshop", "mentoring",
	"product-feedback-given", "interaction-with-googlers", "stories"}

// Fields are the names of the fields of drafts, as the API spells them:
// a refusal that does not name its field in a known shape is read for
// them.
var Fields = []string{"title", "description", "tags", "additionalInfo", "private", "metrics.readers",
	"metrics.attendees", "metrics.timeSpent", "metrics.impact", "metrics", "contentType", "activityDate",
	"activityUrl", "imageUrl", "eventFormat", "country", "city", "cityPlaceId", "inPersonAttendees",
	"productDescription", "format", "interactionType", "additionalLinks", "whyIsSignificant", "significanceType"}

// RefusedError is the API's refusal of a request (fetch.RefusedError):
// its status, the field it named, its message.
type RefusedError = fetch.RefusedError

// Config configures a Client.
type Config struct {
	BaseURL string // default DefaultBaseURL; Docker Captains: …/personal-api/v1/dockercaptains/
	Token   string // the personal token; required
	// HTTPClient carries the requests; nil is the shared client's
	// (fetch.New(fetch.Options{}).HTTPClient()). It is copied, never
	// modified.
	HTTPClient *http.Client
	Retry      fetch.Retry // retries of 429, 5xx and connections never made
	// MinInterval is the least time between two requests (default
	// DefaultMinInterval), retries included.
	MinInterval time.Duration
	// Now and Sleep are the pacing's clock (defaults: time.Now and a
	// timer); test hooks.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
}

// Client creates the drafts of one member. It is safe for concurrent
// use; its requests go one at a time, paced.
type Client struct {
	base  *url.URL // with a trailing slash
	token string
	hc    *http.Client
	retry fetch.Retry
	pace  *pacer
}

// New checks cfg and returns its Client. It fails without a token, for a
// base URL that is not an absolute http(s) URL without credentials, query
// or fragment, and for a plain http:// base on another machine (an
// *fetch.InsecureError: the token would be refused on every request).
func New(cfg Config) (*Client, error) {
	if strings.TrimSpace(cfg.Token) == "" {
		return nil, errors.New("advocu: no token: an Advocu personal API token is required")
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	base, err := parseBase(cfg.BaseURL)
	if err != nil {
		return nil, fmt.Errorf("advocu: base URL: %w", err)
	}
	if !fetch.SecretAllowed(base) {
		return nil, fmt.Errorf("advocu: base URL: %w", &fetch.InsecureError{Host: base.Host})
	}
	if cfg.MinInterval <= 0 {
		cfg.MinInterval = DefaultMinInterval
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Sleep == nil {
		cfg.Sleep = fetch.Sleep
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = fetch.New(fetch.Options{}).HTTPClient()
	}
	c := *hc
	c.Transport = fetch.WithCredentials(hc.Transport, base, http.Header{"Authorization": {"Bearer " + cfg.Token}})
	return &Client{base: base, token: cfg.Token, hc: &c, retry: cfg.Retry,
		pace: &pacer{interval: cfg.MinInterval, now: cfg.Now, sleep: cfg.Sleep}}, nil
}

// parseBase checks a base URL (fetch.ParseBaseURL) and gives it its
// trailing slash: requests add activity-drafts/{kind}.
func parseBase(raw string) (*url.URL, error) {
	u, err := fetch.ParseBaseURL(raw)
	if err != nil {
		return nil, err
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	return u, nil
}

// BaseURL is the API's base, as requests use it.
func (c *Client) BaseURL() string { return c.base.String() }

// ValidKind reports why kind is not one of Kinds.
func ValidKind(kind string) error {
	if !slices.Contains(Kinds, kind) {
		return fmt.Errorf("activity kind %q: want one of %s", kind, strings.Join(Kinds, ", "))
	}
	return nil
}

// pacer spaces requests interval apart. Its lock is held while it
// sleeps: concurrent callers queue, each its interval after the last.
type pacer struct {
	mu       sync.Mutex
	interval time.Duration
	now      func() time.Time
	sleep    func(ctx context.Context, d time.Duration) error
	last     time.Time
}

func (p *pacer) wait(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.last.IsZero() {
		if d := p.last.Add(p.interval).Sub(p.now()); d > 0 {
			if err := p.sleep(ctx, d); err != nil {
				return err
			}
		}
	}
	p.last = p.now()
	return nil
}
