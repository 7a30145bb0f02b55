package harvester

import (
	"slices"
	"sort"
	"strings"
)

// index finds items by store key and by ShortID.
type index struct {
	byKey map[string]int
	bySID map[string]int
}

// newIndex indexes items for edits; without edits there is nothing to
// look up, and a log of 50,000 observations need not pay for the maps.
func newIndex(items []item, edits []Edit) index {
	if len(edits) == 0 {
		return index{}
	}
	ix := index{byKey: make(map[string]int, len(items)), bySID: make(map[string]int, len(items))}
	for i := range items {
		ix.byKey[items[i].key] = i
		ix.bySID[items[i].sid] = i
	}
	return ix
}

// members are the items an edit names, where stored: the observation its
// ID was made from, then its anchors, and with withMerge also the rows it
// forced into its own (MergeWith ids and MergeAnchors).
func (ix index) members(e *Edit, withMerge bool) []int {
	var out []int
	if i, ok := ix.bySID[e.ID]; ok {
		out = append(out, i)
	}
	for _, k := range e.Anchors {
		if i, ok := ix.byKey[k]; ok {
			out = append(out, i)
		}
	}
	if !withMerge {
		return out
	}
	for _, id := range e.MergeWith {
		if i, ok := ix.bySID[id]; ok {
			out = append(out, i)
		}
	}
	for _, k := range e.MergeAnchors {
		if i, ok := ix.byKey[k]; ok {
			out = append(out, i)
		}
	}
	return out
}

// splitMembers are the items a split edit keeps apart, where stored: the
// observation its ID was made from and its SplitAnchors (its Anchors when
// it was stored before SplitAnchors were).
func (ix index) splitMembers(e *Edit) []int {
	if e.SplitAnchors == nil {
		return ix.members(e, false)
	}
	var out []int
	if i, ok := ix.bySID[e.ID]; ok {
		out = append(out, i)
	}
	for _, k := range e.SplitAnchors {
		if i, ok := ix.byKey[k]; ok {
			out = append(out, i)
		}
	}
	return out
}

// partition applies the rule edges and the structural edits. Forced
// merges (--merge) join what the rules keep apart. A split (--split)
// makes every observation of its row a row of its own, whatever the rules
// say, now and after later harvests: the rule edges of every observation
// in the split row (as the rules and merges would build it) are left out.
// Forced merges still hold across a split (the edit helpers clear the
// merges of the row being split, see Curate), so a person can split a row
// and then merge some of its parts back.
func partition(n int, edges [][2]int, edits []Edit, ix index) unionFind {
	build := func(skip []bool) unionFind {
		u := newUnionFind(n)
		for _, e := range edges {
			if skip == nil || (!skip[e[0]] && !skip[e[1]]) {
				u.union(e[0], e[1])
			}
		}
		for i := range edits {
			if len(edits[i].MergeAnchors) == 0 && len(edits[i].MergeWith) == 0 {
				continue
			}
			m := ix.members(&edits[i], true)
			for _, j := range m {
				u.union(m[0], j)
			}
		}
		return u
	}
	u := build(nil)
	roots := map[int]bool{}
	for i := range edits {
		if edits[i].Split {
			for _, j := range ix.splitMembers(&edits[i]) {
				roots[u.find(j)] = true
			}
		}
	}
	if len(roots) == 0 {
		return u
	}
	split := make([]bool, n)
	for j := range split {
		split[j] = roots[u.find(j)]
	}
	return build(split)
}

// applyEdits sets the curated fields of the rows edits point at: the row
// holding the observation the edit's ID was made from, else the row
// holding any of its anchors. Later edits win (a merge records the first
// row's curated values in its edit, see Curate).
func applyEdits(rows []row, rowOf []int, edits []Edit, ix index) {
	order := make([]int, len(edits))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return editBefore(&edits[order[a]], &edits[order[b]]) })
	for _, k := range order {
		e := &edits[k]
		m := ix.members(e, false)
		if len(m) == 0 {
			continue // its observations are gone from the store
		}
		rows[rowOf[m[0]]].apply(e)
	}
}

// apply sets one edit's fields on the row and records them as curated. A
// value no edit helper would store (a malformed date, a negative reach) is
// ignored rather than exported.
func (r *row) apply(e *Edit) {
	c := &r.c
	if e.Exclude != nil {
		c.Excluded = *e.Exclude
		r.curate("excluded")
	}
	if e.ActivityType != nil {
		c.ActivityType = *e.ActivityType
		r.curate("activity_type")
	}
	if e.Title != nil {
		c.Title = *e.Title
		r.curate("title")
	}
	if e.Date != nil && validDate(*e.Date) {
		c.Date = *e.Date
		if c.EndDate != "" && c.EndDate < c.Date {
			c.EndDate = "" // an end before the start would be nonsense
		}
		r.curate("date")
	}
	if e.Role != nil {
		c.Role = *e.Role
		r.curate("role")
	}
	if e.Area != nil {
		c.PrimaryArea = *e.Area // tagRow keeps it and drops it from the additional areas
		r.curate("primary_area")
	}
	if e.Reach != nil && *e.Reach >= 0 {
		c.Reach = *e.Reach
		r.curate("reach")
	}
	if e.Quantity != nil && *e.Quantity >= 1 {
		c.Quantity = *e.Quantity
		r.curate("quantity")
	}
	if e.URL != nil && checkEditURL(*e.URL) == nil && *e.URL != "" {
		setURL(c, *e.URL)
		r.curate("url")
	}
	if e.Description != nil {
		c.Description, c.DescriptionOf = *e.Description, ""
		r.curate("description")
	}
	if e.TargetAudience != nil {
		c.TargetAudience = append([]string(nil), e.TargetAudience...)
		r.curate("target_audience")
	}
	if e.AdditionalAreas != nil {
		c.AdditionalAreas = append([]string(nil), e.AdditionalAreas...) // tagRow keeps them
		r.curate("additional_areas")
	}
	r.applyForms(e)
}

// setURL makes u the row's Activity URL; the harvested one, when another
// link, stays among the other URLs, so nothing harvested is hidden.
func setURL(c *Contribution, u string) {
	if c.URL != "" && urlKey(c.URL) != urlKey(u) && !slices.Contains(c.OtherURLs, c.URL) {
		c.OtherURLs = append(c.OtherURLs, c.URL)
	}
	others := c.OtherURLs[:0:0]
	for _, o := range c.OtherURLs {
		if urlKey(o) != urlKey(u) {
			others = append(others, o)
		}
	}
	sort.Strings(others)
	c.URL, c.OtherURLs = u, others
}

// editBefore orders edits as they were made: by Updated, then by ID.
func editBefore(a, b *Edit) bool {
	if !a.Updated.Equal(b.Updated) {
		return a.Updated.Before(b.Updated)
	}
	return a.ID < b.ID
}

func (r *row) curate(field string) {
	for _, f := range r.c.Curated {
		if f == field {
			return
		}
	}
	r.c.Curated = append(r.c.Curated, field)
}

func (r *row) curated(field string) bool {
	for _, f := range r.c.Curated {
		if f == field {
			return true
		}
	}
	return false
}

func removeFold(list []string, s string) []string {
	var out []string
	for _, v := range list {
		if !strings.EqualFold(v, s) {
			out = append(out, v)
		}
	}
	return out
}
