package storetest

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/contriblog/contriblog/harvester"
)

// stateCases pin how the store keeps sources' states.
var stateCases = []testCase{
	{"SourceState/of a source never seen is zero with its name", func(t *testing.T, s harvester.Store) {
		if got := state(t, s, "nobody"); !same(got, harvester.SourceState{Name: "nobody"}) {
			t.Errorf("got %+v", got)
		}
	}},
	{"SourceStates/are sorted by name", func(t *testing.T, s harvester.Store) {
		ctx := context.Background()
		for _, name := range []string{"m", "z", "a"} {
			if err := s.SaveState(ctx, harvester.SourceState{Name: name}); err != nil {
				t.Fatal(err)
			}
		}
		save(t, s, item("b", pass(1)))
		var got []string
		for _, st := range states(t, s) {
			got = append(got, st.Name)
		}
		if !same(got, []string{"a", "b", "m", "z"}) {
			t.Errorf("names %v, want a b m z", got)
		}
	}},
	{"SaveState/stores the state as it is", func(t *testing.T, s harvester.Store) {
		want := fullState()
		if err := s.SaveState(context.Background(), want); err != nil {
			t.Fatal(err)
		}
		if got := state(t, s, "blog"); !same(got, want) {
			t.Errorf("got\n%+v\nwant\n%+v", got, want)
		}
	}},
	{"SaveState/an empty Data comes back nil", func(t *testing.T, s harvester.Store) {
		if err := s.SaveState(context.Background(), harvester.SourceState{Name: "blog", Data: map[string]string{}}); err != nil {
			t.Fatal(err)
		}
		if got := state(t, s, "blog"); got.Data != nil {
			t.Errorf("data %#v, want nil", got.Data)
		}
	}},
	{"SaveState and SaveFailure/refuse a state without a name", func(t *testing.T, s harvester.Store) {
		ctx := context.Background()
		if err := s.SaveState(ctx, harvester.SourceState{Type: "feed"}); err == nil {
			t.Error("SaveState stored a state without a name")
		}
		if err := s.SaveFailure(ctx, harvester.SourceState{Type: "feed"}, pass(1), errors.New("x")); err == nil {
			t.Error("SaveFailure stored a state without a name")
		}
		if got := states(t, s); len(got) != 0 {
			t.Errorf("states %+v, want none", got)
		}
	}},
	{"SaveBatches/a new source starts from the given state", func(t *testing.T, s harvester.Store) {
		given := fullState()
		it := harvester.BatchItem{State: given, Batch: &harvester.Batch{Observations: []harvester.Observation{obs("blog", "1")},
			ETag: `"e1"`}, Pass: pass(1)}
		save(t, s, it)
		want := given
		want.LastRun, want.LastSuccess, want.LastError, want.Failures, want.FailingSince = pass(1), pass(1), "", 0, time.Time{}
		want.ETag, want.LastModified = `"e1"`, ""
		want.Items, want.LastNew, want.LastUpdated, want.LastUnchanged = 1, 1, 0, 0
		want.LastRead, want.LastSeen, want.LastKept, want.LastDropped, want.Config, want.ReadSince = pass(1), 0, 1, nil, "", ""
		if got := state(t, s, "blog"); !same(got, want) {
			t.Errorf("got\n%+v\nwant\n%+v", got, want)
		}
	}},
	{"SaveBatches/a stored source keeps its state but for the pass", func(t *testing.T, s harvester.Store) {
		ctx := context.Background()
		kept := fullState()
		kept.Failures, kept.FailingSince, kept.LastError = 0, time.Time{}, ""
		if err := s.SaveState(ctx, kept); err != nil {
			t.Fatal(err)
		}
		given := harvester.SourceState{Name: "blog", Type: "ics", NextTry: pass(7), Data: map[string]string{"other": "1"},
			ETag: "given", Items: 1000}
		save(t, s, harvester.BatchItem{State: given, Batch: &harvester.Batch{ETag: `"e1"`, LastModified: "Mon"}, Pass: pass(1)})
		want := kept
		want.Type, want.LastRun, want.LastSuccess, want.ETag, want.LastModified = "ics", pass(1), pass(1), `"e1"`, "Mon"
		want.LastNew, want.LastUpdated, want.LastUnchanged = 0, 0, 0
		want.LastRead, want.LastSeen, want.LastKept, want.LastDropped, want.Config, want.ReadSince = pass(1), 0, 0, nil, "", ""
		if got := state(t, s, "blog"); !same(got, want) {
			t.Errorf("got\n%+v\nwant\n%+v", got, want)
		}
		// An empty type keeps the stored one; NotModified keeps the
		// validators; non-nil Data replaces the stored.
		data := map[string]string{"etag:x": "1"}
		save(t, s, harvester.BatchItem{State: harvester.SourceState{Name: "blog"},
			Batch: &harvester.Batch{NotModified: true, ETag: `"e2"`, Data: data}, Pass: pass(2)})
		want.LastRun, want.LastSuccess, want.Data = pass(2), pass(2), data
		if got := state(t, s, "blog"); !same(got, want) {
			t.Errorf("after a 304: got\n%+v\nwant\n%+v", got, want)
		}
	}},
	{"SaveBatches/a full read records its fingerprint, window and counts; a 304 keeps them", func(t *testing.T, s harvester.Store) {
		dropped := map[string]int{harvester.DroppedSince: 12, harvester.DroppedMatch: 0}
		b := &harvester.Batch{Observations: []harvester.Observation{obs("blog", "1"), obs("blog", "2"), obs("blog", "2")},
			ETag: `"e1"`, Seen: 15, Dropped: dropped, Config: "fp1", Since: "2026-06-01"}
		save(t, s, harvester.BatchItem{State: harvester.SourceState{Name: "blog"}, Batch: b, Pass: pass(1)})
		dropped[harvester.DroppedSince] = 99 // the store keeps its own copy
		st := state(t, s, "blog")
		want := map[string]int{harvester.DroppedSince: 12}
		if st.Config != "fp1" || st.ReadSince != "2026-06-01" || !st.LastRead.Equal(pass(1)) || st.LastSeen != 15 ||
			st.LastKept != 2 || !reflect.DeepEqual(st.LastDropped, want) {
			t.Errorf("after a full read: %+v; want config fp1, since 2026-06-01, read at pass 1, 2 of 15 kept, dropped %v", st, want)
		}
		save(t, s, harvester.BatchItem{State: harvester.SourceState{Name: "blog"},
			Batch: &harvester.Batch{NotModified: true, Config: "fp2", Since: "2026-01-01", Seen: 0}, Pass: pass(2)})
		after := state(t, s, "blog")
		if after.Config != "fp1" || after.ReadSince != "2026-06-01" || !after.LastRead.Equal(pass(1)) || after.LastSeen != 15 ||
			after.LastKept != 2 || !reflect.DeepEqual(after.LastDropped, want) || !after.LastSuccess.Equal(pass(2)) {
			t.Errorf("after a 304: %+v; want the full read's record kept and a success at pass 2", after)
		}
		save(t, s, harvester.BatchItem{State: harvester.SourceState{Name: "blog"},
			Batch: &harvester.Batch{Config: "fp2", Seen: 0}, Pass: pass(3)})
		if got := state(t, s, "blog"); got.Config != "fp2" || got.ReadSince != "" || got.LastSeen != 0 || got.LastKept != 0 || got.LastDropped != nil {
			t.Errorf("after an empty full read: %+v; want config fp2, no window, nothing seen or dropped", got)
		}
	}},
	{"SaveBatches/Items counts stored observations, Last* the pass's counts", func(t *testing.T, s harvester.Store) {
		save(t, s, item("blog", pass(1), obs("blog", "1"), obs("blog", "2")))
		changed := obs("blog", "2")
		changed.Title = "Changed"
		save(t, s, item("blog", pass(2), obs("blog", "1"), changed, obs("blog", "3")))
		st := state(t, s, "blog")
		if st.Items != 3 || st.LastNew != 1 || st.LastUpdated != 1 || st.LastUnchanged != 1 {
			t.Errorf("items %d, last %d/%d/%d; want 3, 1/1/1", st.Items, st.LastNew, st.LastUpdated, st.LastUnchanged)
		}
	}},
	{"SaveBatches/clears the error and the failures", func(t *testing.T, s harvester.Store) {
		ctx := context.Background()
		for i := 1; i <= 2; i++ {
			if err := s.SaveFailure(ctx, harvester.SourceState{Name: "blog"}, pass(i), errors.New("503")); err != nil {
				t.Fatal(err)
			}
		}
		save(t, s, item("blog", pass(3), obs("blog", "1")))
		st := state(t, s, "blog")
		if st.Failures != 0 || !st.FailingSince.IsZero() || st.LastError != "" || !st.LastSuccess.Equal(pass(3)) || !st.LastRun.Equal(pass(3)) {
			t.Errorf("state %+v; want a success at pass 3 and no failure", st)
		}
	}},
	{"SaveFailure/counts failures; the first sets FailingSince", func(t *testing.T, s harvester.Store) {
		ctx := context.Background()
		save(t, s, harvester.BatchItem{State: harvester.SourceState{Name: "blog", Type: "feed"},
			Batch: &harvester.Batch{Observations: []harvester.Observation{obs("blog", "1")}, ETag: `"e"`}, Pass: pass(1)})
		before := state(t, s, "blog")
		for i, msg := range []string{"503", "timeout"} {
			given := harvester.SourceState{Name: "blog", Items: 99, ETag: "given"}
			if err := s.SaveFailure(ctx, given, pass(2+i), errors.New(msg)); err != nil {
				t.Fatal(err)
			}
		}
		want := before
		want.LastRun, want.LastError, want.Failures, want.FailingSince = pass(3), "timeout", 2, pass(2)
		if got := state(t, s, "blog"); !same(got, want) {
			t.Errorf("got\n%+v\nwant\n%+v", got, want)
		}
	}},
	{"SaveFailure/of a source never seen starts from the given state", func(t *testing.T, s harvester.Store) {
		given := fullState()
		if err := s.SaveFailure(context.Background(), given, pass(1), nil); err != nil {
			t.Fatal(err)
		}
		want := given
		want.LastRun, want.LastError, want.Failures, want.FailingSince = pass(1), "unknown error", 1, pass(1)
		if got := state(t, s, "blog"); !same(got, want) {
			t.Errorf("got\n%+v\nwant\n%+v", got, want)
		}
		// A type given replaces the stored one; an empty one keeps it.
		for _, typ := range []string{"ics", ""} {
			if err := s.SaveFailure(context.Background(), harvester.SourceState{Name: "blog", Type: typ}, pass(2), nil); err != nil {
				t.Fatal(err)
			}
			if got := state(t, s, "blog"); got.Type != "ics" {
				t.Errorf("type %q given: state %+v, want type ics", typ, got)
			}
		}
	}},
}

// fullState is a state of blog with every field set.
func fullState() harvester.SourceState {
	return harvester.SourceState{Name: "blog", Type: "feed", LastRun: pass(-2), LastSuccess: pass(-3), LastError: "503",
		FailingSince: pass(-2), Failures: 1, NextTry: pass(5), ETag: `"e0"`, LastModified: "Sun", Items: 4,
		LastNew: 1, LastUpdated: 2, LastUnchanged: 3, Data: map[string]string{"token": "fingerprint"},
		LastRead: pass(-3), LastSeen: 9, LastKept: 7, LastDropped: map[string]int{harvester.DroppedSince: 2},
		Config: "0123456789abcdef", ReadSince: "2025-01-01"}
}
