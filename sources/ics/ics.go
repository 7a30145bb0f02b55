// Package ics is the source for iCalendar (RFC 5545) feeds: a speaker's own
// calendar, a Meetup, Luma or Google group calendar, an Outlook-published
// calendar. Every VEVENT that passes the match filter is one observation,
// dated by DTSTART in its own time zone.
//
// Recurring events (RRULE, RDATE, EXDATE) are expanded with rrule-go into
// one observation per occurrence between Since and Until, each with the
// native id UID#occurrence (the UTC start, or the day of an all-day
// event); an override (a VEVENT with RECURRENCE-ID) takes the place of the
// occurrence it names and a cancelled one removes it. Rules with parts no
// talk series needs (sub-daily frequencies, BYHOUR, BYWEEKNO, BYYEARDAY,
// ...) keep their first occurrence only, under the plain UID, and say so in
// Meta["recurrence"].
package ics

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/sources/fetch"
)

// Config is one calendar source.
type Config struct {
	Name, URL, Person string
	// Activity is the resolved activity type; "" means
	// harvester.TypeThirdParty.
	Activity string
	// Match keeps the events whose summary, description, location,
	// organizer or attendee names contain one of these (case- and
	// accent-insensitive); empty keeps all.
	Match []string
	// Since drops occurrences that start before it; zero keeps all.
	Since time.Time
	// Until ends the expansion of recurring events; zero means a year
	// after Now. Single events after it are kept.
	Until time.Time
	// Timezone is the zone of times that name none (or name one nothing
	// knows) in a calendar without X-WR-TIMEZONE; nil means time.Local.
	Timezone *time.Location
	MaxBytes int64
	Client   *fetch.Client
	Logger   *slog.Logger
	// Now marks events still to come (Meta["upcoming"]) and places the
	// default Until; nil means time.Now.
	Now func() time.Time
}

// Source harvests one calendar.
type Source struct {
	cfg Config
}

var _ harvester.Source = (*Source)(nil)

// New returns the source; a nil Client gets a default one, a nil Logger
// the default logger and an empty Activity the third-party speaker type. A
// webcal:// URL is fetched as https://.
func New(cfg Config) *Source {
	if cfg.Client == nil {
		cfg.Client = fetch.New(fetch.Options{Logger: cfg.Logger})
	}
	cfg.URL = httpsForWebcal(cfg.URL)
	return &Source{cfg: defaults(cfg)}
}

// httpsForWebcal rewrites the webcal:// (and webcals://) links calendar
// sites hand out for subscribing to the https:// URL they stand for.
func httpsForWebcal(u string) string {
	for _, scheme := range []string{"webcals://", "webcal://"} {
		if len(u) >= len(scheme) && strings.EqualFold(u[:len(scheme)], scheme) {
			return "https://" + u[len(scheme):]
		}
	}
	return u
}

// Name is the configured name.
func (s *Source) Name() string { return s.cfg.Name }

// Type is "ics".
func (s *Source) Type() string { return "ics" }

// Harvest fetches the calendar conditionally and parses it. A calendar
// cut off inside an event returns the events before the cut together with
// the error, and no validators, so that the next pass fetches it whole.
func (s *Source) Harvest(ctx context.Context, st harvester.SourceState) (*harvester.Batch, error) {
	resp, err := s.cfg.Client.GetState(ctx, st, fetch.Request{URL: s.cfg.URL, MaxBytes: s.cfg.MaxBytes, Accept: "text/calendar, text/plain;q=0.8, */*;q=0.5"})
	if err != nil {
		return nil, err
	}
	if resp.NotModified {
		return resp.Batch(nil), nil
	}
	name, obs, dropped, err := parse(resp.Body, s.cfg)
	if errors.Is(err, ErrTruncated) {
		return &harvester.Batch{Observations: obs, Dropped: dropped}, fmt.Errorf("parse calendar %s: %w", fetch.Redact(s.cfg.URL), err)
	}
	if err != nil {
		return nil, fmt.Errorf("parse calendar %s: %w", fetch.Redact(s.cfg.URL), err)
	}
	s.cfg.Logger.Debug("calendar parsed", "source", s.cfg.Name, "calendar", name, "events", len(obs))
	b := resp.Batch(obs)
	b.Dropped = dropped
	return b, nil
}
