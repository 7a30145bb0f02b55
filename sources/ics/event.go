package ics

import (
	"slices"
	"strings"
	"time"

	ical "github.com/arran4/golang-ical"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/sources/fetch"
)

// occurrence is one dated instance of an event about to become an
// observation: the event that describes it (the series, or the override
// of this very occurrence), its start and its native id.
type occurrence struct {
	v        *vevent
	start    stamp
	id       string
	rrule    string // the series' rule, for an occurrence of one
	expanded bool   // false: a rule that was not expanded (first occurrence only)
}

// observe maps one occurrence; dropped says why it is left out (it
// matches none of match, harvester.DroppedMatch, or is older than Since,
// DroppedSince), "" when it is kept.
func (p *plan) observe(oc occurrence) (o harvester.Observation, dropped string) {
	ev, st := oc.v.ev, oc.start
	summary := harvester.PlainText(value(ev, "SUMMARY"))
	desc := harvester.PlainText(value(ev, "DESCRIPTION"))
	location := harvester.PlainText(value(ev, "LOCATION"))
	organizer, attendees := people(ev)
	if !p.matches(append([]string{summary, desc, location, organizer}, attendees...)...) {
		return harvester.Observation{}, harvester.DroppedMatch
	}
	if !p.cfg.Since.IsZero() && st.t.Before(p.cfg.Since) {
		return harvester.Observation{}, harvester.DroppedSince
	}
	o = harvester.Observation{
		Source: p.cfg.Name, Person: p.cfg.Person, ActivityType: p.cfg.Activity,
		NativeID: oc.id, Title: harvester.Truncate(summary, 300),
		Date: st.t, AllDay: st.allDay, EndDate: oc.v.end(st),
		FeedTitle:  p.name,
		Categories: categories(ev),
		Meta:       map[string]string{},
	}
	if o.Title == "" {
		o.Title = firstNonEmpty(harvester.Truncate(desc, 100), "Untitled event")
	}
	host := p.name
	if p.cfg.Person != "" && strings.Contains(strings.ToLower(host), strings.ToLower(p.cfg.Person)) {
		host = "" // the person's own calendar ("Priya Raman - Speaking") hosts nothing
	}
	o.Description = describe(desc, location, host)
	o.URL = p.ownURL(value(ev, "URL"))
	if organizer != "" {
		o.Authors = []string{organizer}
	}
	p.meta(&o, oc, location)
	return o, ""
}

func (p *plan) meta(o *harvester.Observation, oc occurrence, location string) {
	set := func(k, v string) {
		if v != "" {
			o.Meta[k] = v
		}
	}
	set("location", location)
	set("calendar", p.name)
	set("tz_fallback", oc.start.fallback)
	if o.Date.After(p.cfg.Now()) {
		set("upcoming", "true")
	}
	if oc.rrule != "" {
		set("series", oc.v.uid)
		if oc.expanded {
			set("recurrence", "occurrence of "+oc.rrule)
		} else {
			set("recurrence", oc.rrule+" not expanded: first occurrence only")
		}
	}
	if len(o.Meta) == 0 {
		o.Meta = nil
	}
}

// ownURL is an event's own link, without credentials; "" when it has none
// or names the calendar itself. A calendar's URL is a listing, and may be
// a secret address: it is never an event's link (docs/sources.md#calendars-ics), so
// an event without a page of its own has no URL.
func (p *plan) ownURL(raw string) string {
	u := harvester.HTTPURL(raw)
	if u == "" || slices.Contains(p.listings, harvester.CanonicalURL(u)) {
		return ""
	}
	return fetch.Public(u)
}

// listingKeys are the canonical forms of a calendar's URL, with and
// without its credentials, to compare events' links with.
func listingKeys(raw string) []string {
	var out []string
	for _, u := range []string{harvester.HTTPURL(httpsForWebcal(raw)), fetch.Public(harvester.HTTPURL(httpsForWebcal(raw)))} {
		if c := harvester.CanonicalURL(u); c != "" && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// end is the occurrence's end: start plus the event's span. An all-day
// event's last day is the one before its exclusive DTEND, and a one-day
// event has no separate end.
func (v *vevent) end(st stamp) time.Time {
	if st.allDay {
		if v.spanDays <= 1 {
			return time.Time{}
		}
		return st.t.AddDate(0, 0, v.spanDays-1)
	}
	if v.span <= 0 {
		return time.Time{}
	}
	return st.t.Add(v.span)
}

// describe joins the description, the location and the calendar's name,
// leaving out what the description already says.
func describe(desc string, more ...string) string {
	parts := []string{desc}
	lower := strings.ToLower(desc)
	for _, m := range more {
		if m != "" && !strings.Contains(lower, strings.ToLower(m)) {
			parts = append(parts, m)
			lower += "\x00" + strings.ToLower(m)
		}
	}
	return harvester.JoinNonEmpty(" — ", parts...)
}

// people returns the organizer's and attendees' common names.
func people(ev *ical.VEvent) (organizer string, attendees []string) {
	for i := range ev.Properties {
		pr := &ev.Properties[i]
		switch strings.ToUpper(pr.IANAToken) {
		case "ORGANIZER":
			if organizer == "" {
				organizer = harvester.CleanText(param(pr, "CN"))
			}
		case "ATTENDEE":
			if cn := harvester.CleanText(param(pr, "CN")); cn != "" {
				attendees = append(attendees, cn)
			}
		}
	}
	return organizer, attendees
}

// categories returns the CATEGORIES values, comma-separated in one or
// more properties.
func categories(ev *ical.VEvent) []string {
	var out []string
	for i := range ev.Properties {
		if !strings.EqualFold(ev.Properties[i].IANAToken, "CATEGORIES") {
			continue
		}
		for _, c := range strings.Split(ev.Properties[i].Value, ",") {
			if c = harvester.PlainText(c); c != "" && len(out) < 20 {
				out = append(out, c)
			}
		}
	}
	return out
}
