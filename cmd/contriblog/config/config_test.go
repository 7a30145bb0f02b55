package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/sources/fetch"
	"github.com/contriblog/contriblog/sources/github"
	"github.com/contriblog/contriblog/sources/spec"
)

// testNow is the clock of every test: 15 March 2026, 10:00 UTC.
var testNow = time.Date(2026, 3, 15, 10, 0, 0, 0, time.UTC)

// testEnv is a fake environment; unset variables are "".
func testEnv(kv ...string) func(string) string {
	m := map[string]string{"HOME": "/home/priya"}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

func testOptions(kv ...string) Options {
	return Options{Getenv: testEnv(kv...), Now: func() time.Time { return testNow }}
}

// mustParse parses src as /srv/cl/contriblog.yaml and fails the test on
// error.
func mustParse(tb testing.TB, src string, opts Options) *Config {
	tb.Helper()
	cfg, err := Parse([]byte(src), "/srv/cl/contriblog.yaml", opts)
	if err != nil {
		tb.Fatalf("Parse: %v", err)
	}
	return cfg
}

func mustLoc(tb testing.TB, name string) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		tb.Fatalf("LoadLocation(%s): %v", name, err)
	}
	return loc
}

// compareConfig compares two configs field by field: locations by name
// (two loads of one zone are distinct values), the vocabulary by its
// names.
func compareConfig(t *testing.T, got, want *Config) {
	t.Helper()
	if got.Timezone.String() != want.Timezone.String() {
		t.Errorf("Timezone = %s, want %s", got.Timezone, want.Timezone)
	}
	if !got.Since.Equal(want.Since) {
		t.Errorf("Since = %s, want %s", got.Since, want.Since)
	}
	if g, w := got.Vocabulary.Names(), want.Vocabulary.Names(); !reflect.DeepEqual(g, w) {
		t.Errorf("Vocabulary = %q, want %q", g, w)
	}
	if len(got.Sources) != len(want.Sources) {
		t.Fatalf("%d sources, want %d", len(got.Sources), len(want.Sources))
	}
	for i := range got.Sources {
		g, w := got.Sources[i], want.Sources[i]
		if g.Timezone.String() != w.Timezone.String() {
			t.Errorf("sources[%d].Timezone = %s, want %s", i, g.Timezone, w.Timezone)
		}
		if g.Spec == nil || g.Spec.Name != g.Type {
			t.Errorf("sources[%d].Spec = %v, want the %s type", i, g.Spec, g.Type)
		}
		g.Timezone, w.Timezone, g.Spec, w.Spec = nil, nil, nil, nil
		if !reflect.DeepEqual(g, w) {
			t.Errorf("sources[%d]:\n got %#v\nwant %#v", i, g, w)
		}
	}
	g, w := *got, *want
	g.Timezone, w.Timezone, g.Since, w.Since = nil, nil, time.Time{}, time.Time{}
	g.Vocabulary, w.Vocabulary, g.Sources, w.Sources = nil, nil, nil, nil
	g.Secrets, w.Secrets = nil, nil // secrets_test.go
	if want.Programs == nil && !reflect.DeepEqual(got.ProgramNames(), []string{"gde", "mvp", "stars"}) {
		t.Errorf("Programs = %v, want the built-in ones", got.ProgramNames())
	}
	g.Programs, w.Programs = nil, nil // programs_test.go
	if !reflect.DeepEqual(g, w) {
		t.Errorf("config:\n got %#v\nwant %#v", g, w)
	}
}

func TestParseFull(t *testing.T) {
	data, err := os.ReadFile("testdata/full.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := Parse(data, "/srv/cl/contriblog.yaml", testOptions("GITHUB_TOKEN", "ghp_test123", "CONTRIBLOG_TOKEN", "listen-secret"))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	ams, ny := mustLoc(t, "Europe/Amsterdam"), mustLoc(t, "America/New_York")
	types := []harvester.ActivityType{{Name: "Conference keynote", Family: "speaking", Role: "Speaker"}, {Name: "Newsletter", Family: "writing"}}
	http := func(s Source) Source {
		s.Enabled, s.Person, s.Timezone = true, "Priya Raman", ams
		if _, ok := s.Values["max_bytes"]; !ok {
			s.Values["max_bytes"] = int64(fetch.DefaultMaxBytes)
		}
		return s
	}
	want := &Config{
		Path: "/srv/cl/contriblog.yaml", Dir: "/srv/cl", Person: "Priya Raman",
		Database: "/srv/cl/contriblog.db", Since: time.Date(2025, 4, 1, 0, 0, 0, 0, ams),
		Timezone: ams, TimezoneName: "Europe/Amsterdam", Schedule: "@every 6h",
		Export: Export{Path: "/srv/cl/contributions.csv", Format: "csv"},
		Backup: Backup{Keep: 14, Dir: "/srv/cl/snapshots"},
		Listen: "127.0.0.1:8787", ListenToken: "listen-secret",
		Areas: []harvester.Area{
			{Name: "Identity & Access", Keywords: []string{"entra", "conditional access", "fido2"}},
			{Name: "Azure Infrastructure as Code", Keywords: []string{"bicep", "terraform"}},
			{Name: "Developer Tools", Keywords: []string{"vscode"}},
		},
		ActivityTypes: types,
		Vocabulary:    harvester.NewVocabulary(types),
		Sources: []Source{
			http(Source{Name: "blog", Type: "feed", Line: 24, Activity: "Blog", Priority: 10,
				Values: spec.Values{"url": "https://priyaraman.dev/feed/"}}),
			http(Source{Name: "youtube", Type: "feed", Line: 29, Activity: harvester.TypeVideo,
				Values: spec.Values{"url": "https://www.youtube.com/feeds/videos.xml?channel_id=UC123", "max_bytes": int64(4 << 20)}}),
			http(Source{Name: "guest-podcast", Type: "feed", Line: 34, Activity: "Podcast", Match: []string{"Priya Raman"},
				Values: spec.Values{"url": "https://example.fm/rss"}}),
			http(Source{Name: "github", Type: "github", Line: 39, Activity: harvester.TypeOpenSource, Schedule: "0 */4 * * *",
				Values: spec.Values{"user": "priyar", "token": "ghp_test123", "base_url": "https://api.github.com/", "max_wait": 2 * time.Minute}}),
			http(Source{Name: "usergroup", Type: "ics", Line: 46, Activity: harvester.TypeThirdParty, Match: []string{"Priya Raman"},
				Areas: []string{"Azure Infrastructure as Code"}, Values: spec.Values{"url": "https://www.meetup.com/cloud-user-group/events/ical/"}}),
			http(Source{Name: "cloudsummit", Type: "sessionize", Line: 53, Activity: "Conference keynote",
				Values: spec.Values{"url": "https://sessionize.com/api/v2/abcd1234/view/All", "speaker": "Priya Raman", "event": "Cloud Summit 2025"}}),
			{Name: "manual", Type: "file", Line: 60, Person: "Priya R.", Enabled: true, Timezone: ams, Values: spec.Values{"path": "/srv/cl/manual.yaml"}},
		},
	}
	want.Sources[4].Timezone = ny
	want.Sources[5].Enabled = false
	compareConfig(t, cfg, want)
}

func TestParseDefaults(t *testing.T) {
	const src = `
sources:
  - {name: blog, type: feed, url: "https://example.com/feed"}
  - {name: gh, type: github, user: octocat}
  - {name: talks, type: ics, url: "https://example.com/cal.ics"}
  - {name: conf, type: sessionize, url: "https://sessionize.com/api/v2/x/view/All", speaker: Ann}
  - {name: notes, type: file, path: notes/manual.yaml}
`
	cfg := mustParse(t, src, testOptions("XDG_DATA_HOME", "/data"))
	local, maxBytes := time.Local, int64(fetch.DefaultMaxBytes)
	now := testNow.In(local)
	want := &Config{
		Path: "/srv/cl/contriblog.yaml", Dir: "/srv/cl",
		Database: "/data/contriblog/contriblog.db",
		Since:    time.Date(now.Year()-1, now.Month(), now.Day(), 0, 0, 0, 0, local),
		Timezone: local, TimezoneName: "Local", Schedule: DefaultSchedule,
		Export:     Export{Format: "csv"},
		Backup:     Backup{Keep: DefaultBackupKeep, Dir: "/data/contriblog/backups"},
		Vocabulary: harvester.NewVocabulary(nil),
		Sources: []Source{
			{Name: "blog", Type: "feed", Line: 3, Enabled: true, Activity: "Blog", Timezone: local,
				Values: spec.Values{"max_bytes": maxBytes, "url": "https://example.com/feed"}},
			{Name: "gh", Type: "github", Line: 4, Enabled: true, Activity: harvester.TypeOpenSource, Timezone: local,
				Values: spec.Values{"max_bytes": maxBytes, "user": "octocat", "max_wait": github.DefaultMaxWait}},
			{Name: "talks", Type: "ics", Line: 5, Enabled: true, Activity: harvester.TypeThirdParty, Timezone: local,
				Values: spec.Values{"max_bytes": maxBytes, "url": "https://example.com/cal.ics"}},
			{Name: "conf", Type: "sessionize", Line: 6, Enabled: true, Activity: harvester.TypeThirdParty, Timezone: local,
				Values: spec.Values{"max_bytes": maxBytes, "url": "https://sessionize.com/api/v2/x/view/All", "speaker": "Ann"}},
			{Name: "notes", Type: "file", Line: 7, Enabled: true, Timezone: local, Values: spec.Values{"path": "/srv/cl/notes/manual.yaml"}},
		},
	}
	want.Warnings = cfg.Warnings // checked below
	compareConfig(t, cfg, want)
	if len(cfg.Warnings) != 1 || !strings.Contains(cfg.Warnings[0], "person is not set") {
		t.Errorf("Warnings = %q, want one about person", cfg.Warnings)
	}
}

func TestDefaultDatabase(t *testing.T) {
	cfg := mustParse(t, "person: A\nsources: []\n", testOptions("HOME", "/home/ann"))
	if want := "/home/ann/.local/share/contriblog/contriblog.db"; cfg.Database != want && runtime.GOOS == "linux" {
		t.Errorf("Database = %s, want %s", cfg.Database, want)
	}
	cfg = mustParse(t, "database: ~/db/c.db\nsources: []\n", testOptions("HOME", "/home/ann"))
	if want := "/home/ann/db/c.db"; cfg.Database != want {
		t.Errorf("Database = %s, want %s", cfg.Database, want)
	}
	cfg = mustParse(t, "database: /var/lib/c.db\nsources: []\n", testOptions())
	if want := "/var/lib/c.db"; cfg.Database != want {
		t.Errorf("Database = %s, want %s", cfg.Database, want)
	}
}

func TestDefaultSinceInTimezone(t *testing.T) {
	// 23:30 UTC on 28 Feb 2026 is already 1 March in Tokyo.
	opts := testOptions()
	opts.Now = func() time.Time { return time.Date(2026, 2, 28, 23, 30, 0, 0, time.UTC) }
	cfg := mustParse(t, "timezone: Asia/Tokyo\nsources: []\n", opts)
	want := time.Date(2025, 3, 1, 0, 0, 0, 0, mustLoc(t, "Asia/Tokyo"))
	if !cfg.Since.Equal(want) {
		t.Errorf("Since = %s, want %s", cfg.Since, want)
	}
}

func TestExportFormat(t *testing.T) {
	for _, tc := range []struct{ export, path, format string }{
		{"{path: out.json}", "/srv/cl/out.json", "json"},
		{"{path: out.md}", "/srv/cl/out.md", "md"},
		{"{path: out.txt}", "/srv/cl/out.txt", "csv"},
		{"{path: out.json, format: csv}", "/srv/cl/out.json", "csv"},
		{"{format: Markdown}", "", "md"},
	} {
		cfg := mustParse(t, "export: "+tc.export+"\nsources: []\n", testOptions())
		if cfg.Export.Path != tc.path || cfg.Export.Format != tc.format {
			t.Errorf("export %s = %+v, want {%s %s}", tc.export, cfg.Export, tc.path, tc.format)
		}
	}
}

// TestExportExcel: export.excel is for CSV; with another format it is
// ignored with a warning naming the key, and a value that is no boolean
// is an error.
func TestExportExcel(t *testing.T) {
	for _, tc := range []struct {
		export string
		excel  bool
		warn   string
	}{
		{"{path: out.csv, excel: true}", true, ""},
		{"{path: out.csv}", false, ""},
		{"{path: out.csv, excel: no}", false, ""},
		{"{path: out.json, excel: true}", false, "export.excel: ignored: a byte-order mark is for CSV only, and export.format is json"},
	} {
		cfg := mustParse(t, "export: "+tc.export+"\nsources: []\n", testOptions())
		if cfg.Export.Excel != tc.excel || !strings.Contains(strings.Join(cfg.Warnings, "\n"), tc.warn) ||
			(tc.warn == "" && len(cfg.Warnings) > 0) {
			t.Errorf("export %s = %+v, warnings %q; want excel %v, warning %q", tc.export, cfg.Export, cfg.Warnings, tc.excel, tc.warn)
		}
	}
	_, err := Parse([]byte("export: {excel: maybe}\nsources: []\n"), "/srv/cl/contriblog.yaml", testOptions())
	if err == nil || !strings.Contains(err.Error(), "export.excel: expected true or false") {
		t.Errorf("excel: maybe: %v", err)
	}
}

func TestMergeKeysAndAliases(t *testing.T) {
	const src = `
person: Ann
x-defaults: &defaults # x- keys are ignored: a place for anchors
  schedule: "@daily"
  match: &who [Ann Example]
sources:
  - <<: *defaults
    name: a
    type: feed
    url: https://a.example/feed
  - <<: *defaults
    name: b
    type: ics
    url: https://b.example/cal
    schedule: "@hourly"
    match: *who
`
	cfg := mustParse(t, src, testOptions())
	if a, b := cfg.Sources[0], cfg.Sources[1]; a.Schedule != "@daily" || b.Schedule != "@hourly" ||
		!reflect.DeepEqual(a.Match, []string{"Ann Example"}) || !reflect.DeepEqual(b.Match, a.Match) {
		t.Errorf("a = %+v %q, b = %+v %q", a.Schedule, a.Match, b.Schedule, b.Match)
	}
}

func TestLoad(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "missing.yaml"), testOptions())
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load(missing) = %v, want fs.ErrNotExist", err)
	}
	var ce *Error
	if !errors.As(err, &ce) || !strings.Contains(ce.Error(), "missing.yaml: no such config file") {
		t.Errorf("Load(missing) = %v, want a *Error naming the file", err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(path, []byte("person: A\nsources:\n  - {name: m, type: file, path: m.yaml}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(path, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if p := cfg.Sources[0].Values.String("path"); cfg.Path != path || cfg.Dir != dir || p != filepath.Join(dir, "m.yaml") {
		t.Errorf("Path %s Dir %s source path %s", cfg.Path, cfg.Dir, p)
	}
}
