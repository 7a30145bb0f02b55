package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/contriblog/contriblog/harvester"
)

func title(s string) *string { return &s }

// editCases pin Edits and SaveEdit.
var editCases = []testCase{
	{"Edits/are ordered by id; SaveEdit replaces the edit with the same id", func(t *testing.T, s harvester.Store) {
		ctx := context.Background()
		if got, err := s.Edits(ctx); err != nil || len(got) != 0 {
			t.Fatalf("an empty store's edits: %+v, %v", got, err)
		}
		for _, e := range []harvester.Edit{
			{ID: "m", Title: title("first"), Updated: pass(1)},
			{ID: "b", Anchors: []string{"blog\x00b"}, Updated: pass(2)},
			{ID: "m", Title: title("second"), MergeWith: []string{"b"}, Updated: pass(3)},
		} {
			if err := s.SaveEdit(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.Edits(ctx)
		want := []harvester.Edit{{ID: "b", Anchors: []string{"blog\x00b"}, Updated: pass(2)},
			{ID: "m", Title: title("second"), MergeWith: []string{"b"}, Updated: pass(3)}}
		if err != nil || !same(got, want) {
			t.Errorf("edits %+v, %v; want %+v", got, err, want)
		}
	}},
	{"SaveEdit/refuses an edit without an id", func(t *testing.T, s harvester.Store) {
		if err := s.SaveEdit(context.Background(), harvester.Edit{Title: title("x")}); err == nil {
			t.Error("stored an edit without an id")
		}
	}},
	{"SaveEdit and Edits/share nothing with their callers", func(t *testing.T, s harvester.Store) {
		ctx := context.Background()
		e := harvester.Edit{ID: "a", Anchors: []string{"blog\x00a"}, Title: title("kept"), Updated: pass(1)}
		if err := s.SaveEdit(ctx, e); err != nil {
			t.Fatal(err)
		}
		*e.Title, e.Anchors[0] = "scribbled", "scribbled"
		got, err := s.Edits(ctx)
		if err != nil {
			t.Fatal(err)
		}
		*got[0].Title, got[0].Anchors[0] = "scribbled", "scribbled"
		want := []harvester.Edit{{ID: "a", Anchors: []string{"blog\x00a"}, Title: title("kept"), Updated: pass(1)}}
		if got, _ := s.Edits(ctx); !same(got, want) {
			t.Errorf("edits %+v, want %+v", got, want)
		}
	}},
	{"SourceState and SourceStates/share nothing with their callers", func(t *testing.T, s harvester.Store) {
		ctx := context.Background()
		given := fullState()
		if err := s.SaveState(ctx, given); err != nil {
			t.Fatal(err)
		}
		given.Data["token"] = "scribbled"
		state(t, s, "blog").Data["token"] = "scribbled"
		states(t, s)[0].Data["token"] = "scribbled"
		if got := state(t, s, "blog"); !same(got, fullState()) {
			t.Errorf("state %+v, want %+v", got, fullState())
		}
	}},
}

// revisionCases pin what moves LogState.Revision.
var revisionCases = []testCase{
	{"LogState/Revision moves with observations and edits, not states or the log", func(t *testing.T, s harvester.Store) {
		ctx := context.Background()
		steps := []struct {
			name  string
			do    func() error
			moves bool
		}{
			{"a batch of new observations", func() error {
				_, err := s.SaveBatches(ctx, []harvester.BatchItem{item("blog", pass(1), obs("blog", "1"))})
				return err
			}, true},
			{"the same batch again (seen times move)", func() error {
				_, err := s.SaveBatches(ctx, []harvester.BatchItem{item("blog", pass(2), obs("blog", "1"))})
				return err
			}, true},
			{"a batch without observations", func() error { _, err := s.SaveBatches(ctx, []harvester.BatchItem{item("blog", pass(3))}); return err }, false},
			{"a NotModified batch", func() error {
				_, err := s.SaveBatches(ctx, []harvester.BatchItem{{State: harvester.SourceState{Name: "blog"}, Batch: &harvester.Batch{NotModified: true}, Pass: pass(4)}})
				return err
			}, false},
			{"a failure", func() error { return s.SaveFailure(ctx, harvester.SourceState{Name: "blog"}, pass(5), errors.New("x")) }, false},
			{"a state", func() error { return s.SaveState(ctx, harvester.SourceState{Name: "blog", NextTry: pass(6)}) }, false},
			{"a log", func() error {
				_, err := s.StoreLog(ctx, []harvester.Contribution{row("a", "2026-01-01")}, "s")
				return err
			}, false},
			{"forgetting a source without observations", func() error { _, err := s.ForgetSource(ctx, "nobody"); return err }, false},
			{"a submission record", func() error {
				return s.SaveSubmissions(ctx, []harvester.Submission{{Program: "mvp", ID: "a", How: harvester.SubmittedMarked}})
			}, false},
			{"an edit", func() error { return s.SaveEdit(ctx, harvester.Edit{ID: "a", Updated: pass(7)}) }, true},
			{"the same edit again", func() error { return s.SaveEdit(ctx, harvester.Edit{ID: "a", Updated: pass(7)}) }, true},
			{"forgetting a source", func() error { _, err := s.ForgetSource(ctx, "blog"); return err }, true},
		}
		for _, step := range steps {
			before := logState(t, s).Revision
			if err := step.do(); err != nil {
				t.Fatalf("%s: %v", step.name, err)
			}
			if moved := logState(t, s).Revision != before; moved != step.moves {
				t.Errorf("%s: revision moved=%v, want %v", step.name, moved, step.moves)
			}
		}
	}},
}

// commonCases pin the rules every method shares.
var commonCases = []testCase{
	{"every method/fails with the context's error and changes nothing when ctx is cancelled", func(t *testing.T, s harvester.Store) {
		save(t, s, item("blog", pass(1), obs("blog", "1")))
		storeLog(t, s, []harvester.Contribution{row("a", "2026-01-01")}, "s")
		if err := s.SaveEdit(context.Background(), harvester.Edit{ID: "a", Updated: pass(1)}); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		each := func(*harvester.Observation) error { return nil }
		st := harvester.SourceState{Name: "blog"}
		calls := map[string]func() error{
			"SourceState":  func() error { _, err := s.SourceState(ctx, "blog"); return err },
			"SourceStates": func() error { _, err := s.SourceStates(ctx); return err },
			"SaveBatches": func() error {
				_, err := s.SaveBatches(ctx, []harvester.BatchItem{item("blog", pass(2), obs("blog", "2"))})
				return err
			},
			"SaveFailure":                         func() error { return s.SaveFailure(ctx, st, pass(2), errors.New("x")) },
			"SaveState":                           func() error { return s.SaveState(ctx, harvester.SourceState{Name: "other"}) },
			"ForEachObservation":                  func() error { return s.ForEachObservation(ctx, harvester.WithDescriptions, each) },
			"ForEachObservation/OmitDescriptions": func() error { return s.ForEachObservation(ctx, harvester.OmitDescriptions, each) },
			"Edits":                               func() error { _, err := s.Edits(ctx); return err },
			"SaveEdit":                            func() error { return s.SaveEdit(ctx, harvester.Edit{ID: "b", Updated: pass(2)}) },
			"StoreLog":                            func() error { _, err := s.StoreLog(ctx, nil, "other"); return err },
			"LogState":                            func() error { _, err := s.LogState(ctx); return err },
			"ForEachContribution": func() error {
				return s.ForEachContribution(ctx, func(*harvester.Contribution) error { return nil })
			},
			"Contribution": func() error { _, err := s.Contribution(ctx, "a"); return err },
			"ForgetSource": func() error { _, err := s.ForgetSource(ctx, "blog"); return err },
			"Submissions":  func() error { _, err := s.Submissions(ctx); return err },
			"SaveSubmissions": func() error {
				return s.SaveSubmissions(ctx, []harvester.Submission{{Program: "mvp", ID: "a", How: harvester.SubmittedMarked}})
			},
			"DeleteSubmissions": func() error { _, err := s.DeleteSubmissions(ctx, "mvp", []string{"a"}); return err },
		}
		before := snapshot(t, s)
		for name, call := range calls {
			if err := call(); !errors.Is(err, context.Canceled) {
				t.Errorf("%s: err %v, want context.Canceled", name, err)
			}
		}
		if after := snapshot(t, s); after != before {
			t.Errorf("cancelled calls changed the store:\nbefore %s\nafter  %s", before, after)
		}
	}},
	{"Close/twice is harmless", func(t *testing.T, s harvester.Store) {
		for i := range 2 {
			if err := s.Close(); err != nil {
				t.Errorf("close %d: %v", i+1, err)
			}
		}
	}},
	{"times/come back as the instants given", func(t *testing.T, s harvester.Store) {
		zone := time.FixedZone("X", -7*3600)
		st := harvester.SourceState{Name: "blog", NextTry: pass(3).In(zone), LastRun: pass(2).In(zone)}
		if err := s.SaveState(context.Background(), st); err != nil {
			t.Fatal(err)
		}
		got := state(t, s, "blog")
		if !got.NextTry.Equal(st.NextTry) || !got.LastRun.Equal(st.LastRun) {
			t.Errorf("state %+v, want the instants of %+v", got, st)
		}
	}},
}
