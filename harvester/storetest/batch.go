package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/contriblog/contriblog/harvester"
)

// batchCases pin what SaveBatches does to observations.
var batchCases = []testCase{
	{"SaveBatches/new observation is stored whole, seen at the pass", func(t *testing.T, s harvester.Store) {
		o := obs("blog", "a")
		if r := save(t, s, item("blog", pass(1), o))[0]; r != (harvester.SaveResult{New: 1}) {
			t.Errorf("result %+v, want one new", r)
		}
		want := o
		want.FirstSeen, want.LastSeen = pass(1), pass(1)
		if got := stored(t, s, "blog", "a"); !same(got, want) {
			t.Errorf("stored\n%+v\nwant\n%+v", got, want)
		}
	}},
	{"SaveBatches/zero Date of a new observation is the pass", func(t *testing.T, s harvester.Store) {
		o := obs("blog", "a")
		o.Date = time.Time{}
		save(t, s, item("blog", pass(1), o))
		if got := stored(t, s, "blog", "a"); !got.Date.Equal(pass(1)) || got.DateFallback != "first_seen" {
			t.Errorf("date %v (%q), want the pass %v (first_seen)", got.Date, got.DateFallback, pass(1))
		}
		// Seen again without a date: it keeps the one it got.
		if r := save(t, s, item("blog", pass(2), o))[0]; r != (harvester.SaveResult{Unchanged: 1}) {
			t.Errorf("seen again: %+v, want unchanged", r)
		}
		if got := stored(t, s, "blog", "a"); !got.Date.Equal(pass(1)) || got.DateFallback != "first_seen" {
			t.Errorf("seen again: date %v (%q), want %v (first_seen)", got.Date, got.DateFallback, pass(1))
		}
	}},
	{"SaveBatches/zero Date keeps the stored Date and DateFallback", func(t *testing.T, s harvester.Store) {
		o := obs("blog", "a")
		o.DateFallback = "updated"
		save(t, s, item("blog", pass(1), o))
		o.Date, o.DateFallback, o.Title = time.Time{}, "", "Retitled"
		if r := save(t, s, item("blog", pass(2), o))[0]; r != (harvester.SaveResult{Updated: 1}) {
			t.Errorf("result %+v, want one updated", r)
		}
		got := stored(t, s, "blog", "a")
		if want := obs("blog", "a").Date; !got.Date.Equal(want) || got.DateFallback != "updated" || got.Title != "Retitled" {
			t.Errorf("got %v (%q) %q, want %v (updated) Retitled", got.Date, got.DateFallback, got.Title, want)
		}
	}},
	{"SaveBatches/unchanged observation only moves LastSeen", func(t *testing.T, s harvester.Store) {
		save(t, s, item("blog", pass(1), obs("blog", "a")))
		again := obs("blog", "a")
		// Seen times and DescriptionOmitted are not content.
		again.FirstSeen, again.LastSeen, again.DescriptionOmitted = pass(9), pass(9), true
		if r := save(t, s, item("blog", pass(2), again))[0]; r != (harvester.SaveResult{Unchanged: 1}) {
			t.Errorf("result %+v, want one unchanged", r)
		}
		want := obs("blog", "a")
		want.FirstSeen, want.LastSeen = pass(1), pass(2)
		if got := stored(t, s, "blog", "a"); !same(got, want) {
			t.Errorf("stored\n%+v\nwant\n%+v", got, want)
		}
	}},
	{"SaveBatches/updated observation replaces the stored one and keeps FirstSeen", func(t *testing.T, s harvester.Store) {
		save(t, s, item("blog", pass(1), obs("blog", "a")))
		o := obs("blog", "a")
		o.Title, o.Categories, o.Metrics = "Retitled", nil, map[string]int64{"views": 11}
		if r := save(t, s, item("blog", pass(2), o))[0]; r != (harvester.SaveResult{Updated: 1}) {
			t.Errorf("result %+v, want one updated", r)
		}
		want := o
		want.FirstSeen, want.LastSeen = pass(1), pass(2)
		if got := stored(t, s, "blog", "a"); !same(got, want) {
			t.Errorf("stored\n%+v\nwant\n%+v", got, want)
		}
	}},
	{"SaveBatches/a changed count or private description is an update", func(t *testing.T, s harvester.Store) {
		save(t, s, item("blog", pass(1), obs("blog", "a"), obs("blog", "b")))
		a, b := obs("blog", "a"), obs("blog", "b")
		a.Counts = map[string]int64{"views": 1201, "attendees": 0}
		b.PrivateDescription, b.HighImpact = "", false
		if r := save(t, s, item("blog", pass(2), a, b))[0]; r != (harvester.SaveResult{Updated: 2}) {
			t.Errorf("result %+v, want two updated", r)
		}
		if got := stored(t, s, "blog", "a"); got.Counts["views"] != 1201 || got.Counts["attendees"] != 0 || len(got.Counts) != 2 {
			t.Errorf("stored counts %v", got.Counts)
		}
		if got := stored(t, s, "blog", "b"); got.PrivateDescription != "" || got.HighImpact || got.MicrosoftEvent != "Ignite" {
			t.Errorf("stored %+v", got)
		}
	}},
	{"SaveBatches/the same instant in another zone is no change", func(t *testing.T, s harvester.Store) {
		save(t, s, item("blog", pass(1), obs("blog", "a")))
		o := obs("blog", "a")
		cet := time.FixedZone("CET", 3600)
		o.Date, o.EndDate = o.Date.In(cet), o.EndDate.In(cet)
		if r := save(t, s, item("blog", pass(2), o))[0]; r != (harvester.SaveResult{Unchanged: 1}) {
			t.Errorf("result %+v, want unchanged", r)
		}
	}},
	{"SaveBatches/dates outside the years 0-9999 are dropped", func(t *testing.T, s harvester.Store) {
		o := obs("blog", "a")
		o.Date, o.EndDate = time.Date(12026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(-5, 1, 1, 0, 0, 0, 0, time.UTC)
		save(t, s, item("blog", pass(1), o))
		got := stored(t, s, "blog", "a")
		if !got.Date.Equal(pass(1)) || got.DateFallback != "first_seen" || !got.EndDate.IsZero() {
			t.Errorf("date %v (%q), end %v; want the pass (first_seen) and no end", got.Date, got.DateFallback, got.EndDate)
		}
	}},
	{"SaveBatches/an observation repeated in a batch counts once, the last winning", func(t *testing.T, s harvester.Store) {
		first, last := obs("blog", "a"), obs("blog", "a")
		last.Title = "The last one"
		if r := save(t, s, item("blog", pass(1), first, last))[0]; r != (harvester.SaveResult{New: 1}) {
			t.Errorf("result %+v, want one new", r)
		}
		if got := stored(t, s, "blog", "a"); got.Title != "The last one" {
			t.Errorf("title %q, want the last one's", got.Title)
		}
		if r := save(t, s, item("blog", pass(2), last, last))[0]; r != (harvester.SaveResult{Unchanged: 1}) {
			t.Errorf("again: %+v, want one unchanged", r)
		}
	}},
	{"SaveBatches/an empty Source is the item's", func(t *testing.T, s harvester.Store) {
		o := obs("", "a")
		save(t, s, item("blog", pass(1), o))
		if got := walk(t, s, harvester.WithDescriptions); len(got) != 1 || got[0].Source != "blog" {
			t.Errorf("stored %+v, want one observation of blog", got)
		}
	}},
	{"SaveBatches/empty slices and maps come back nil", func(t *testing.T, s harvester.Store) {
		o := obs("blog", "a")
		o.OtherURLs, o.Authors, o.Categories, o.AdditionalAreas, o.TargetAudience = []string{}, []string{}, []string{}, []string{}, []string{}
		o.Metrics, o.Meta = map[string]int64{}, map[string]string{}
		save(t, s, item("blog", pass(1), o))
		got := stored(t, s, "blog", "a")
		if got.OtherURLs != nil || got.Authors != nil || got.Categories != nil || got.AdditionalAreas != nil ||
			got.TargetAudience != nil || got.Metrics != nil || got.Meta != nil {
			t.Errorf("stored %+v, want nil slices and maps", got)
		}
		nilled := o
		nilled.OtherURLs, nilled.Authors, nilled.Categories, nilled.AdditionalAreas, nilled.TargetAudience = nil, nil, nil, nil, nil
		nilled.Metrics, nilled.Meta = nil, nil
		if r := save(t, s, item("blog", pass(2), nilled))[0]; r != (harvester.SaveResult{Unchanged: 1}) {
			t.Errorf("the same with nils: %+v, want unchanged", r)
		}
	}},
	{"SaveBatches/results come in the order of the items", func(t *testing.T, s harvester.Store) {
		save(t, s, item("b", pass(1), obs("b", "1")))
		changed := obs("b", "1")
		changed.Title = "Changed"
		got := save(t, s, item("c", pass(2), obs("c", "1"), obs("c", "2")), item("b", pass(2), changed, obs("b", "2")),
			item("a", pass(2)))
		want := []harvester.SaveResult{{New: 2}, {New: 1, Updated: 1}, {}}
		if !same(got, want) {
			t.Errorf("results %+v, want %+v", got, want)
		}
	}},
	{"SaveBatches/a nil batch is an empty one", func(t *testing.T, s harvester.Store) {
		got := save(t, s, harvester.BatchItem{State: harvester.SourceState{Name: "blog"}, Pass: pass(1)})
		if got[0] != (harvester.SaveResult{}) || !state(t, s, "blog").LastSuccess.Equal(pass(1)) {
			t.Errorf("result %+v, state %+v; want nothing saved but the pass", got[0], state(t, s, "blog"))
		}
	}},
	{"SaveBatches/is all or nothing: a refused item stores nothing of any item", func(t *testing.T, s harvester.Store) {
		ctx := context.Background()
		save(t, s, item("kept", pass(1), obs("kept", "1")))
		noID := obs("blog", "")
		stranger := obs("other", "x")
		for _, bad := range []struct {
			name string
			item harvester.BatchItem
		}{
			{"state without a name", item("", pass(2), obs("", "1"))},
			{"observation without a native id", item("blog", pass(2), obs("blog", "1"), noID)},
			{"observation of another source", item("blog", pass(2), stranger)},
		} {
			before := snapshot(t, s)
			good := item("blog", pass(2), obs("blog", "1"))
			again := item("kept", pass(2), obs("kept", "1"), obs("kept", "2"))
			if _, err := s.SaveBatches(ctx, []harvester.BatchItem{good, again, bad.item}); err == nil {
				t.Errorf("%s: saved, want refused", bad.name)
			}
			if after := snapshot(t, s); after != before {
				t.Errorf("%s: refused batches changed the store:\nbefore %s\nafter  %s", bad.name, before, after)
			}
		}
	}},
}
