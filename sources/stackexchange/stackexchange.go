// Package stackexchange is the source for one user's answers on a Stack
// Exchange site (Stack Overflow, Super User, ...), read from the Stack
// Exchange API 2.3: Online Support contributions, one per answer or one
// per calendar month (docs/sources.md#stack-exchange).
package stackexchange

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/sources/fetch"
)

// Defaults of Config.
const (
	DefaultSite    = "stackoverflow"
	DefaultBaseURL = "https://api.stackexchange.com/2.3"
	DefaultMaxWait = 2 * time.Minute
)

// The values of Config.Group.
const (
	GroupAnswer = "answer" // one observation per answer
	GroupMonth  = "month"  // one observation per calendar month
)

// Config is one user on one site.
type Config struct {
	Name, Person string
	Activity     string // resolved activity type; default Online Support
	Site         string // the API's site parameter: stackoverflow, superuser, math, ...
	User         string // the numeric user id on that site
	Key          string // an app key, optional: raises the daily quota
	BaseURL      string // default DefaultBaseURL
	Group        string // GroupAnswer or GroupMonth (the default)
	Since        time.Time
	Location     *time.Location // months are calendar months here; default UTC
	MaxWait      time.Duration  // the longest the API's backoffs may hold up a pass, summed
	MaxBytes     int64
	Client       *fetch.Client
	Logger       *slog.Logger
	Now          func() time.Time
	// Sleep waits d or until ctx is done; a test hook.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Source harvests one user's answers.
type Source struct {
	cfg  Config
	user int64
	base string // BaseURL without its trailing slash
	hc   *http.Client
	site site
	log  *slog.Logger
}

var _ harvester.Source = (*Source)(nil)

// New checks cfg and returns the source. A user that is not a number is
// an error that says where to find it.
func New(cfg Config) (*Source, error) {
	if cfg.Site == "" {
		cfg.Site = DefaultSite
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	if cfg.Group == "" {
		cfg.Group = GroupMonth
	}
	if cfg.Activity == "" {
		cfg.Activity = harvester.TypeOnlineSupport
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.MaxWait <= 0 {
		cfg.MaxWait = DefaultMaxWait
	}
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = fetch.DefaultMaxBytes
	}
	if cfg.Client == nil {
		cfg.Client = fetch.New(fetch.Options{})
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Sleep == nil {
		cfg.Sleep = fetch.Sleep
	}
	user, err := ParseUser(cfg.User)
	if err != nil {
		return nil, err
	}
	if cfg.Group != GroupAnswer && cfg.Group != GroupMonth {
		return nil, fmt.Errorf("group: %q is neither answer nor month", cfg.Group)
	}
	if err := CheckSite(cfg.Site); err != nil {
		return nil, fmt.Errorf("site: %w: %q", err, cfg.Site)
	}
	base, err := fetch.ParseBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, fmt.Errorf("base_url: %w", err)
	}
	return &Source{cfg: cfg, user: user, base: strings.TrimRight(base.String(), "/"),
		hc: cfg.Client.HTTPClient(), site: siteOf(cfg.Site), log: cfg.Logger}, nil
}

// ParseUser reads a user id: a positive number, the one in the address
// of the user's profile.
func ParseUser(s string) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n <= 0 {
		return 0, errors.New("user is the numeric id of your profile: the number in its address, https://stackoverflow.com/users/ID/your-name")
	}
	return n, nil
}

// Name is the configured name.
func (s *Source) Name() string { return s.cfg.Name }

// Type is "stackexchange".
func (s *Source) Type() string { return "stackexchange" }

// Harvest reads the user's answers: all of them in the window on a first
// pass, then only those newer than the newest seen plus the last 30 days'
// (docs/sources.md#stack-exchange). A pass stopped by the quota or a
// backoff returns what it completed with the error.
func (s *Source) Harvest(ctx context.Context, st harvester.SourceState) (*harvester.Batch, error) {
	p := s.newPass(st)
	err := p.readAnswers(ctx)
	if err == nil || p.usable() {
		if qerr := p.readQuestions(ctx); err == nil {
			err = qerr
		}
	}
	b := p.batch(err == nil)
	s.log.Debug("stack exchange pass", "from", p.from.UTC().Format(time.RFC3339), "answers", len(p.answers),
		"complete", p.complete, "calls", p.api.calls)
	if err != nil {
		if len(b.Observations) > 0 {
			err = fmt.Errorf("%w (kept what was read before: %d rows)", err, len(b.Observations))
		}
		return b, err
	}
	return b, nil
}
