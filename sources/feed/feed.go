// Package feed is the source for RSS 0.9x/1.0/2.0, Atom 0.3/1.0 and JSON
// Feed documents (blogs, dev.to, Medium, YouTube channels, podcasts, Stack
// Overflow, Mastodon), parsed with gofeed from bytes our own client fetched.
package feed

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/sources/fetch"
)

// Config is one feed source.
type Config struct {
	Name, URL, Person string
	Activity          string   // resolved activity type
	Match             []string // keep only items mentioning one of these (case-insensitive)
	Since             time.Time
	MaxBytes          int64
	Client            *fetch.Client
	Logger            *slog.Logger
}

// Source harvests one feed.
type Source struct {
	cfg Config
}

var _ harvester.Source = (*Source)(nil)

// New returns the source; a nil Client gets a default one.
func New(cfg Config) *Source {
	if cfg.Client == nil {
		cfg.Client = fetch.New(fetch.Options{})
	}
	if cfg.Activity == "" {
		cfg.Activity = harvester.TypeBlog
	}
	return &Source{cfg: cfg}
}

// Name is the configured name.
func (s *Source) Name() string { return s.cfg.Name }

// Type is "feed".
func (s *Source) Type() string { return "feed" }

// Harvest fetches the feed conditionally and parses it.
func (s *Source) Harvest(ctx context.Context, st harvester.SourceState) (*harvester.Batch, error) {
	resp, err := s.cfg.Client.GetState(ctx, st, fetch.Request{URL: s.cfg.URL, MaxBytes: s.cfg.MaxBytes,
		Accept: "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"})
	if err != nil {
		return nil, err
	}
	if resp.NotModified {
		return resp.Batch(nil), nil
	}
	cfg := s.cfg
	cfg.URL = resp.URL // relative links resolve against where the feed really is
	_, obs, dropped, err := parse(resp.Body, cfg)
	// Nothing Parse returns shares the body's memory: the next feed can
	// be read into it.
	resp.Release()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", fetch.Redact(s.cfg.URL), err)
	}
	b := resp.Batch(obs)
	b.Dropped = dropped
	return b, nil
}
