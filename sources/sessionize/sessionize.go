// Package sessionize is the source for a speaker's sessions at one event,
// read from the event's public Sessionize API endpoint (view/All, and also
// view/Sessions, view/GridSmart and view/Speakers).
package sessionize

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/sources/fetch"
)

// Config is one Sessionize source.
type Config struct {
	Name, URL, Person string
	Activity          string         // resolved activity type; "" means harvester.TypeThirdParty
	Speaker           string         // full name (case- and accent-insensitive) or Sessionize speaker id; "" means Person
	Event             string         // the event's name; "" uses Name
	Since             time.Time      // sessions that start before it are dropped
	Timezone          *time.Location // zone of Sessionize's offset-less local times; nil means the machine's
	MaxBytes          int64
	Client            *fetch.Client
	Logger            *slog.Logger
}

// Source harvests one Sessionize endpoint.
type Source struct {
	cfg Config
}

var _ harvester.Source = (*Source)(nil)

// New returns the source; a nil Client gets a default one, a nil Logger
// the default logger, an empty Activity the third-party speaker type and an
// empty Event the source's name.
func New(cfg Config) *Source {
	if cfg.Client == nil {
		cfg.Client = fetch.New(fetch.Options{Logger: cfg.Logger})
	}
	return &Source{cfg: defaults(cfg)}
}

func defaults(cfg Config) Config {
	if cfg.Activity == "" {
		cfg.Activity = harvester.TypeThirdParty
	}
	if cfg.Timezone == nil {
		cfg.Timezone = time.Local
	}
	if cfg.Speaker == "" {
		cfg.Speaker = cfg.Person
	}
	if cfg.Event == "" {
		cfg.Event = cfg.Name // Sessionize documents do not name their event
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return cfg
}

// Name is the configured name.
func (s *Source) Name() string { return s.cfg.Name }

// Type is "sessionize".
func (s *Source) Type() string { return "sessionize" }

// Harvest fetches the endpoint conditionally and returns the speaker's
// sessions.
func (s *Source) Harvest(ctx context.Context, st harvester.SourceState) (*harvester.Batch, error) {
	resp, err := s.cfg.Client.GetState(ctx, st, fetch.Request{URL: s.cfg.URL, MaxBytes: s.cfg.MaxBytes, Accept: "application/json"})
	if err != nil {
		return nil, err
	}
	if resp.NotModified {
		return resp.Batch(nil), nil
	}
	obs, dropped, err := parse(resp.Body, s.cfg)
	if err != nil {
		return nil, fmt.Errorf("parse sessionize %s: %w", fetch.Redact(s.cfg.URL), err)
	}
	s.cfg.Logger.Debug("sessionize parsed", "source", s.cfg.Name, "sessions", len(obs))
	b := resp.Batch(obs)
	b.Dropped = dropped
	return b, nil
}
