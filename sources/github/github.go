// Package github harvests a person's open-source work from the GitHub REST
// API (github.com or GitHub Enterprise Server) through go-github: the pull
// requests and issues they opened, the releases they published in their
// own repositories and the public repositories they created, within the
// harvest window (docs/sources.md#what-counts).
//
// It is polite by construction: every list is paged to its end with 100
// items a page, search calls are paced, rate limits (primary, secondary,
// 429) are waited out up to MaxWait and never retried in a loop, and list
// endpoints are asked conditionally (ETag) so that an unchanged page costs
// nothing against the rate limit.
package github

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	gh "github.com/google/go-github/v60/github"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/sources/fetch"
)

// Defaults of Config.
const (
	DefaultBaseURL   = "https://api.github.com/"
	DefaultMaxWait   = 5 * time.Minute
	defaultInterval  = 2 * time.Second // 30 searches a minute, authenticated
	anonymousPacing  = 6 * time.Second // 10 searches a minute, anonymous
	perPage          = 100
	searchResultsCap = 1000 // GitHub serves no search result past the 1,000th
)

// Config is what a github source needs. Name and User are required.
type Config struct {
	Name, User, Person string
	// Activity is the (resolved) activity type of every item; default
	// "Open Source/Project/Sample code/Tools".
	Activity string
	// Token is a GitHub token (any kind; no scopes are needed for public
	// data). Empty means anonymous access at GitHub's lower limits. It is
	// sent only in the Authorization header, only to BaseURL's origin
	// (never on a redirect elsewhere), never over plain http to another
	// machine, and never logged or stored.
	Token string
	// BaseURL is the REST API root: "" for https://api.github.com/, or
	// https://HOST/api/v3/ for GitHub Enterprise Server. A trailing slash
	// is added when missing.
	BaseURL string
	// Since is the start of the harvest window; zero means 12 months
	// before each pass.
	Since time.Time
	// MaxWait is the longest rate-limit wait inside a pass (default 5m);
	// a longer limit fails the pass with a *LimitError.
	MaxWait time.Duration
	// HTTPClient carries the requests (timeouts, User-Agent); nil gets a
	// default with timeouts. It is copied, never modified.
	HTTPClient *http.Client
	Logger     *slog.Logger
	// Now is the clock of the harvest window (default time.Now). Rate-limit
	// waits use the real clock: GitHub's reset times are real times.
	Now func() time.Time
	// Sleep waits d or until ctx is done (default: a timer); a test hook.
	Sleep func(ctx context.Context, d time.Duration) error
	// SearchInterval is the pause between two search calls; default 2s
	// with a token and 6s without (GitHub allows 30 and 10 a minute).
	SearchInterval time.Duration
}

// Source harvests one GitHub user. It is safe for concurrent use; passes
// of one Source run one at a time.
type Source struct {
	cfg      Config
	client   *gh.Client
	log      *slog.Logger
	tokenFP  string
	pacer    pacer
	anonOnce sync.Once
	mu       sync.Mutex // one pass at a time: pacing and rate state are shared
	// searchCap is GitHub's search result cap; a field so that nothing
	// but the constant sets it outside tests.
	searchCap int
}

var _ harvester.Source = (*Source)(nil)

// loginRE accepts GitHub logins (letters, digits, hyphens) and the
// underscores and dots of Enterprise managed users, and nothing that could
// add a qualifier to a search query.
var loginRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$`)

// New checks cfg and returns its source. It fails for a missing name, a
// user that is not a GitHub login, and a base URL that is not an absolute
// http(s) URL without credentials.
func New(cfg Config) (*Source, error) {
	if cfg.Name == "" {
		return nil, errors.New("github source: name is required")
	}
	if !loginRE.MatchString(cfg.User) {
		return nil, fmt.Errorf("github source %s: user %q is not a GitHub login", cfg.Name, cfg.User)
	}
	base, err := parseBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, fmt.Errorf("github source %s: base_url: %w", cfg.Name, err)
	}
	cfg.BaseURL = base.String()
	applyDefaults(&cfg)
	s := &Source{cfg: cfg, log: cfg.Logger.With("source", cfg.Name), searchCap: searchResultsCap}
	s.tokenFP = tokenFingerprint(cfg.BaseURL, cfg.Token)
	s.pacer = pacer{interval: cfg.SearchInterval, sleep: cfg.Sleep}
	hc := newHTTPClient(cfg.HTTPClient)
	if cfg.Token != "" {
		// Not go-github's WithAuthToken, which puts the token on every
		// request, redirects to other hosts included: fetch's rule sends
		// it to the API's origin only, and never over plain http to
		// another machine.
		hc.Transport = fetch.WithCredentials(hc.Transport, base, http.Header{"Authorization": {"Bearer " + cfg.Token}})
	}
	client := gh.NewClient(hc)
	client.BaseURL = base
	client.UserAgent = "" // the HTTP client's User-Agent names contriblog
	s.client = client
	return s, nil
}

func applyDefaults(cfg *Config) {
	if cfg.Activity == "" {
		cfg.Activity = harvester.TypeOpenSource
	}
	if cfg.MaxWait <= 0 {
		cfg.MaxWait = DefaultMaxWait
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Sleep == nil {
		cfg.Sleep = sleepCtx
	}
	if cfg.SearchInterval <= 0 {
		cfg.SearchInterval = defaultInterval
		if cfg.Token == "" {
			cfg.SearchInterval = anonymousPacing
		}
	}
}

// parseBaseURL checks a base_url (fetch.ParseBaseURL) and gives it its
// trailing slash, as go-github wants.
func parseBaseURL(raw string) (*url.URL, error) {
	if raw == "" {
		raw = DefaultBaseURL
	}
	u, err := fetch.ParseBaseURL(raw)
	if err != nil {
		return nil, err
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	return u, nil
}

// Name is the configured source name.
func (s *Source) Name() string { return s.cfg.Name }

// Type is "github".
func (s *Source) Type() string { return "github" }

// Harvest runs one pass. Each part (pull requests, issues, repositories,
// releases) is harvested on its own, so a rate limit on search still lets
// repositories and releases through: the batch then holds what was found
// and the error says what was not (a *LimitError says until when). Errors
// never carry the token.
func (s *Source) Harvest(ctx context.Context, state harvester.SourceState) (*harvester.Batch, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cfg.Token != "" && !fetch.SecretAllowed(s.client.BaseURL) {
		// Every request would be refused (see fetch.WithCredentials): say
		// so once, for the source, rather than once for each part.
		return nil, fmt.Errorf("github user %s: base_url: %w", s.cfg.User, &fetch.InsecureError{Host: s.client.BaseURL.Host})
	}
	if s.cfg.Token == "" {
		s.anonOnce.Do(func() {
			s.log.Info("no GitHub token: anonymous access at lower rate limits (60 requests an hour, 10 searches a minute)")
		})
	}
	p := s.newPass(state)
	err := p.run(ctx)
	b := p.batch()
	if err != nil {
		err = scrub(fmt.Errorf("github user %s: %w", s.cfg.User, err), s.cfg.Token)
		if len(b.Observations) == 0 {
			return nil, err
		}
		return b, err
	}
	return b, nil
}

// sleepCtx waits d, or until ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
