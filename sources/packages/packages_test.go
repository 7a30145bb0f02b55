package packages

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/sources/packages/packagestest"
)

var now = time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)

func newFake() *packagestest.Fake {
	return &packagestest.Fake{
		NPM: map[string]packagestest.NPM{
			"@priyar/bicep-kit": {Daily: 10, Published: now.AddDate(0, 0, -99), Latest: "1.4.0", Description: "Bicep <b>modules</b>",
				Repository: map[string]string{"type": "git", "url": "git+https://github.com/priyar/bicep-landing-zone.git"}},
			"passkey-kit": {Daily: 3, Published: now.AddDate(-3, 0, 0), Repository: "priyar/passkey-rollout-kit"},
		},
		NuGet: map[string]packagestest.NuGet{
			"priya.passkeys": {ID: "Priya.Passkeys", Version: "2.0.1", Total: 4321, ProjectURL: "https://github.com/priyar/passkey-rollout-kit/"},
		},
	}
}

func newSource(t *testing.T, f *packagestest.Fake, edit func(*Config)) *Source {
	t.Helper()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	cfg := Config{Name: "pkgs", Person: "Priya Raman", NPM: []string{"@priyar/bicep-kit", "passkey-kit"}, NuGet: []string{"priya.passkeys"},
		NPMBaseURL: srv.URL + "/npm", NPMRegistryURL: srv.URL + "/registry/", NuGetBaseURL: srv.URL + "/nuget",
		Since: time.Date(2025, 11, 22, 0, 0, 0, 0, time.UTC), Now: func() time.Time { return now }}
	if edit != nil {
		edit(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func byID(obs []harvester.Observation) map[string]harvester.Observation {
	m := map[string]harvester.Observation{}
	for _, o := range obs {
		m[o.NativeID] = o
	}
	return m
}

// TestPackages: npm's daily counts summed over the window (two ranges:
// the window is 366 days), NuGet's total, the registry pages and the
// repository links.
func TestPackages(t *testing.T) {
	f := newFake()
	b, err := newSource(t, f, nil).Harvest(context.Background(), harvester.SourceState{})
	if err != nil {
		t.Fatal(err)
	}
	got := byID(b.Observations)
	kit := got["npm:@priyar/bicep-kit"]
	if kit.Title != "@priyar/bicep-kit" || kit.URL != "https://www.npmjs.com/package/@priyar/bicep-kit" ||
		kit.Metrics["downloads"] != 1000 || kit.ActivityType != harvester.TypeOpenSource || kit.Person != "Priya Raman" ||
		strings.Join(kit.OtherURLs, " ") != "https://github.com/priyar/bicep-landing-zone" || kit.Description != "Bicep modules" ||
		kit.Meta["version"] != "1.4.0" || kit.Meta["downloads_from"] != "2025-11-22" || kit.Meta["downloads_to"] != "2026-11-22" || !kit.Date.IsZero() {
		t.Errorf("npm package: %+v", kit)
	}
	if pk := got["npm:passkey-kit"]; pk.Metrics["downloads"] != 3*366 || strings.Join(pk.OtherURLs, "") != "https://github.com/priyar/passkey-rollout-kit" {
		t.Errorf("passkey-kit: %+v", pk)
	}
	if ng := got["nuget:priya.passkeys"]; ng.Title != "Priya.Passkeys" || ng.URL != "https://www.nuget.org/packages/Priya.Passkeys" ||
		ng.Metrics["downloads"] != 4321 || strings.Join(ng.OtherURLs, "") != "https://github.com/priyar/passkey-rollout-kit" {
		t.Errorf("nuget: %+v", ng)
	}
	var ranges []string
	for _, r := range f.Requests {
		if strings.HasPrefix(r, "/npm/downloads/range/") && strings.HasSuffix(r, "/passkey-kit") {
			ranges = append(ranges, strings.Split(r, "/")[4])
		}
	}
	if strings.Join(ranges, " ") != "2025-11-22:2026-11-21 2026-11-22:2026-11-22" {
		t.Errorf("ranges %v", ranges)
	}
}

// TestNPMKeeps18Months: a window longer than npm keeps is counted from
// the oldest day npm has.
func TestNPMKeeps18Months(t *testing.T) {
	f := newFake()
	b, err := newSource(t, f, func(c *Config) {
		c.NuGet, c.NPM, c.Since = nil, []string{"passkey-kit"}, now.AddDate(-3, 0, 0)
	}).Harvest(context.Background(), harvester.SourceState{})
	if err != nil {
		t.Fatal(err)
	}
	if o := b.Observations[0]; o.Metrics["downloads"] != 3*540 || o.Meta["downloads_from"] != "2025-06-01" {
		t.Errorf("%+v", o)
	}
}

// TestUnknownPackage: a package the registry does not know is an error
// naming it; the others are kept.
func TestUnknownPackage(t *testing.T) {
	b, err := newSource(t, newFake(), func(c *Config) {
		c.NPM = append(c.NPM, "no-such-pkg")
		c.NuGet = append(c.NuGet, "No.Such")
	}).Harvest(context.Background(), harvester.SourceState{})
	if err == nil || !strings.Contains(err.Error(), "npm package no-such-pkg: npm has no such package") ||
		!strings.Contains(err.Error(), "nuget package No.Such: NuGet's search finds no package with this id") {
		t.Errorf("err = %v", err)
	}
	if len(b.Observations) != 3 {
		t.Errorf("%d observations, want the 3 known", len(b.Observations))
	}
}

// TestHostileCounts: negative counts, 2^63, strings and fractions where
// numbers belong, a sum past int64: a clear error naming the package,
// never a panic or a wrapped value.
func TestHostileCounts(t *testing.T) {
	for _, tc := range []struct{ raw, want string }{
		{`-5`, `npm package passkey-kit: downloads on "2025-11-22": -5 is negative`},
		{`9223372036854775808`, `npm package passkey-kit: downloads on "2025-11-22": "9223372036854775808" is too large to be a count`},
		{`"12"`, `npm package passkey-kit: downloads on "2025-11-22": "\"12\"" is not a number`},
		{`1.5`, `npm package passkey-kit: downloads on "2025-11-22": "1.5" is not a whole number`},
		{`4611686018427387904`, `npm package passkey-kit: downloads: the sum is too large to be a count`},
	} {
		f := newFake()
		p := f.NPM["passkey-kit"]
		p.RawDaily = tc.raw
		f.NPM["passkey-kit"] = p
		b, err := newSource(t, f, func(c *Config) { c.NPM, c.NuGet = []string{"passkey-kit"}, nil }).Harvest(context.Background(), harvester.SourceState{})
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: err = %v\nwant %s", tc.raw, err, tc.want)
		}
		if len(b.Observations) != 0 {
			t.Errorf("%s: %+v", tc.raw, b.Observations)
		}
	}
	for _, tc := range []struct{ raw, want string }{
		{`-1`, `nuget package priya.passkeys: totalDownloads: -1 is negative`},
		{`"4321"`, `nuget package priya.passkeys: totalDownloads: "\"4321\"" is not a number`},
		{`18446744073709551616`, `nuget package priya.passkeys: totalDownloads: "18446744073709551616" is too large to be a count`},
		{`null`, `nuget package priya.passkeys: totalDownloads: missing`},
	} {
		f := newFake()
		p := f.NuGet["priya.passkeys"]
		p.RawTotal = tc.raw
		f.NuGet["priya.passkeys"] = p
		_, err := newSource(t, f, func(c *Config) { c.NPM = nil }).Harvest(context.Background(), harvester.SourceState{})
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: err = %v\nwant %s", tc.raw, err, tc.want)
		}
	}
}

// TestNewChecks: no packages, bad names and base URLs are config errors.
func TestNewChecks(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{}, "no packages"},
		{Config{NPM: []string{"Left Pad"}}, `npm: not an npm package name`},
		{Config{NuGet: []string{"a/b"}}, `nuget: not a NuGet package id`},
		{Config{NPM: []string{"x"}, NPMBaseURL: "ftp://x"}, "npm_base_url"},
	} {
		if _, err := New(tc.cfg); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v", tc.cfg, err)
		}
	}
}

func TestRepoURL(t *testing.T) {
	for in, want := range map[string]string{
		"git+https://github.com/o/r.git":                  "https://github.com/o/r",
		"https://github.com/o/r":                          "https://github.com/o/r",
		"https://www.github.com/O/r/tree/main/packages/x": "https://github.com/O/r",
		"git://github.com/o/r.git":                        "https://github.com/o/r",
		"git@github.com:o/r.git":                          "https://github.com/o/r",
		"ssh://git@github.com/o/r.git":                    "https://github.com/o/r",
		"github:o/r":                                      "https://github.com/o/r",
		"gitlab:o/r":                                      "https://gitlab.com/o/r",
		"o/r":                                             "https://github.com/o/r",
		"http://example.com/lib#readme":                   "https://example.com/lib",
		"https://user:pw@github.com/o/r.git":              "https://github.com/o/r",
		"":                                                "",
		"javascript:alert(1)":                             "",
		"file:///etc/passwd":                              "",
		"https://github.com/o/r?utm_source=x#readme":      "https://github.com/o/r",
		"https://dev.azure.com/org/project/_git/repo.git": "https://dev.azure.com/org/project/_git/repo",
	} {
		if got := repoURL(in); got != want {
			t.Errorf("repoURL(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestMergesWithRepository: a package whose repository link names the
// repository the github source saw is one row, with its stars and its
// downloads; the release of that repository stays a row of its own.
func TestMergesWithRepository(t *testing.T) {
	b, err := newSource(t, newFake(), nil).Harvest(context.Background(), harvester.SourceState{})
	if err != nil {
		t.Fatal(err)
	}
	created := now.AddDate(0, -5, 0)
	obs := []harvester.Observation{
		{Source: "github", NativeID: "https://github.com/priyar/bicep-landing-zone", Person: "Priya Raman", ActivityType: harvester.TypeOpenSource,
			Title: "priyar/bicep-landing-zone: Opinionated Azure landing zone", URL: "https://github.com/priyar/bicep-landing-zone",
			Date: created, Metrics: map[string]int64{"stars": 42, "forks": 6}, Reach: 42, Meta: map[string]string{"kind": "repository"}},
		{Source: "github", NativeID: "https://github.com/priyar/bicep-landing-zone/releases/tag/v1.0.0", Person: "Priya Raman",
			ActivityType: harvester.TypeOpenSource, Title: "priyar/bicep-landing-zone v1.0.0",
			URL: "https://github.com/priyar/bicep-landing-zone/releases/tag/v1.0.0", Date: created.AddDate(0, 1, 0),
			Meta: map[string]string{"kind": "release"}},
	}
	for _, o := range b.Observations {
		o.Date = now // as the store dates an undated observation
		obs = append(obs, o)
	}
	log := harvester.BuildLog(obs, nil, harvester.LogOptions{Location: time.UTC, Vocabulary: harvester.NewVocabulary(nil)})
	var row *harvester.Contribution
	for i := range log {
		for _, s := range log[i].Sources {
			if s == "pkgs" && strings.Contains(strings.Join(log[i].Sources, ","), "github") {
				if row != nil {
					t.Fatalf("two rows hold both sources: %+v and %+v", *row, log[i])
				}
				row = &log[i]
			}
		}
	}
	if row == nil {
		t.Fatalf("no row holds the package and its repository:\n%+v", log)
	}
	if row.URL != "https://github.com/priyar/bicep-landing-zone" || row.Metrics["stars"] != 42 || row.Metrics["downloads"] != 1000 ||
		!strings.Contains(strings.Join(row.OtherURLs, " "), "https://www.npmjs.com/package/@priyar/bicep-kit") {
		t.Errorf("merged row: %+v", *row)
	}
	if len(log) != 4 {
		t.Errorf("%d rows, want 4: the repository with its package, the release, passkey-kit, Priya.Passkeys", len(log))
		for _, c := range log {
			t.Logf("%s %v %s", c.Title, c.Sources, c.URL)
		}
	}
}
