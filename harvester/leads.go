package harvester

import (
	"cmp"
	"sort"
	"time"
)

// leads records which items lead the rows that forced merges made: the
// row named first (`edit A --merge B`: A's observations, the merging
// edit's ID and Anchors) comes first in the merged row (see ranked), so
// that it keeps A's title, URL and description whatever the dates or the
// sources' priorities.
//
// Each merge gives each of its items an entry, rank*4 + a tier: 3 for the
// leading row's own observations, 2 for those an earlier merge had
// joined to it (in MergeAnchors too), 1 for the rows merged in. Entries
// are kept latest first and compared in turn, so a row led by a merge
// keeps its order when merged again.
type leads struct {
	entries [][]int     // per item, latest merge first
	at      []time.Time // per rank-1: when that merge was made
}

// Tiers of a merge's items (see leads).
const (
	tierMerged = 1 // merged in: a row named after the first
	tierJoined = 2 // the first row's, merged into it earlier
	tierOwn    = 3 // the first row's own
)

// mergeLeads returns the leads of edits' forced merges, ranked in the
// order they were made; nil when no edit merges.
func mergeLeads(n int, edits []Edit, ix index) *leads {
	var order []int
	for i := range edits {
		if len(edits[i].MergeWith)+len(edits[i].MergeAnchors) > 0 {
			order = append(order, i)
		}
	}
	if len(order) == 0 {
		return nil
	}
	sort.SliceStable(order, func(a, b int) bool {
		x, y := &edits[order[a]], &edits[order[b]]
		if tx, ty := mergedAt(x), mergedAt(y); !tx.Equal(ty) {
			return tx.Before(ty)
		}
		return x.ID < y.ID
	})
	l := &leads{entries: make([][]int, n), at: make([]time.Time, len(order))}
	for r, k := range order {
		e := &edits[k]
		l.at[r] = mergedAt(e)
		tier := map[int]int{}
		for _, j := range ix.members(e, false) {
			tier[j] = tierOwn
		}
		for _, j := range ix.members(&Edit{MergeWith: e.MergeWith, MergeAnchors: e.MergeAnchors}, true) {
			switch tier[j] {
			case tierOwn, tierJoined:
				tier[j] = tierJoined
			default:
				tier[j] = tierMerged
			}
		}
		for j, t := range tier {
			l.entries[j] = append([]int{(r+1)*4 + t}, l.entries[j]...)
		}
	}
	return l
}

// mergedAt is when e's latest merge was made.
func mergedAt(e *Edit) time.Time {
	if e.Merged.IsZero() {
		return e.Updated
	}
	return e.Merged
}

// compare orders items x and y of one row: negative when x leads.
func (l *leads) compare(x, y int) int {
	if l == nil {
		return 0
	}
	a, b := l.entries[x], l.entries[y]
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return cmp.Compare(b[i], a[i])
		}
	}
	return cmp.Compare(len(b), len(a))
}

// leading counts the members of order (ranked) that lead it as its first
// does; len(order) when no merge leads it.
func (l *leads) leading(order []int) int {
	if l == nil || len(l.entries[order[0]]) == 0 {
		return len(order)
	}
	k := 1
	for k < len(order) && l.compare(order[0], order[k]) == 0 {
		k++
	}
	return k
}
