package ics

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/teambition/rrule-go"

	"github.com/contriblog/contriblog/harvester"
)

// Bounds on the work one calendar can ask for: a hostile or broken feed
// must cost milliseconds, not minutes.
const (
	// maxOccurrences bounds one series inside the window: a daily rule
	// over a year is 366; more is no speaking calendar.
	maxOccurrences = 1000
	// maxSteps bounds the rule iterations spent on one series (a daily
	// rule from 1990 to a year ahead is 13,500 steps).
	maxSteps = 50000
	// stepBudget and maxSeries bound them for the whole calendar; the
	// series beyond keep their first occurrence.
	stepBudget = 200000
	maxSeries  = 200
)

// expandable are the rule parts expanded. Others (BYHOUR, BYWEEKNO,
// BYYEARDAY, ...) and sub-daily frequencies describe no talk series and can
// make rrule-go search for years, so such rules keep their first
// occurrence only.
var expandable = map[string]bool{"FREQ": true, "INTERVAL": true, "COUNT": true, "UNTIL": true,
	"BYDAY": true, "BYMONTHDAY": true, "BYMONTH": true, "BYSETPOS": true, "WKST": true}

// expand returns the starts of the master's occurrences inside the window
// [Since, Until], RDATEs added and EXDATEs removed. rule describes the
// recurrence ("" for a single event); expanded is false when a rule was
// not expanded and only the first occurrence is returned.
func (p *plan) expand(m *vevent) (starts []stamp, rule string, expanded bool) {
	raw := strings.TrimSpace(value(m.ev, "RRULE"))
	rdates := p.dateList(m, "RDATE")
	if raw == "" && len(rdates) == 0 {
		return []stamp{m.start}, "", false
	}
	rule = harvester.Truncate(harvester.CleanText(firstNonEmpty(raw, "RDATE")), 200)
	set := map[string]stamp{}
	if raw != "" {
		walls, err := p.ruleWalls(m, raw)
		if err != nil {
			return []stamp{m.start}, rule + " (" + err.Error() + ")", false
		}
		for _, w := range walls {
			st := m.start.at(w)
			set[st.key()] = st
		}
	}
	if p.inWindow(m.start) {
		set[m.start.key()] = m.start // DTSTART is always the first occurrence (RFC 5545 §3.8.5.3)
	}
	for _, st := range rdates {
		if p.inWindow(st) {
			set[st.key()] = st
		}
	}
	for _, st := range p.dateList(m, "EXDATE") {
		delete(set, st.key())
		if st.allDay && !m.start.allDay { // a date-only EXDATE of a timed series: that day's occurrence
			for k, o := range set {
				if o.wall.Format("20060102") == st.key() {
					delete(set, k)
				}
			}
		}
	}
	for _, st := range set {
		starts = append(starts, st)
	}
	sort.Slice(starts, func(i, j int) bool { return starts[i].t.Before(starts[j].t) })
	return starts, rule, true
}

// ruleWalls iterates the rule over wall-clock times (UTC fields), so that a
// weekly 18:30 talk stays at 18:30 across a DST change, and returns the
// ones whose instants fall in the window.
func (p *plan) ruleWalls(m *vevent, raw string) ([]time.Time, error) {
	if p.series++; p.series > maxSeries || p.steps >= stepBudget {
		return nil, fmt.Errorf("more than %d recurring events", maxSeries)
	}
	opt, err := ruleOptions(raw, m.start)
	if err != nil {
		return nil, err
	}
	r, err := rrule.NewRRule(*opt)
	if err != nil {
		return nil, fmt.Errorf("bad RRULE: %w", err)
	}
	if !occurs(*opt) {
		return nil, fmt.Errorf("the rule never occurs")
	}
	var walls []time.Time
	limit := wallOf(p.until, m.start.loc).AddDate(0, 0, 2)
	next := r.Iterator()
	for steps := 0; steps < maxSteps && p.steps < stepBudget; steps++ {
		p.steps++
		w, ok := next()
		if !ok || w.After(limit) {
			break
		}
		st := m.start.at(w)
		if st.t.After(p.until) {
			break
		}
		if !p.inWindow(st) {
			continue
		}
		if len(walls) == maxOccurrences {
			p.capped++
			break
		}
		walls = append(walls, w)
	}
	return walls, nil
}

// ruleOptions parses an RRULE for iteration from start's wall clock. It
// refuses the rules expand does not handle, saying why.
func ruleOptions(raw string, start stamp) (*rrule.ROption, error) {
	raw = strings.TrimPrefix(strings.ToUpper(raw), "RRULE:")
	var until string
	for _, kv := range strings.Split(raw, ";") {
		k, v, _ := strings.Cut(strings.TrimSpace(kv), "=")
		switch {
		case k == "":
			continue
		case !expandable[k]:
			return nil, fmt.Errorf("%s not supported", k)
		case k == "FREQ" && v != "DAILY" && v != "WEEKLY" && v != "MONTHLY" && v != "YEARLY":
			return nil, fmt.Errorf("FREQ=%s not supported", v)
		case k == "UNTIL":
			until = v
		}
	}
	opt, err := rrule.StrToROptionInLocation(raw, time.UTC)
	if err != nil {
		return nil, fmt.Errorf("bad RRULE: %w", err)
	}
	if !possible(opt.Bymonth, opt.Bymonthday) {
		return nil, fmt.Errorf("BYMONTH and BYMONTHDAY never meet")
	}
	opt.Dtstart = start.wall
	if until != "" {
		opt.Until = untilWall(until, start)
	}
	return opt, nil
}

// occurs probes whether a rule produces anything at all. rrule-go looks
// for the next occurrence up to the year 9999, which for a rule that never
// occurs (DAILY;BYSETPOS=2) is most of a second of work per event; the
// same rule started in 9972, a leap year, needs it only for the 28 years
// in which the calendar repeats, so a rule without an occurrence there is
// taken to have none.
func occurs(opt rrule.ROption) bool {
	d := opt.Dtstart
	opt.Dtstart = time.Date(9972, d.Month(), d.Day(), d.Hour(), d.Minute(), d.Second(), 0, time.UTC)
	opt.Count, opt.Until = 0, time.Time{}
	r, err := rrule.NewRRule(opt)
	if err != nil {
		return false
	}
	_, ok := r.Iterator()()
	return ok
}

// untilWall reads UNTIL on the wall clock the iteration runs on: a UTC
// UNTIL is converted to the event's zone, a date-only one lasts the day.
func untilWall(v string, start stamp) time.Time {
	wall, utc, err := parseWall(v)
	if err != nil {
		d, err := parseDate(v)
		if err != nil {
			return time.Time{}
		}
		if start.allDay {
			return d
		}
		return d.Add(24*time.Hour - time.Second)
	}
	if utc && start.loc != nil && !start.allDay {
		return wallOf(wall, start.loc)
	}
	return wall
}

// possible reports whether some BYMONTH month has some BYMONTHDAY day, so
// that rrule-go is never asked to search to the year 9999 for none.
func possible(months, days []int) bool {
	if len(months) == 0 || len(days) == 0 {
		return true
	}
	length := [13]int{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
	for _, m := range months {
		for _, d := range days {
			if m >= 1 && m <= 12 && (d < 0 && -d <= length[m] || d > 0 && d <= length[m]) {
				return true
			}
		}
	}
	return false
}

func (p *plan) inWindow(st stamp) bool {
	return (p.cfg.Since.IsZero() || !st.t.Before(p.cfg.Since)) && !st.t.After(p.until)
}

// dateList reads every value of every property named name (RDATE,
// EXDATE: comma-separated lists, each property with its own TZID).
func (p *plan) dateList(m *vevent, name string) []stamp {
	var out []stamp
	for i := range m.ev.Properties {
		pr := &m.ev.Properties[i]
		if !strings.EqualFold(pr.IANAToken, name) {
			continue
		}
		for _, v := range strings.Split(pr.Value, ",") {
			if st, err := p.stamp(pr, v); err == nil && len(out) < maxOccurrences {
				out = append(out, st)
			}
		}
	}
	return out
}
