package harvester

import (
	"fmt"
	"math/rand"
	"reflect"
	"slices"
	"testing"
	"time"
)

// randomObs draws n observations from small pools of sources, titles,
// URLs and days, so that every rule fires often and ties are common: one
// harvest pass, so every FirstSeen is the same.
func randomObs(r *rand.Rand, n int) []Observation {
	sources := []string{"blog", "devto", "medium", "cal", "meetup", "sz", "gh", "file", "yt"}
	types := []string{TypeBlog, TypeArticle, TypeThirdParty, TypeUserGroup, TypeVideo, TypePodcast, TypeOpenSource}
	titles := []string{"Zero Trust in Practice", "Cloud Summit: Zero Trust in Practice", "zero-trust in practice!",
		"Bicep modules at scale", "Talk: Bicep modules at scale", "Fix typo in docs", "Episode 12", "Hello"}
	pass := day0.AddDate(1, 0, 0)
	obs := make([]Observation, n)
	for i := range obs {
		o := Observation{Source: sources[r.Intn(len(sources))], NativeID: fmt.Sprint(r.Intn(n)),
			ActivityType: types[r.Intn(len(types))], Title: titles[r.Intn(len(titles))],
			Person: []string{"Priya Raman", "priya raman", "Sam Lee"}[r.Intn(3)],
			Date:   day0.AddDate(0, 0, r.Intn(30)).Add(time.Duration(r.Intn(48)) * time.Hour), FirstSeen: pass, LastSeen: pass}
		if r.Intn(2) == 0 {
			o.Title += fmt.Sprintf(" %d", r.Intn(10))
		}
		o.FeedTitle = []string{"", "Priya's Blog"}[r.Intn(2)]
		if r.Intn(3) == 0 {
			o.Title += " | Priya's Blog"
		}
		if r.Intn(4) > 0 {
			o.URL = fmt.Sprintf("https://%s/p/%d", []string{"priya.dev", "dev.to", "medium.com", "x.example"}[r.Intn(4)], r.Intn(2*n))
		}
		o.URLIsListing = r.Intn(6) == 0
		if r.Intn(5) == 0 {
			o.CanonicalURL = fmt.Sprintf("https://priya.dev/p/%d", r.Intn(2*n))
		}
		if r.Intn(5) == 0 {
			o.OtherURLs = []string{fmt.Sprintf("https://cdn.example/%d.mp3", r.Intn(n))}
		}
		o.AllDay = r.Intn(5) == 0
		if o.AllDay {
			o.Date = time.Date(o.Date.Year(), o.Date.Month(), o.Date.Day(), 0, 0, 0, 0, time.UTC)
		}
		if r.Intn(4) == 0 {
			o.Metrics = map[string]int64{"views": int64(r.Intn(1000))}
		}
		if r.Intn(8) == 0 {
			o.Role = "Panelist"
		}
		if o.ActivityType == TypeOpenSource {
			if k := []string{"pull_request", "issue", "release", ""}[r.Intn(4)]; k != "" {
				o.Meta = map[string]string{"kind": k}
			}
		}
		obs[i] = o
	}
	return obs
}

// randomEdits curates a few rows of log, merging and splitting some.
func randomEdits(r *rand.Rand, log []Contribution) []Edit {
	var edits []Edit
	at := day0.AddDate(2, 0, 0)
	for i := 0; i < len(log)/5; i++ {
		c := &log[r.Intn(len(log))]
		e := NewEdit(c, at.Add(time.Duration(r.Intn(3))*time.Hour))
		switch r.Intn(4) {
		case 0:
			e.Title = ptr(fmt.Sprintf("Curated %d", i))
		case 1:
			e.Exclude = ptr(true)
		case 2:
			o := &log[r.Intn(len(log))]
			e.MergeWith, e.MergeAnchors = []string{o.ID}, anchorKeys(o)
		case 3:
			e.Split = true
		}
		e.ID = fmt.Sprintf("%s-%d", c.ID, i) // several edits per row
		edits = append(edits, e)
	}
	return edits
}

// TestBuildLogOrderIndependent is the property of issue 5 item 5: the log
// does not depend on the order of observations or edits, which is the
// order sources are configured, harvested and items arrive in.
func TestBuildLogOrderIndependent(t *testing.T) {
	for seed := int64(1); seed <= 20; seed++ {
		r := rand.New(rand.NewSource(seed))
		obs := randomObs(r, 300)
		opts := LogOptions{Location: time.UTC, Priority: map[string]int{"file": 3, "yt": -1},
			Areas: []Area{{"Security", []string{"zero trust"}}, {"IaC", []string{"bicep"}}}}
		want := BuildLog(slices.Clone(obs), nil, opts)
		if merged := slices.IndexFunc(want, func(c Contribution) bool { return len(c.Observations) > 2 }); merged < 0 {
			t.Fatalf("seed %d: no row merges three observations; the property would be too easy", seed)
		}
		edits := randomEdits(r, want)
		want = BuildLog(slices.Clone(obs), edits, opts)
		for round := 0; round < 5; round++ {
			o, e := slices.Clone(obs), slices.Clone(edits)
			r.Shuffle(len(o), func(i, j int) { o[i], o[j] = o[j], o[i] })
			r.Shuffle(len(e), func(i, j int) { e[i], e[j] = e[j], e[i] })
			if got := BuildLog(o, e, opts); !reflect.DeepEqual(got, want) {
				t.Fatalf("seed %d round %d: the log depends on the order of observations or edits", seed, round)
			}
		}
	}
}

// TestBuildLogInputUntouched checks that BuildLog leaves its input alone.
func TestBuildLogInputUntouched(t *testing.T) {
	obs := randomObs(rand.New(rand.NewSource(7)), 200)
	before := slices.Clone(obs)
	BuildLog(obs, nil, LogOptions{Location: time.UTC})
	if !reflect.DeepEqual(obs, before) {
		t.Error("BuildLog modified its observations")
	}
}

// TestRuleEdgesMatchPairwise checks the linear-time rules 3 and 3b
// against their definition, every pair compared.
func TestRuleEdgesMatchPairwise(t *testing.T) {
	for seed := int64(1); seed <= 30; seed++ {
		opts := LogOptions{Location: time.UTC, Vocabulary: NewVocabulary(nil)}
		obs := randomObs(rand.New(rand.NewSource(seed)), 400)
		ptrs := make([]*Observation, len(obs))
		for i := range obs {
			ptrs[i] = &obs[i]
		}
		items := newItems(ptrs, &opts)
		fast := newEdgeSet(len(items))
		titleEdges(items, fast)
		speakingEdges(items, fast)
		slow := newUnionFind(len(items))
		for i := range items {
			for j := i + 1; j < len(items); j++ {
				if sameWork(&items[i], &items[j]) || sameTalk(&items[i], &items[j]) {
					slow.union(i, j)
				}
			}
		}
		if got, want := fast.uf.groups(), slow.groups(); !reflect.DeepEqual(got, want) {
			t.Fatalf("seed %d: windowed rules give %d groups, pairwise %d", seed, len(got), len(want))
		}
	}
}

func sameWork(a, b *item) bool {
	if a.o.Source == b.o.Source || a.person != b.person || a.family != b.family || a.kind != b.kind || a.title != b.title ||
		a.day == "" || b.day == "" || !titleQualifies(a.title) {
		return false
	}
	d := a.dayNum - b.dayNum
	if a.speaking {
		return d == 0
	}
	return d >= -sameWorkDays && d <= sameWorkDays
}

func sameTalk(a, b *item) bool {
	return a.speaking && b.speaking && a.o.Source != b.o.Source && a.person == b.person && a.day != "" &&
		a.day == b.day && (containsWords(a.title, b.title) || containsWords(b.title, a.title))
}

// FuzzBuildLog feeds titles and links as a hostile feed might write them
// into three observations: building the log never panics and never
// depends on their order.
func FuzzBuildLog(f *testing.F) {
	f.Add("Zero Trust in Practice | Blog", "https://priya.dev/zt", "Zero Trust in Practice", "https://dev.to/p/zt?utm_source=x", "https://priya.dev/zt/", "Blog", int64(3))
	f.Add("Cloud Summit: Zero Trust in Practice", "", "zero trust in practice", "http://%zz", "mailto:x", "", int64(0))
	f.Add("\xff", "https://[::1]:0/", "", "https://youtu.be/", "https://youtu.be/x", "\xff", int64(-9))
	f.Fuzz(func(t *testing.T, title1, url1, title2, url2, canonical, feed string, days int64) {
		a := blogObs("a", "1", title1, url1, 0)
		b := declares(withFeed(blogObs("b", "2", title2, url2, int(days%30)), feed), canonical)
		c := withOthers(talkObs("c", "3", title2+" "+title1, url1, 0), url2, canonical)
		opts := LogOptions{Location: time.UTC, Areas: []Area{{"x", []string{title1}}}}
		want := BuildLog([]Observation{a, b, c}, nil, opts)
		if got := BuildLog([]Observation{c, b, a}, nil, opts); !reflect.DeepEqual(got, want) {
			t.Fatalf("order dependent:\n%+v\n%+v", got, want)
		}
	})
}

// A log built from observations read without their descriptions is the
// log built from the whole observations once each row's description is
// read from the observation it names.
func TestBriefObservationsBuildTheSameLog(t *testing.T) {
	for seed := range int64(40) {
		r := rand.New(rand.NewSource(seed))
		// A store holds one observation per key.
		byKey := map[string]string{}
		var obs []Observation
		for _, o := range randomObs(r, 60) {
			if _, dup := byKey[o.Key()]; dup {
				continue
			}
			if r.Intn(3) > 0 {
				o.Description = fmt.Sprintf("Description %d of %s", r.Intn(5), o.Title)
			}
			byKey[o.Key()] = o.Description
			obs = append(obs, o)
		}
		brief := slices.Clone(obs)
		for i := range brief {
			brief[i].DescriptionOmitted, brief[i].Description = obs[i].Description != "", ""
		}
		full := BuildLog(obs, nil, LogOptions{Location: time.UTC})
		got := BuildLog(brief, nil, LogOptions{Location: time.UTC})
		if len(got) != len(full) {
			t.Fatalf("seed %d: %d rows from brief observations, %d from whole ones", seed, len(got), len(full))
		}
		for i := range got {
			if got[i].Description != "" {
				t.Fatalf("seed %d: row %s has a description from brief observations", seed, got[i].ID)
			}
			if got[i].DescriptionOf != full[i].DescriptionOf {
				t.Fatalf("seed %d: row %s takes its description from %q, the whole log from %q", seed, got[i].ID, got[i].DescriptionOf, full[i].DescriptionOf)
			}
			if got[i].DescriptionOf != "" {
				got[i].Description = full[i].Description
				if d := byKey[got[i].DescriptionOf]; d != full[i].Description {
					t.Fatalf("seed %d: row %s has description %q, its observation %q", seed, got[i].ID, full[i].Description, d)
				}
			}
		}
		if !reflect.DeepEqual(got, full) {
			t.Fatalf("seed %d: logs differ beyond descriptions", seed)
		}
	}
}
