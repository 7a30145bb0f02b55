package github

import (
	"errors"
	"net"
	"net/url"
	"regexp"
	"time"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/sources/spec"
)

// Spec describes the github source type to the config and the wiring.
var Spec = spec.Type{
	Name: "github",
	Keys: []spec.Key{
		{Name: "user", Kind: spec.String, Required: true, Check: checkUser},
		{Name: "token", Kind: spec.Secret, SentTo: "base_url"},
		{Name: "base_url", Kind: spec.URL},
		{Name: "max_wait", Kind: spec.Duration, Default: DefaultMaxWait},
		spec.MaxBytes,
	},
	Activity: harvester.TypeOpenSource,
	Build: func(s spec.Settings) (harvester.Source, error) {
		base := s.Values.String("base_url")
		cfg := Config{Name: s.Name, User: s.Values.String("user"), Person: s.Person, Activity: s.Activity,
			Token: s.Values.String("token"), BaseURL: base, Since: s.Since, MaxWait: s.Values.Duration("max_wait"),
			Logger: s.Logger, Now: s.Now, SearchInterval: searchInterval(base)}
		if s.Client != nil {
			cfg.HTTPClient = s.Client.HTTPClient()
		}
		return New(cfg)
	},
}

// configUserRE is the user names the config has always accepted:
// letters, digits, _ and -. New's loginRE is wider: it also lets in the
// dots of Enterprise managed users.
var configUserRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$`)

func checkUser(v string) error {
	if !configUserRE.MatchString(v) {
		return errors.New("not a GitHub user name")
	}
	return nil
}

// searchInterval paces searches. An API on loopback is a test server or
// the demo's fake, which has no search limit to respect; 0 is New's
// default pacing.
func searchInterval(baseURL string) time.Duration {
	u, err := url.Parse(baseURL)
	if err != nil || baseURL == "" {
		return 0
	}
	if ip := net.ParseIP(u.Hostname()); (ip != nil && ip.IsLoopback()) || u.Hostname() == "localhost" {
		return 50 * time.Millisecond
	}
	return 0
}
