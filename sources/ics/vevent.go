package ics

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	ical "github.com/arran4/golang-ical"

	"github.com/contriblog/contriblog/harvester"
)

// vevent is one VEVENT with the parts every occurrence shares, parsed once.
type vevent struct {
	ev        *ical.VEvent
	uid       string // UID, or a hash of summary and start when it has none
	rid       *stamp // RECURRENCE-ID: the occurrence this one overrides
	seq       int
	cancelled bool
	start     stamp
	// span is how long it lasts: a duration for timed events, whole days
	// (DTEND exclusive) for all-day ones; zero when it gives no end.
	span     time.Duration
	spanDays int
}

// prop returns the event's first property named name (case-insensitive,
// because real-world calendars are not always upper case).
func prop(ev *ical.VEvent, name string) *ical.IANAProperty {
	for i := range ev.Properties {
		if strings.EqualFold(ev.Properties[i].IANAToken, name) {
			return &ev.Properties[i]
		}
	}
	return nil
}

func value(ev *ical.VEvent, name string) string {
	if p := prop(ev, name); p != nil {
		return p.Value
	}
	return ""
}

// param returns the first value of a property parameter, unquoted.
func param(p *ical.IANAProperty, name string) string {
	for k, v := range p.ICalParameters {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return strings.Trim(v[0], `"`)
		}
	}
	return ""
}

// newVEvent parses what the occurrences of ev share; ok is false when it
// has no usable DTSTART.
func (p *plan) newVEvent(ev *ical.VEvent) (*vevent, bool) {
	sp := prop(ev, "DTSTART")
	if sp == nil {
		return nil, false
	}
	st, err := p.stamp(sp, sp.Value)
	if err != nil {
		return nil, false
	}
	v := &vevent{ev: ev, start: st,
		cancelled: strings.EqualFold(strings.TrimSpace(value(ev, "STATUS")), "CANCELLED")}
	v.seq, _ = strconv.Atoi(strings.TrimSpace(value(ev, "SEQUENCE")))
	v.uid = harvester.CleanText(value(ev, "UID"))
	if v.uid == "" {
		sum := sha256.Sum256([]byte(value(ev, "SUMMARY") + "\x00" + sp.Value))
		v.uid = "sha256:" + hex.EncodeToString(sum[:12])
	}
	if rp := prop(ev, "RECURRENCE-ID"); rp != nil {
		if rs, err := p.stamp(rp, rp.Value); err == nil {
			v.rid = &rs
		}
	}
	p.setSpan(v)
	return v, true
}

// setSpan reads DTEND, else DURATION. An end before the start is no end.
func (p *plan) setSpan(v *vevent) {
	if ep := prop(v.ev, "DTEND"); ep != nil {
		es, err := p.stamp(ep, ep.Value)
		if err != nil {
			return
		}
		if v.start.allDay {
			end := time.Date(es.t.Year(), es.t.Month(), es.t.Day(), 0, 0, 0, 0, time.UTC)
			if es.allDay {
				end = es.t
			}
			v.spanDays = int(end.Sub(v.start.t).Hours() / 24)
		} else if d := es.t.Sub(v.start.t); d > 0 {
			v.span = d
		}
	} else if d, ok := parseDuration(value(v.ev, "DURATION")); ok && d > 0 {
		if v.start.allDay {
			v.spanDays = int(d / (24 * time.Hour))
		} else {
			v.span = d
		}
	}
	v.spanDays = max(v.spanDays, 0)
}

// stamp parses one date or date-time value of property pr: a DATE (all
// day, midnight UTC), a UTC DATE-TIME, one with a TZID, or a floating one.
// raw is the value to read, which for list properties (EXDATE) is one
// element.
func (p *plan) stamp(pr *ical.IANAProperty, raw string) (stamp, error) {
	v := strings.TrimSpace(raw)
	if i := strings.IndexAny(v, ",/"); i >= 0 {
		v = v[:i] // a list, or a PERIOD: its first start
	}
	if !strings.ContainsAny(v, "Tt") || strings.EqualFold(param(pr, "VALUE"), "DATE") {
		d, err := parseDate(v)
		if err != nil {
			return stamp{}, err
		}
		return stamp{t: d, allDay: true, wall: d, loc: time.UTC}, nil
	}
	wall, utc, err := parseWall(v)
	if err != nil {
		return stamp{}, err
	}
	if utc {
		return stamp{t: wall, wall: wall, loc: time.UTC}, nil
	}
	loc, note := p.zones.forTZID(param(pr, "TZID"))
	return stamp{t: inZone(wall, loc), wall: wall, loc: loc, fallback: note}, nil
}

// at returns the stamp of the occurrence whose local clock reads wall.
func (s stamp) at(wall time.Time) stamp {
	o := s
	o.wall = wall
	if s.allDay || s.loc == nil {
		o.t = wall
	} else {
		o.t = inZone(wall, s.loc)
	}
	return o
}

// key names an occurrence the same way whichever zone it was written
// in: the day of an all-day one, else the UTC instant.
func (s stamp) key() string {
	if s.allDay {
		return s.t.Format("20060102")
	}
	return s.t.UTC().Format("20060102T150405Z")
}
