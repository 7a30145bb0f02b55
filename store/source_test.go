package store

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/contriblog/contriblog/harvester"
)

func TestSourceStateUnknown(t *testing.T) {
	db := MustOpenDB(t)
	st := mustState(t, db, "never")
	if !reflect.DeepEqual(st, harvester.SourceState{Name: "never"}) {
		t.Errorf("got %+v, want a zero state named never", st)
	}
}

func TestSourceStateFailuresAndSuccess(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	state := harvester.SourceState{Name: "gh", Type: "github"}
	mustSave(t, db, "gh", &harvester.Batch{ETag: `"v1"`, Observations: batchOf("gh", 2).Observations}, pass(0))

	for i, msg := range []string{"rate limited", "HTTP 502"} {
		if err := db.SaveFailure(ctx, state, pass(1+i), errors.New(msg)); err != nil {
			t.Fatal(err)
		}
	}
	st := mustState(t, db, "gh")
	want := harvester.SourceState{Name: "gh", Type: "github", LastRun: pass(2), LastSuccess: pass(0),
		LastError: "HTTP 502", FailingSince: pass(1), Failures: 2, ETag: `"v1"`, Items: 2, LastNew: 2,
		LastRead: pass(0), LastKept: 2}
	if !reflect.DeepEqual(st, want) {
		t.Errorf("after two failures:\n got %+v\nwant %+v", st, want)
	}

	mustSave(t, db, "gh", batchOf("gh", 2), pass(3))
	st = mustState(t, db, "gh")
	if st.Failures != 0 || st.LastError != "" || !st.FailingSince.IsZero() || !st.LastSuccess.Equal(pass(3)) {
		t.Errorf("success after failures did not reset: %+v", st)
	}

	if err := db.SaveFailure(ctx, state, pass(4), errors.New("again")); err != nil {
		t.Fatal(err)
	}
	if st := mustState(t, db, "gh"); !st.FailingSince.Equal(pass(4)) || st.Failures != 1 {
		t.Errorf("a new run of failures: %+v", st)
	}
}

func TestSaveFailureFirstEver(t *testing.T) {
	db := MustOpenDB(t)
	err := db.SaveFailure(context.Background(), harvester.SourceState{Name: "new", Type: "ics"}, pass(0), errors.New("dns"))
	if err != nil {
		t.Fatal(err)
	}
	st := mustState(t, db, "new")
	if st.Type != "ics" || st.Failures != 1 || !st.FailingSince.Equal(pass(0)) || !st.LastSuccess.IsZero() || st.LastError != "dns" {
		t.Errorf("got %+v", st)
	}
}

func TestSaveBatchValidatorsAndData(t *testing.T) {
	steps := []struct {
		name      string
		b         *harvester.Batch
		wantETag  string
		wantLM    string
		wantData  map[string]string
		wantItems int
	}{
		{"first", &harvester.Batch{ETag: `"a"`, LastModified: "Mon, 02 Mar 2026 10:00:00 GMT", Data: map[string]string{"page": "1"}, Observations: batchOf("f", 1).Observations},
			`"a"`, "Mon, 02 Mar 2026 10:00:00 GMT", map[string]string{"page": "1"}, 1},
		{"304 keeps validators and data", &harvester.Batch{NotModified: true},
			`"a"`, "Mon, 02 Mar 2026 10:00:00 GMT", map[string]string{"page": "1"}, 1},
		{"new validators, data kept when nil", &harvester.Batch{ETag: `"b"`},
			`"b"`, "", map[string]string{"page": "1"}, 1},
		{"data replaced", &harvester.Batch{ETag: `"b"`, Data: map[string]string{"page": "2"}},
			`"b"`, "", map[string]string{"page": "2"}, 1},
	}
	db := MustOpenDB(t)
	for i, s := range steps {
		mustSave(t, db, "f", s.b, pass(i))
		st := mustState(t, db, "f")
		if st.ETag != s.wantETag || st.LastModified != s.wantLM || !reflect.DeepEqual(st.Data, s.wantData) || st.Items != s.wantItems {
			t.Errorf("%s: got %+v", s.name, st)
		}
		if !st.LastRun.Equal(pass(i)) || !st.LastSuccess.Equal(pass(i)) {
			t.Errorf("%s: last run %v, success %v, want %v", s.name, st.LastRun, st.LastSuccess, pass(i))
		}
	}
}

func TestSaveBatchKeepsNextTry(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	next := pass(9)
	if err := db.SaveState(ctx, harvester.SourceState{Name: "f", Type: "feed", NextTry: next, Failures: 3}); err != nil {
		t.Fatal(err)
	}
	mustSave(t, db, "f", batchOf("f", 1), pass(1))
	if st := mustState(t, db, "f"); !st.NextTry.Equal(next) || st.Failures != 0 {
		t.Errorf("got %+v", st)
	}
}

func TestSaveStateAsIs(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	in := harvester.SourceState{Name: "s", Type: "sessionize", LastRun: pass(1), LastSuccess: pass(0),
		LastError: "boom", FailingSince: pass(1), Failures: 1, NextTry: pass(3), ETag: "e", LastModified: "lm",
		Items: 7, LastNew: 1, LastUpdated: 2, LastUnchanged: 3, Data: map[string]string{"x": "y"}}
	if err := db.SaveState(ctx, in); err != nil {
		t.Fatal(err)
	}
	if got := mustState(t, db, "s"); !reflect.DeepEqual(got, in) {
		t.Errorf("got  %+v\nwant %+v", got, in)
	}
	if err := db.SaveState(ctx, harvester.SourceState{}); err == nil {
		t.Error("a state without a name was stored")
	}
}

func TestSourceStatesSorted(t *testing.T) {
	db := MustOpenDB(t)
	for _, n := range []string{"youtube", "blog", "github", "manual"} {
		mustSave(t, db, n, nil, pass(0))
	}
	states, err := db.SourceStates(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range states {
		names = append(names, s.Name)
	}
	if want := []string{"blog", "github", "manual", "youtube"}; !reflect.DeepEqual(names, want) {
		t.Errorf("names %v, want %v", names, want)
	}
	if !states[0].LastRun.Equal(pass(0)) || states[0].LastRun.Location() != time.UTC {
		t.Errorf("blog: %+v", states[0])
	}
}
