package ics

import (
	"github.com/contriblog/contriblog/harvester"

	ical "github.com/arran4/golang-ical"
)

// series is one UID: the event that defines it (nil when the calendar
// holds only overrides) and the overrides of single occurrences
// (RECURRENCE-ID) by occurrence key.
type series struct {
	master    *vevent
	overrides map[string]*vevent
	order     []string // override keys in document order
}

// run groups the calendar's events by UID, expands each series into its
// occurrences and maps every occurrence. Of two versions of one event
// the one with the higher SEQUENCE wins, then the later in the document.
func (p *plan) run(cal *ical.Calendar) []harvester.Observation {
	byUID := map[string]*series{}
	var uids []string
	for _, ev := range cal.Events() {
		v, ok := p.newVEvent(ev)
		if !ok {
			p.skipped++
			continue
		}
		s := byUID[v.uid]
		if s == nil {
			s = &series{overrides: map[string]*vevent{}}
			byUID[v.uid] = s
			uids = append(uids, v.uid)
		}
		s.add(v)
	}
	var obs []harvester.Observation
	seen := map[string]bool{}
	for _, uid := range uids {
		if m := byUID[uid].master; m != nil && m.cancelled {
			p.dropped[harvester.DroppedCancelled]++ // the whole series, counted once
			continue
		}
		for _, oc := range p.occurrences(uid, byUID[uid]) {
			if seen[oc.id] {
				continue
			}
			if oc.v.cancelled {
				p.dropped[harvester.DroppedCancelled]++
				continue
			}
			seen[oc.id] = true
			o, why := p.observe(oc)
			if why != "" {
				p.dropped[why]++
				continue
			}
			obs = append(obs, o)
		}
	}
	return obs
}

func (s *series) add(v *vevent) {
	if v.rid == nil {
		if s.master == nil || v.seq >= s.master.seq {
			s.master = v
		}
		return
	}
	k := v.rid.key()
	if old, ok := s.overrides[k]; !ok {
		s.order = append(s.order, k)
	} else if v.seq < old.seq {
		return
	}
	s.overrides[k] = v
}

// occurrences lists the series' occurrences: the master's (expanded when
// it recurs) with overrides in place of the ones they replace, then the
// overrides that replace none of them (moved into the window, or whose
// master the calendar does not hold). A cancelled master cancels them all.
func (p *plan) occurrences(uid string, s *series) []occurrence {
	var out []occurrence
	used := map[string]bool{}
	if m := s.master; m != nil {
		if m.cancelled {
			return nil
		}
		starts, rule, expanded := p.expand(m)
		for _, st := range starts {
			oc := occurrence{v: m, start: st, id: uid, rrule: rule, expanded: expanded}
			if rule != "" && expanded {
				oc.id = uid + "#" + st.key()
			}
			if o := s.overrides[st.key()]; o != nil {
				oc.v, oc.start, used[st.key()] = o, o.start, true
			}
			out = append(out, oc)
		}
	}
	for _, k := range s.order {
		if !used[k] {
			o := s.overrides[k]
			out = append(out, occurrence{v: o, start: o.start, id: uid + "#" + k})
		}
	}
	return out
}
