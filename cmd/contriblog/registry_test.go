package main

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/contriblog/contriblog/cmd/contriblog/config"
	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/sources/spec"
)

// scratchSource is the whole of a new source type as its author would
// write it in its own package: a harvester.Source and its spec.Type.
type scratchSource struct{ s spec.Settings }

var _ harvester.Source = (*scratchSource)(nil)

func (s *scratchSource) Name() string { return s.s.Name }
func (s *scratchSource) Type() string { return "scratch" }
func (s *scratchSource) Harvest(context.Context, harvester.SourceState) (*harvester.Batch, error) {
	return &harvester.Batch{}, nil
}

var scratchSpec = spec.Type{
	Name: "scratch",
	Keys: []spec.Key{
		{Name: "url", Kind: spec.URL, Required: true},
		{Name: "greeting", Kind: spec.String, Default: "hello"},
		{Name: "api_key", Kind: spec.Secret, SentTo: "url"},
		{Name: "patience", Kind: spec.Duration, Default: 90 * time.Second},
		spec.MaxBytes,
	},
	Activity: harvester.TypeVideo,
	Build:    func(s spec.Settings) (harvester.Source, error) { return &scratchSource{s: s}, nil },
}

// TestScratchSourceType registers a new source type, with no change
// anywhere else, and shows that the config takes its keys, fills its
// defaults, reports its mistakes as it does every type's, and that the
// wiring builds it.
func TestScratchSourceType(t *testing.T) {
	if err := scratchSpec.Check(); err != nil {
		t.Fatal(err)
	}
	opts := config.Options{Getenv: func(k string) string { return map[string]string{"KEY": "k-123"}[k] },
		Now: func() time.Time { return fixedNow }, SourceTypes: append(append([]*spec.Type{}, config.SourceTypes...), &scratchSpec)}
	const src = "person: Ann\nsources:\n" +
		"  - {name: blog, type: feed, url: \"https://example.com/feed\"}\n" +
		"  - {name: mine, type: scratch, url: \"https://scratch.example/api\", api_key: \"${KEY}\", match: [Ann]}\n"
	cfg, err := config.Parse([]byte(src), "/srv/cl/contriblog.yaml", opts)
	if err != nil {
		t.Fatal(err)
	}
	sc := cfg.Sources[1]
	if sc.Type != "scratch" || sc.Spec != &scratchSpec || sc.Activity != harvester.TypeVideo ||
		sc.Values.String("greeting") != "hello" || sc.Values.Duration("patience") != 90*time.Second ||
		sc.Values.Size("max_bytes") != 16<<20 || sc.Values.String("api_key") != "k-123" {
		t.Errorf("scratch source = %+v", sc)
	}

	m := newTestMain(nil).Main
	m.logger = slog.New(slog.DiscardHandler)
	built, err := m.buildSources(cfg, m.newFetchClient(), nil)
	if err != nil {
		t.Fatal(err)
	}
	// Every source is built wrapped, so that what it stores holds no
	// secret (redact.go).
	got, ok := unwrapSource(built[1]).(*scratchSource)
	if !ok || got.Name() != "mine" || got.s.Values.String("url") != "https://scratch.example/api" ||
		got.s.Person != "Ann" || len(got.s.Match) != 1 || got.s.Client == nil || !got.s.Since.Equal(cfg.Since) {
		t.Errorf("built %T %+v", built[1], built[1])
	}

	// Its mistakes are reported as every type's are.
	for _, tc := range []struct{ entry, want string }{
		{"{name: a, type: scratch}", "contriblog.yaml:3: sources[0].url: url is required for a scratch source"},
		{"{name: a, type: scratch, url: \"https://x.example/\", greting: hi}", `sources[0].greting: unknown key "greting" (did you mean "greeting"?)`},
		{"{name: a, type: scratch, url: \"https://x.example/\", patience: soon}", "sources[0].patience: expected a duration such as 5m"},
		{"{name: a, type: feed, url: \"https://x.example/\", greeting: hi}", `sources[0].greeting: "greeting" does not apply to a feed source (only to scratch)`},
		{"{name: a, type: rss}", "expected one of feed, github, ics, sessionize, file, stackexchange, packages, scratch"},
	} {
		_, err := config.Parse([]byte("person: Ann\nsources:\n  - "+tc.entry+"\n"), "contriblog.yaml", opts)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.entry, err, tc.want)
		}
	}
	cfg, err = config.Parse([]byte("person: Ann\nsources:\n  - {name: a, type: scratch, url: \"http://me:pw@x.example/\", api_key: \"${KEY}\"}\n"), "c.yaml", opts)
	if err != nil || len(cfg.Warnings) != 1 || !strings.Contains(cfg.Warnings[0], "will not send the api_key over it") {
		t.Errorf("plain http with a secret: %v %q", err, cfg.Warnings)
	}
}
