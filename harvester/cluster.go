package harvester

import (
	"cmp"
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// item is an observation with everything the rules compare, computed once.
type item struct {
	o        *Observation
	key, sid string
	canon    string // CanonicalURL of URL, "" when a listing or no identity
	decl     string // CanonicalURL of the declared canonical link
	display  string // DisplayTitle with the observation's feed title
	title    string // NormalizeTitle with the observation's feed title
	specific bool   // titleQualifies(title)
	family   string
	kind     string // Observation.Kind, for code only: rule 3 never joins two kinds
	person   string // folded, so that "priya raman" is "Priya Raman"
	day      string // YYYY-MM-DD in the person's zone, "" when undated
	dayNum   int64  // day as days since 1970
	speaking bool
	own      bool   // URL is a real page off the syndication hosts
	urlKey   string // what makes URL equal to another link
}

// sameWorkDays is how many days apart two listings of one work may be
// dated (rule 3).
const sameWorkDays = 7

// newItems prepares the observations for clustering, in key order so that
// nothing depends on the order they came in. Two observations with one
// key are one (rule 4): the one seen last is kept.
func newItems(obs []*Observation, opts *LogOptions) []item {
	type keyed struct {
		key string
		o   *Observation
	}
	ks := make([]keyed, len(obs))
	for i, o := range obs {
		ks[i] = keyed{o.Key(), o}
	}
	slices.SortFunc(ks, func(a, b keyed) int { return strings.Compare(a.key, b.key) })
	unique := ks[:0]
	for i := 0; i < len(ks); {
		best := ks[i]
		j := i + 1
		for ; j < len(ks) && ks[j].key == ks[i].key; j++ {
			if seenLater(ks[j].o, best.o) {
				best.o = ks[j].o
			}
		}
		unique = append(unique, best)
		i = j
	}
	items := make([]item, len(unique))
	inParallel(len(unique), func(lo, hi int) {
		m := newMemo(opts)
		for i := lo; i < hi; i++ {
			items[i] = m.item(unique[i].o, unique[i].key)
		}
	})
	return items
}

// seenLater decides between two observations with one key: the later
// LastSeen, else a fixed order of their content (a store never holds two,
// but the log must not depend on which one came first).
func seenLater(a, b *Observation) bool {
	if !a.LastSeen.Equal(b.LastSeen) {
		return a.LastSeen.After(b.LastSeen)
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) > string(jb)
}

// memo computes what many observations share (a family, a person, a feed
// title) once per distinct value.
type memo struct {
	opts   *LogOptions
	family map[string]string
	folded map[string]string
}

func newMemo(opts *LogOptions) *memo {
	return &memo{opts: opts, family: map[string]string{}, folded: map[string]string{}}
}

func (m *memo) fold(s string) string {
	f, ok := m.folded[s]
	if !ok {
		f = foldTitle(s)
		m.folded[s] = f
	}
	return f
}

func (m *memo) item(o *Observation, key string) item {
	fam, ok := m.family[o.ActivityType]
	if !ok {
		fam = m.opts.Vocabulary.Family(o.ActivityType)
		m.family[o.ActivityType] = fam
	}
	it := item{o: o, key: key, sid: ShortID(key), family: fam, person: m.fold(o.Person),
		speaking: fam == FamilySpeaking}
	if fam == FamilyCode {
		it.kind = o.Kind(m.opts.Vocabulary)
	}
	it.display = displayTitle(o.Title, m.fold(o.FeedTitle))
	it.title = foldTitle(it.display)
	it.specific = titleQualifies(it.title)
	if !o.URLIsListing {
		it.canon = CanonicalURL(o.URL)
	}
	it.decl = CanonicalURL(o.CanonicalURL)
	it.urlKey = it.canon
	if it.canon == "" {
		it.urlKey = urlKey(o.URL)
	}
	it.own = it.canon != "" && !isSyndicated(it.canon, it.family)
	if !o.Date.IsZero() {
		t := o.Date.UTC()
		if !o.AllDay {
			t = o.Date.In(m.opts.Location)
		}
		y, mo, d := t.Date()
		it.day = formatDay(t, y, mo, d)
		it.dayNum = time.Date(y, mo, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
	}
	return it
}

// formatDay is t.Format(DateLayout), t being y-mo-d, without the cost of
// a layout: a rebuild formats a day for every observation.
func formatDay(t time.Time, y int, mo time.Month, d int) string {
	if y < 0 || y > 9999 {
		return t.Format(DateLayout)
	}
	b := [10]byte{byte('0' + y/1000), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10), '-',
		byte('0' + mo/10), byte('0' + mo%10), '-', byte('0' + d/10), byte('0' + d%10)}
	return string(b[:])
}

// ruleEdges lists pairs of items that rules 1, 2, 3 and 3b make one
// contribution: a spanning forest per rule, the rules run side by side.
// Edges rather than a finished partition, so that a split edit can leave
// out the edges of the observations it separates (all of them, so a pair
// two rules both join is no matter). Which forests come out may depend on
// map order; the partition they span does not, and nothing else is used.
func ruleEdges(items []item) [][2]int {
	rules := []func([]item, *edgeSet){urlEdges, titleEdges, speakingEdges}
	sets := make([]*edgeSet, len(rules))
	var wg sync.WaitGroup
	for r, rule := range rules {
		sets[r] = newEdgeSet(len(items))
		wg.Go(func() { rule(items, sets[r]) })
	}
	wg.Wait()
	var edges [][2]int
	for _, es := range sets {
		edges = append(edges, es.edges...)
	}
	return edges
}

// titleEdges joins items of the same person and family whose titles are
// equal and specific, from different sources, dated at most a week apart
// (rule 3); talks must be on the same day, since the same talk a few days
// later is another event. One source listing one title twice lists two
// works ("Fix typo in docs", a monthly meetup). Code contributions join
// only their own kind: a pull request and the issue it fixes often share
// a title, and one person's two GitHub logins are two sources.
func titleEdges(items []item, es *edgeSet) {
	type work struct{ person, family, kind, title string }
	buckets := make(map[work][]int, len(items))
	for i := range items {
		it := &items[i]
		if it.day == "" || !it.specific {
			continue
		}
		k := work{it.person, it.family, it.kind, it.title}
		buckets[k] = append(buckets[k], i)
	}
	for _, b := range buckets {
		if len(b) > 1 {
			bucketTitleEdges(items, b, es)
		}
	}
}

// bucketTitleEdges joins the items of one title bucket across sources. One
// source may list a title thousands of times, so the items are split by
// source and each pair of sources is walked with a sliding window of days:
// an item is joined to the first in-window item of the other source and
// the in-window items of that source are chained, which gives the same
// clusters as joining every pair, in linear time.
func bucketTitleEdges(items []item, b []int, es *edgeSet) {
	bySource := map[string][]int{}
	var names []string
	for _, i := range b {
		s := items[i].o.Source
		if bySource[s] == nil {
			names = append(names, s)
		}
		bySource[s] = append(bySource[s], i)
	}
	if len(names) < 2 {
		return
	}
	sort.Strings(names)
	for _, s := range names {
		l := bySource[s]
		slices.SortFunc(l, func(x, y int) int {
			return cmp.Or(cmp.Compare(items[x].dayNum, items[y].dayNum), cmp.Compare(x, y))
		})
	}
	window := int64(sameWorkDays)
	if items[b[0]].speaking {
		window = 0
	}
	for x, s := range names {
		for _, t := range names[x+1:] {
			windowEdges(items, bySource[s], bySource[t], window, es)
		}
	}
}

func windowEdges(items []item, a, b []int, window int64, es *edgeSet) {
	// a is sorted by day, so both ends of the window only move forward.
	lo, hi, chained := 0, 0, 0
	for _, i := range a {
		d := items[i].dayNum
		for lo < len(b) && items[b[lo]].dayNum < d-window {
			lo++
		}
		hi = max(hi, lo)
		for hi < len(b) && items[b[hi]].dayNum <= d+window {
			hi++
		}
		if hi == lo {
			continue
		}
		es.add(i, b[lo])
		for chained = max(chained, lo); chained < hi-1; chained++ {
			es.add(b[chained], b[chained+1])
		}
	}
}

// speakingEdges joins talks of one person on one day whose titles contain
// one another as whole words (rule 3b: "Cloud Summit 2025: Zero Trust in
// Practice" and "Zero Trust in Practice"), from different sources.
func speakingEdges(items []item, es *edgeSet) {
	type talkDay struct{ person, day string }
	buckets := map[talkDay][]int{}
	for i := range items {
		it := &items[i]
		if !it.speaking || it.day == "" || it.title == "" {
			continue
		}
		k := talkDay{it.person, it.day}
		buckets[k] = append(buckets[k], i)
	}
	for _, b := range buckets {
		for x := range b {
			for y := x + 1; y < len(b); y++ {
				a, c := &items[b[x]], &items[b[y]]
				if a.o.Source != c.o.Source && (c.specific && containsSeq(a.title, c.title) || a.specific && containsSeq(c.title, a.title)) {
					es.add(b[x], b[y])
				}
			}
		}
	}
}
