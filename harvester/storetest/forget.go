package storetest

import (
	"context"
	"testing"

	"github.com/contriblog/contriblog/harvester"
)

// forgetCases pin ForgetSource.
var forgetCases = []testCase{
	{"ForgetSource/removes the source's observations and state, and nothing else", func(t *testing.T, s harvester.Store) {
		ctx := context.Background()
		// "blog2" starts like "blog": only the source named goes.
		save(t, s, item("blog", pass(1), obs("blog", "1"), obs("blog", "2")), item("blog2", pass(1), obs("blog2", "1")),
			item("devto", pass(1), obs("devto", "1")))
		e := harvester.Edit{ID: "a", Anchors: []string{"blog\x001", "devto\x001"}, Title: title("kept"), Updated: pass(2)}
		if err := s.SaveEdit(ctx, e); err != nil {
			t.Fatal(err)
		}
		log := []harvester.Contribution{row("a", "2026-01-01")}
		storeLog(t, s, log, "s")
		before := logState(t, s).Revision
		n, err := s.ForgetSource(ctx, "blog")
		if err != nil || n != 2 {
			t.Fatalf("ForgetSource = %d, %v; want 2", n, err)
		}
		var keys []string
		for _, o := range walk(t, s, harvester.WithDescriptions) {
			keys = append(keys, o.Key())
		}
		if !same(keys, []string{"blog2\x001", "devto\x001"}) {
			t.Errorf("observations left %q", keys)
		}
		var names []string
		for _, st := range states(t, s) {
			names = append(names, st.Name)
		}
		if !same(names, []string{"blog2", "devto"}) {
			t.Errorf("states left %q", names)
		}
		if got, err := s.Edits(ctx); err != nil || !same(got, []harvester.Edit{e}) {
			t.Errorf("edits %+v, %v; want the edit kept", got, err)
		}
		if !same(rows(t, s), log) {
			t.Errorf("the stored log changed: %+v", rows(t, s))
		}
		if logState(t, s).Revision == before {
			t.Error("the revision did not move")
		}
		// Seen again, the source's observations are new.
		res := save(t, s, item("blog", pass(3), obs("blog", "1")))
		if res[0].New != 1 {
			t.Errorf("a forgotten observation seen again: %+v, want new", res[0])
		}
	}},
	{"ForgetSource/of a source never seen removes nothing", func(t *testing.T, s harvester.Store) {
		save(t, s, item("blog", pass(1), obs("blog", "1")))
		before := snapshot(t, s)
		if n, err := s.ForgetSource(context.Background(), "nobody"); err != nil || n != 0 {
			t.Errorf("ForgetSource = %d, %v; want 0", n, err)
		}
		if after := snapshot(t, s); after != before {
			t.Errorf("the store changed:\nbefore %s\nafter  %s", before, after)
		}
	}},
	{"ForgetSource/removes a state without observations; refuses an empty name", func(t *testing.T, s harvester.Store) {
		ctx := context.Background()
		if err := s.SaveState(ctx, harvester.SourceState{Name: "wrong", Type: "feed"}); err != nil {
			t.Fatal(err)
		}
		if n, err := s.ForgetSource(ctx, "wrong"); err != nil || n != 0 || len(states(t, s)) != 0 {
			t.Errorf("ForgetSource = %d, %v, states %+v; want 0, none left", n, err, states(t, s))
		}
		if _, err := s.ForgetSource(ctx, ""); err == nil {
			t.Error("forgot a source without a name")
		}
	}},
}
