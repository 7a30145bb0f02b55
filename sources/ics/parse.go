package ics

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"time"

	ical "github.com/arran4/golang-ical"

	"github.com/contriblog/contriblog/harvester"
)

// Parse reads one iCalendar document and returns the calendar's name
// (X-WR-CALNAME, else NAME) and one observation per occurrence of every
// VEVENT that is not cancelled, passes cfg.Match and starts on or after
// cfg.Since (see the package comment for recurring events).
//
// Real-world damage is tolerated: stray lines, unbalanced or lower-case
// BEGIN/END, components outside or across several VCALENDARs, a missing
// END:VCALENDAR. A document that ends inside an event returns the events
// before the cut together with an error wrapping ErrTruncated. Anything
// that is not a calendar (an HTML page, JSON, an empty body) is an error
// that says what it is. Parse never panics.
func Parse(data []byte, cfg Config) (calName string, obs []harvester.Observation, err error) {
	calName, obs, _, err = parse(data, cfg)
	return calName, obs, err
}

// parse is Parse that also counts the occurrences it left out, by reason
// (harvester.Batch.Dropped).
func parse(data []byte, cfg Config) (calName string, obs []harvester.Observation, dropped map[string]int, err error) {
	defer func() {
		// Last line of defence: golang-ical is third-party code fed with
		// internet input, and one bad calendar must not stop a daemon.
		if r := recover(); r != nil {
			calName, obs, dropped, err = "", nil, nil, fmt.Errorf("malformed calendar: the parser failed on it (%v)", r)
		}
	}()
	cfg = defaults(cfg)
	if err := sniff(data); err != nil {
		return "", nil, nil, err
	}
	c := clean(data)
	opt := ical.WithUnknownPropertyHandler(ical.AcceptUnknownPropertyHandler)
	cal, err := ical.ParseCalendarWithOptions(bytes.NewReader(c.text), opt)
	if err != nil {
		return "", nil, nil, fmt.Errorf("malformed calendar: %w", err)
	}
	p := newPlan(cfg, cal)
	obs = p.run(cal)
	p.log(c)
	if c.truncated {
		return p.name, obs, p.dropped, fmt.Errorf("%w: the document ends inside an event; kept the %d events before the cut", ErrTruncated, len(obs))
	}
	return p.name, obs, p.dropped, nil
}

// plan is what mapping every event of one calendar shares.
type plan struct {
	cfg  Config
	name string
	// listings are the canonical forms of the calendar's own URLs (the
	// configured one, its URL property): never an event's link.
	listings []string
	zones    *zones
	match    harvester.Matcher
	until    time.Time
	skipped  int // events without a usable start
	// dropped counts the occurrences left out, by reason
	// (harvester.Batch.Dropped); occurrences of a series outside the
	// window are never made, so never counted.
	dropped map[string]int
	capped  int // recurring events cut at maxOccurrences
	series  int // recurring events expanded so far
	steps   int // rule iterations spent so far
}

func newPlan(cfg Config, cal *ical.Calendar) *plan {
	p := &plan{cfg: cfg, listings: listingKeys(httpsForWebcal(cfg.URL)), until: cfg.Until, dropped: map[string]int{},
		zones: &zones{defs: vtimezones(cal), cache: map[string]zoneAnswer{}, fallback: cfg.Timezone}}
	if p.until.IsZero() {
		p.until = cfg.Now().AddDate(1, 0, 0)
	}
	var altName string
	for _, cp := range cal.CalendarProperties {
		v := cp.Value
		switch strings.ToUpper(cp.IANAToken) {
		case "X-WR-CALNAME":
			p.name = firstNonEmpty(p.name, harvester.PlainText(v))
		case "NAME":
			altName = firstNonEmpty(altName, harvester.PlainText(v))
		case "X-WR-TIMEZONE":
			if loc := lookupZone(strings.TrimSpace(v)); loc != nil && p.zones.wr == nil {
				p.zones.wr, p.zones.wrName = loc, strings.TrimSpace(v)
			}
		case "URL", "SOURCE":
			p.listings = append(p.listings, listingKeys(v)...)
		}
	}
	p.name = harvester.Truncate(firstNonEmpty(p.name, altName), 200)
	p.match = harvester.NewMatcher(cfg.Match)
	return p
}

// log reports, at debug level, what was repaired or skipped.
func (p *plan) log(c cleaned) {
	l := p.cfg.Logger
	if c.dropped > 0 || p.skipped > 0 || c.unclosed {
		l.Debug("calendar repaired", "source", p.cfg.Name, "lines_dropped", c.dropped,
			"events_without_start", p.skipped, "missing_end_vcalendar", c.unclosed)
	}
	if p.capped > 0 {
		l.Warn("recurring events cut short", "source", p.cfg.Name, "series", p.capped, "max_occurrences", maxOccurrences)
	}
}

// matches reports whether one of the match strings occurs in the texts.
func (p *plan) matches(texts ...string) bool { return p.match.Match(texts...) }

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// defaults fills what a zero Config leaves out.
func defaults(cfg Config) Config {
	if cfg.Activity == "" {
		cfg.Activity = harvester.TypeThirdParty
	}
	if cfg.Timezone == nil {
		cfg.Timezone = time.Local
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return cfg
}
