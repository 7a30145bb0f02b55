// Package stars is a client of the GitHub Stars contributions API, the
// REST API through which a Star (or nominee) lists and records their
// contributions with a personal token from their Stars profile page
// (docs/programs.md): GET lists them, PUT {base}/{client-id} creates or
// updates one under an id the caller chooses, so that sending a
// contribution again never makes a second one. The token goes to the
// API's origin only, never over plain http to another machine
// (fetch.WithCredentials), and into no error.
//
// starstest holds a fake of the API for tests.
package stars

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/contriblog/contriblog/sources/fetch"
)

// DefaultBaseURL is the contributions API.
const DefaultBaseURL = "https://stars.github.com/api/contributions"

// Types are the contribution types the API takes. The program may change
// them: contriblog's program profile (docs/programs.md) is where the
// mapping lives; this list is what the fake checks.
var Types = []string{"SPEAKING", "BLOGPOST", "ARTICLE_PUBLICATION", "EVENT_ORGANIZATION", "HACKATHON",
	"OPEN_SOURCE_PROJECT", "VIDEO_PODCAST", "FORUM", "OTHER"}

// Fields are the names of the fields of a contribution, as the API spells
// them: a refusal that does not name its field in a known shape is read
// for them.
var Fields = []string{"id", "type", "title", "description", "url", "date"}

// RefusedError is the API's refusal of a request (fetch.RefusedError):
// its status, the field it named, its message.
type RefusedError = fetch.RefusedError

// Config configures a Client.
type Config struct {
	BaseURL string // default DefaultBaseURL
	Token   string // the personal token; required
	// HTTPClient carries the requests; nil is the shared client's
	// (fetch.New(fetch.Options{}).HTTPClient()). It is copied, never
	// modified.
	HTTPClient *http.Client
	Retry      fetch.Retry // retries of 429, 5xx and lost connections
}

// Client talks to the contributions API of one member. It is safe for
// concurrent use.
type Client struct {
	base  *url.URL // without a trailing slash
	token string
	hc    *http.Client
	retry fetch.Retry
}

// New checks cfg and returns its Client. It fails without a token, for a
// base URL that is not an absolute http(s) URL without credentials, query
// or fragment, and for a plain http:// base on another machine (an
// *fetch.InsecureError: the token would be refused on every request).
func New(cfg Config) (*Client, error) {
	if strings.TrimSpace(cfg.Token) == "" {
		return nil, errors.New("stars: no token: a GitHub Stars token is required")
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	base, err := parseBase(cfg.BaseURL)
	if err != nil {
		return nil, fmt.Errorf("stars: base URL: %w", err)
	}
	if !fetch.SecretAllowed(base) {
		return nil, fmt.Errorf("stars: base URL: %w", &fetch.InsecureError{Host: base.Host})
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = fetch.New(fetch.Options{}).HTTPClient()
	}
	c := *hc
	c.Transport = fetch.WithCredentials(hc.Transport, base, http.Header{"Authorization": {"Bearer " + cfg.Token}})
	return &Client{base: base, token: cfg.Token, hc: &c, retry: cfg.Retry}, nil
}

// parseBase checks a base URL (fetch.ParseBaseURL) and drops its
// trailing slash: requests add "/" and the client id.
func parseBase(raw string) (*url.URL, error) {
	u, err := fetch.ParseBaseURL(raw)
	if err != nil {
		return nil, err
	}
	u.Path = strings.TrimRight(u.Path, "/")
	return u, nil
}

// BaseURL is the API's base, as requests use it.
func (c *Client) BaseURL() string { return c.base.String() }

// clientIDRE is what the API takes as a client id.
var clientIDRE = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,255}$`)

// ValidClientID reports why id cannot be a client id of PUT: 1 to 255
// characters of letters, digits, '.', '_', ':' and '-'.
func ValidClientID(id string) error {
	if !clientIDRE.MatchString(id) {
		return fmt.Errorf("client id %q: want 1 to 255 characters of letters, digits, '.', '_', ':' and '-'", id)
	}
	return nil
}

// send sends one request through the retries, with body (nil for none)
// as JSON, and decodes a 2xx answer's JSON into out (nil: drop it). It
// returns the answer's status. Any other answer is a
// *fetch.RefusedError. Errors name the method and the URL, never the
// token.
func (c *Client) send(ctx context.Context, method, u string, body []byte, out any) (int, error) {
	resp, err := c.retry.Do(ctx, c.hc, func() (*http.Request, error) {
		var r io.Reader
		if body != nil {
			r = strings.NewReader(string(body))
		}
		req, err := http.NewRequestWithContext(ctx, method, u, r)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Accept", "application/json")
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		return req, nil
	})
	if err != nil {
		return 0, fmt.Errorf("stars: %w", err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Errorf("stars: %s %s: %w", method, fetch.Redact(u), fetch.ReadRefusal(resp, Fields, c.token))
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	switch {
	case err != nil:
		return resp.StatusCode, fmt.Errorf("stars: %s %s: read the answer: %w", method, fetch.Redact(u), err)
	case len(b) > maxBody:
		return resp.StatusCode, fmt.Errorf("stars: %s %s: %w: more than %d bytes", method, fetch.Redact(u), fetch.ErrTooLarge, maxBody)
	case out == nil || len(strings.TrimSpace(string(b))) == 0:
		return resp.StatusCode, nil
	}
	if err := json.Unmarshal(b, out); err != nil {
		return resp.StatusCode, fmt.Errorf("stars: %s %s: the answer is not the JSON expected: %w", method, fetch.Redact(u), err)
	}
	return resp.StatusCode, nil
}

// maxBody bounds one answer (a page of the list).
const maxBody = 16 << 20
