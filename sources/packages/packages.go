// Package packages is the source for packages a person publishes on npm
// and NuGet: one Open Source contribution per package, with its downloads
// as reach, and its repository's link so that it is one row with the
// repository the github source sees (docs/sources.md#packages).
package packages

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"time"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/sources/fetch"
)

// Defaults of Config: the registries' public endpoints.
const (
	DefaultNPMBaseURL     = "https://api.npmjs.org"              // download counts (/downloads/range/...)
	DefaultNPMRegistryURL = "https://registry.npmjs.org"         // package documents (/{name})
	DefaultNuGetBaseURL   = "https://azuresearch-usnc.nuget.org" // the search service (/query)
)

// Config is one source's packages.
type Config struct {
	Name, Person string
	Activity     string   // resolved activity type; default Open Source
	NPM          []string // npm package names, scoped ones as @scope/name
	NuGet        []string // NuGet package ids
	// The endpoints, for tests and mirrors; the defaults above when empty.
	NPMBaseURL, NPMRegistryURL, NuGetBaseURL string
	// Since and Now bound the window npm's downloads are counted over;
	// Location says which days they are.
	Since    time.Time
	Now      func() time.Time
	Location *time.Location
	MaxBytes int64
	Client   *fetch.Client
	Logger   *slog.Logger
}

// Source harvests the downloads of a list of packages.
type Source struct {
	cfg                      Config
	npmAPI, npmReg, nugetAPI string // base URLs without their trailing slash
}

var _ harvester.Source = (*Source)(nil)

// New checks cfg and returns the source: it needs at least one package,
// and names each registry accepts.
func New(cfg Config) (*Source, error) {
	if cfg.Activity == "" {
		cfg.Activity = harvester.TypeOpenSource
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.Client == nil {
		cfg.Client = fetch.New(fetch.Options{})
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if len(cfg.NPM) == 0 && len(cfg.NuGet) == 0 {
		return nil, errors.New("no packages: give npm: [names] or nuget: [ids]")
	}
	var errs []error
	for _, n := range cfg.NPM {
		if err := CheckNPMName(n); err != nil {
			errs = append(errs, fmt.Errorf("npm: %w: %q", err, n))
		}
	}
	for _, id := range cfg.NuGet {
		if err := CheckNuGetID(id); err != nil {
			errs = append(errs, fmt.Errorf("nuget: %w: %q", err, id))
		}
	}
	s := &Source{cfg: cfg}
	for _, b := range []struct {
		key, raw, def string
		out           *string
	}{
		{"npm_base_url", cfg.NPMBaseURL, DefaultNPMBaseURL, &s.npmAPI},
		{"npm_registry_url", cfg.NPMRegistryURL, DefaultNPMRegistryURL, &s.npmReg},
		{"nuget_base_url", cfg.NuGetBaseURL, DefaultNuGetBaseURL, &s.nugetAPI},
	} {
		raw := b.raw
		if raw == "" {
			raw = b.def
		}
		u, err := fetch.ParseBaseURL(raw)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", b.key, err))
			continue
		}
		*b.out = strings.TrimRight(u.String(), "/")
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return s, nil
}

// npmNameRE is what npm accepts as a package name: lowercase, URL-safe,
// at most 214 characters, optionally in a scope.
var npmNameRE = regexp.MustCompile(`^(@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9][a-z0-9._~-]*$`)

// CheckNPMName says what is wrong with an npm package name.
func CheckNPMName(n string) error {
	if len(n) > 214 || !npmNameRE.MatchString(n) {
		return errors.New("not an npm package name (lowercase letters, digits, - . _ ~, optionally @scope/)")
	}
	return nil
}

var nugetIDRE = regexp.MustCompile(`^[A-Za-z0-9_]([A-Za-z0-9_.-]{0,99})$`)

// CheckNuGetID says what is wrong with a NuGet package id.
func CheckNuGetID(id string) error {
	if !nugetIDRE.MatchString(id) {
		return errors.New("not a NuGet package id (letters, digits, . - _, at most 100)")
	}
	return nil
}

// Name is the configured name.
func (s *Source) Name() string { return s.cfg.Name }

// Type is "packages".
func (s *Source) Type() string { return "packages" }

// Harvest reads every package's downloads. A package that fails does not
// stop the others: the batch holds those read, the error names the rest.
func (s *Source) Harvest(ctx context.Context, st harvester.SourceState) (*harvester.Batch, error) {
	b := &harvester.Batch{}
	var errs []error
	for _, name := range s.cfg.NPM {
		o, err := s.npmPackage(ctx, name)
		if err != nil {
			errs = append(errs, fmt.Errorf("npm package %s: %w", name, err))
			continue
		}
		b.Observations = append(b.Observations, o)
	}
	for _, id := range s.cfg.NuGet {
		o, err := s.nugetPackage(ctx, id)
		if err != nil {
			errs = append(errs, fmt.Errorf("nuget package %s: %w", id, err))
			continue
		}
		b.Observations = append(b.Observations, o)
	}
	return b, errors.Join(errs...)
}

// observation is what every package row shares. It is undated: a package
// is no event, so the store dates it by the pass that first saw it and
// keeps that date (docs/sources.md#packages).
func (s *Source) observation(id, title, page, repo, desc string) harvester.Observation {
	o := harvester.Observation{Source: s.cfg.Name, NativeID: id, Person: s.cfg.Person, ActivityType: s.cfg.Activity,
		Title: title, URL: page, Description: harvester.Truncate(harvester.PlainText(desc), 500),
		Meta: map[string]string{"kind": "package"}}
	if repo != "" {
		// An Other URL joins rows of the same family (rule 1): the
		// repository row of the github source, code too.
		o.OtherURLs = []string{repo}
		o.Meta["repository"] = repo
	}
	return o
}
