package harvester

import (
	"cmp"
	"slices"
	"sort"
	"strings"
)

// row is a contribution being built, with what curation and tagging need
// to finish it.
type row struct {
	c            Contribution
	explicitRole string // the role the observations state, "" for the default
	members      []int  // best first (see ranked)
	// keptCounts are the hand-kept counts (formsFields), which a count
	// cleared by an edit shows again; ownCounts is set once c.Counts is a
	// copy that edits may change.
	keptCounts map[string]int64
	ownCounts  bool
}

// syndicationHosts republish or list work that lives elsewhere; their URL
// loses to the author's own (docs/deduplication.md#the-merged-row: "the person's own site first").
var syndicationHosts = []string{"dev.to", "medium.com", "hashnode.dev", "hashnode.com", "linkedin.com",
	"meetup.com", "sessionize.com", "lu.ma"}

// isSyndicated reports whether a canonical URL is on a syndication or
// listing host. YouTube counts only for writing, where a video is a
// companion of the post; for a video it is the work itself.
func isSyndicated(canon, family string) bool {
	host := strings.TrimPrefix(canon, "https://")
	if i := strings.IndexAny(host, "/?"); i >= 0 {
		host = host[:i]
	}
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.HasSuffix(host, "]") {
		host = host[:i]
	}
	match := func(h string) bool {
		return strings.HasSuffix(host, h) && (len(host) == len(h) || host[len(host)-len(h)-1] == '.')
	}
	for _, h := range syndicationHosts {
		if match(h) {
			return true
		}
	}
	return family == FamilyWriting && (match("youtube.com") || match("youtu.be"))
}

// ranked orders a cluster's members best first: the members of the row
// named first by the latest forced merge (see leads; nil when no edit
// merges), then highest source priority, then a real URL off the
// syndication hosts, then the earliest date (undated last), then the
// smallest key.
func ranked(members []int, items []item, prio map[string]int, lead *leads) []int {
	out := append([]int(nil), members...)
	if len(out) < 2 {
		return out
	}
	slices.SortFunc(out, func(x, y int) int {
		if c := lead.compare(x, y); c != 0 {
			return c
		}
		a, b := &items[x], &items[y]
		if pa, pb := prio[a.o.Source], prio[b.o.Source]; pa != pb {
			return cmp.Compare(pb, pa)
		}
		if a.own != b.own {
			return boolFirst(a.own)
		}
		if az, bz := a.o.Date.IsZero(), b.o.Date.IsZero(); az != bz {
			return boolFirst(bz)
		}
		return cmp.Or(a.o.Date.Compare(b.o.Date), cmp.Compare(x, y)) // items are in key order
	})
	return out
}

// anchorOf is the member first seen (ties: smallest ShortID). Its ShortID
// is the row's ID: a listing joining later never changes it, and when two
// rows merge, the older row's ID survives.
func anchorOf(members []int, items []item) int {
	best := members[0]
	for _, i := range members[1:] {
		a, b := &items[i], &items[best]
		if a.o.FirstSeen.Before(b.o.FirstSeen) || a.o.FirstSeen.Equal(b.o.FirstSeen) && a.sid < b.sid {
			best = i
		}
	}
	return best
}

// mergeRow builds one contribution from a cluster's members (docs/deduplication.md#the-merged-row,
// issue 5 item 4) in r, where it stays: a row is hundreds of bytes, and a
// log has a row for most observations. Areas are tagged later, after
// curation.
func mergeRow(r *row, members []int, items []item, opts *LogOptions, lead *leads) {
	order := ranked(members, items, opts.Priority, lead)
	w := items[order[0]].o
	c := &r.c
	*c = Contribution{ID: items[anchorOf(members, items)].sid, Person: w.Person, ActivityType: w.ActivityType,
		Title: items[order[0]].display, Quantity: 1,
		Observations: make([]ObservationRef, 0, len(order))}
	for _, i := range order {
		it := &items[i]
		o := it.o
		c.Person = firstNonEmpty(c.Person, o.Person)
		c.Title = firstNonEmpty(c.Title, it.display)
		if c.DescriptionOf == "" && (o.Description != "" || o.DescriptionOmitted) {
			c.Description, c.DescriptionOf = o.Description, it.key
		}
		if it.day != "" && (c.Date == "" || it.day < c.Date) {
			c.Date = it.day
		}
		if d := o.EndDay(opts.Location); d > c.EndDate {
			c.EndDate = d
		}
		c.Quantity = max(c.Quantity, o.Quantity)
		c.Reach = max(c.Reach, o.Reach)
		c.Sources = append(c.Sources, o.Source)
		c.Observations = append(c.Observations, ObservationRef{Source: o.Source, NativeID: o.NativeID,
			URL: o.OwnURL(), Title: o.Title, Date: it.day, FirstSeen: o.FirstSeen, LastSeen: o.LastSeen})
		c.Metrics = maxMetrics(c.Metrics, o.Metrics)
	}
	// Only counts of people reached are reach; comments, reactions and
	// forks stay in Metrics (issue 15, item 4).
	for _, k := range ReachMetrics {
		c.Reach = max(c.Reach, c.Metrics[k])
	}
	if c.EndDate != "" && c.EndDate < c.Date {
		c.EndDate = ""
	}
	c.Sources = sortedUnique(c.Sources)
	slices.SortFunc(c.Observations, func(a, b ObservationRef) int {
		return cmp.Or(strings.Compare(a.Source, b.Source), strings.Compare(a.NativeID, b.NativeID))
	})
	c.URL, c.OtherURLs = pickURLs(order, items)
	if k := lead.leading(order); k < len(order) {
		// After a forced merge the URL is the leading row's own, never a
		// link that only the other row's members declare.
		if u, _ := pickURLs(order[:k], items); u != "" && u != c.URL {
			setURL(c, u)
		}
	}
	c.TargetAudience = audience(order, items, opts)
	formsFields(r, order, items)
	r.explicitRole, r.members = explicitRole(order, items), order
}

// boolFirst orders the member for which a condition holds first.
func boolFirst(holds bool) int {
	if holds {
		return -1
	}
	return 1
}

// maxMetrics merges metrics by keeping the largest value of each: the
// same views counted by two platforms are not two audiences.
func maxMetrics(dst, src map[string]int64) map[string]int64 {
	for k, v := range src {
		if v < 0 {
			continue
		}
		if dst == nil {
			dst = make(map[string]int64, len(src))
		}
		if cur, ok := dst[k]; !ok || v > cur {
			dst[k] = v
		}
	}
	return dst
}

// explicitRole is the role the observations state: Panelist when any says
// so (a panel is a panel wherever it is listed), else the best member's,
// else any member's.
func explicitRole(order []int, items []item) string {
	var role string
	for _, i := range order {
		r := strings.TrimSpace(items[i].o.Role)
		if strings.EqualFold(r, "Panelist") {
			return "Panelist"
		}
		role = firstNonEmpty(role, r)
	}
	return role
}

// audience is the row's target audience: the members' own (a hand-kept
// entry's target_audience), else their sources' target_audience defaults
// (docs/configuration.md#source-keys). A source's default never adds to what
// an entry says for itself.
func audience(order []int, items []item, opts *LogOptions) []string {
	if own := handKept(order, items, func(o *Observation) []string { return o.TargetAudience }); len(own) > 0 {
		return own
	}
	return handKept(order, items, func(o *Observation) []string { return opts.SourceAudience[o.Source] })
}

// handKept is the union of a hand-kept list over the members, best member
// first, without case-insensitive repeats.
func handKept(order []int, items []item, field func(*Observation) []string) []string {
	var out []string
	for _, i := range order {
		out = appendFold(out, field(items[i].o)...)
	}
	return out
}

func appendFold(list []string, vals ...string) []string {
	for _, v := range vals {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		dup := false
		for _, have := range list {
			dup = dup || strings.EqualFold(have, v)
		}
		if !dup {
			list = append(list, v)
		}
	}
	return list
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func sortedUnique(s []string) []string {
	sort.Strings(s)
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}
