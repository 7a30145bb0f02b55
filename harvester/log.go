package harvester

import (
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// Area is a technology area of the config's `areas:` map: its name and the
// keywords (case-insensitive) that tag a contribution with it.
type Area struct {
	Name     string
	Keywords []string
}

// LogOptions is what building the log needs besides observations and
// edits.
type LogOptions struct {
	// Location is the person's time zone for dates (default time.Local).
	Location *time.Location
	// Vocabulary gives each activity type's family and default role.
	Vocabulary *Vocabulary
	// Areas tag contributions, in config order.
	Areas []Area
	// Priority is each source's `priority` (whose URL and title win a merge).
	Priority map[string]int
	// SourceAreas are each source's extra `areas` tags.
	SourceAreas map[string][]string
	// SourceAudience is each source's `target_audience`: the rows of its
	// observations that state none of their own get it.
	SourceAudience map[string][]string
}

// BuildLog computes the contribution log from every stored observation and
// every curation edit (docs/deduplication.md):
//
//  1. observations are clustered by the rules — same canonical URL,
//     declared canonical, same work at the same time, the same talk in two
//     listings — and by the edits' forced merges and splits;
//  2. each cluster becomes one row (mergeRow): earliest date, the best
//     member's URL, title and description (after a forced merge, the
//     row named first leads), every other URL and source;
//  3. field edits win over harvested values, then rows are tagged with
//     technology areas and given their role.
//
// A row's ID is the ShortID of its anchor, the member observation seen
// first (ties: smallest ShortID), so it survives harvests that add
// listings, and when two rows merge the older ID survives. Edits follow
// the observations they were made on (see Edit). Excluded rows stay in
// the log, marked Excluded. The log is ordered by date, then ID, and is
// the same whatever the order of obs and edits; obs is not modified.
//
// Observations read without their description (DescriptionOmitted) give
// rows with DescriptionOf set and Description empty; areas are then tagged
// without the descriptions' words, so RebuildLog reads them in full when
// areas are configured.
func BuildLog(obs []Observation, edits []Edit, opts LogOptions) []Contribution {
	ptrs := make([]*Observation, len(obs))
	for i := range obs {
		ptrs[i] = &obs[i]
	}
	return buildLog(ptrs, edits, opts)
}

// buildLog is BuildLog on pointers: a rebuild keeps the observations the
// store gives it where they are.
func buildLog(obs []*Observation, edits []Edit, opts LogOptions) []Contribution {
	if opts.Vocabulary == nil {
		opts.Vocabulary = NewVocabulary(nil)
	}
	if opts.Location == nil {
		opts.Location = time.Local
	}
	items := newItems(obs, &opts)
	ix := newIndex(items, edits)
	groups := partition(len(items), ruleEdges(items), edits, ix).groups()
	lead := mergeLeads(len(items), edits, ix)
	rows := make([]row, len(groups))
	rowOf := make([]int, len(items))
	inParallel(len(groups), func(lo, hi int) {
		for g := lo; g < hi; g++ {
			mergeRow(&rows[g], groups[g], items, &opts, lead)
			for _, i := range groups[g] {
				rowOf[i] = g
			}
		}
	})
	applyEdits(rows, rowOf, edits, ix)
	tags := newTagger(opts.Areas)
	inParallel(len(rows), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			r := &rows[i]
			tagRow(r, items, &opts, tags)
			if !r.curated("role") {
				r.c.Role = firstNonEmpty(r.explicitRole, opts.Vocabulary.Role(r.c.ActivityType))
			}
			sort.Strings(r.c.Curated)
		}
	})
	// Sorted by small keys, not by moving rows of 400 bytes about.
	type sortKey struct {
		date, id string
		row      int
	}
	order := make([]sortKey, len(rows))
	for i := range rows {
		order[i] = sortKey{rows[i].c.Date, rows[i].c.ID, i}
	}
	order = sortInParallel(order, func(a, b sortKey) int {
		if c := strings.Compare(a.date, b.date); c != 0 {
			return c
		}
		return strings.Compare(a.id, b.id)
	})
	log := make([]Contribution, len(rows))
	inParallel(len(order), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			log[i] = rows[order[i].row].c
		}
	})
	return log
}

// sortInParallel sorts s by cmp, its two halves side by side and then
// merged: the sort of a 50,000-row log ran alone on one CPU at the end of
// a harvest. Like slices.SortFunc it is not stable (the log's keys are
// unique). It may return a new slice.
func sortInParallel[E any](s []E, cmp func(a, b E) int) []E {
	if len(s) < 4096 || runtime.GOMAXPROCS(0) < 2 {
		slices.SortFunc(s, cmp)
		return s
	}
	a, b := s[:len(s)/2], s[len(s)/2:]
	var wg sync.WaitGroup
	wg.Go(func() { slices.SortFunc(a, cmp) })
	slices.SortFunc(b, cmp)
	wg.Wait()
	out := make([]E, 0, len(s))
	for len(a) > 0 && len(b) > 0 {
		if cmp(b[0], a[0]) < 0 {
			out, b = append(out, b[0]), b[1:]
		} else {
			out, a = append(out, a[0]), a[1:]
		}
	}
	return append(append(out, a...), b...)
}

// inParallel calls fn on consecutive parts of [0, n), one per CPU, and
// waits for them: building the log is CPU work on every row, done after
// the last fetch while nothing else runs. Small inputs get one part.
func inParallel(n int, fn func(lo, hi int)) {
	parts := min(runtime.GOMAXPROCS(0), n/1024+1)
	if parts <= 1 {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	size := (n + parts - 1) / parts
	for lo := 0; lo < n; lo += size {
		wg.Go(func() { fn(lo, min(lo+size, n)) })
	}
	wg.Wait()
}
