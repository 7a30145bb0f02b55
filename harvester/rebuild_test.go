package harvester_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/memstore"
)

// readCounter counts the rebuilds that read observations.
type readCounter struct {
	*memstore.Store
	reads atomic.Int32
}

func (r *readCounter) ForEachObservation(ctx context.Context, d harvester.Descriptions, fn func(*harvester.Observation) error) error {
	r.reads.Add(1)
	return r.Store.ForEachObservation(ctx, d, fn)
}

// notModifiedSource answers 304 after its first pass.
type notModifiedSource struct {
	fakeSource
	passes int
}

func (s *notModifiedSource) Harvest(ctx context.Context, st harvester.SourceState) (*harvester.Batch, error) {
	s.passes++
	if s.passes > 1 {
		return &harvester.Batch{NotModified: true}, nil
	}
	return s.fakeSource.Harvest(ctx, st)
}

// The log is rebuilt only when what it is built from changed: a pass of
// 304s reads nothing, an edit, a pass that saw observations again or other
// options rebuild it.
func TestRebuildOnlyWhenInputsChange(t *testing.T) {
	ctx := context.Background()
	st := &readCounter{Store: memstore.New()}
	src := &notModifiedSource{fakeSource: fakeSource{name: "blog", obs: []harvester.Observation{post("", "a", "First", 3), post("", "b", "Second", 2)}}}
	h := newHarvester(st, src)
	rebuilt := func(step string, want bool) {
		t.Helper()
		before := st.reads.Load()
		changed, rows, err := h.Rebuild(ctx)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		if got := st.reads.Load() != before; got != want {
			t.Errorf("%s: rebuilt=%v, want %v", step, got, want)
		}
		if rows != 2 || (changed && !want) {
			t.Errorf("%s: rows=%d changed=%v", step, rows, changed)
		}
	}
	pass, err := h.Run(ctx)
	if err != nil || !pass.LogChanged || pass.Rows != 2 {
		t.Fatalf("first pass: %+v %v", pass, err)
	}
	rebuilt("nothing changed", false)

	pass, err = h.Run(ctx)
	if err != nil || !pass.Results[0].NotModified || pass.LogChanged || pass.Rows != 2 {
		t.Fatalf("a pass of 304s: %+v %v", pass, err)
	}
	if st.reads.Load() != 1 {
		t.Errorf("a pass of 304s read the observations")
	}

	if err := st.SaveEdit(ctx, harvester.Edit{ID: "x", Updated: time.Now()}); err != nil {
		t.Fatal(err)
	}
	rebuilt("an edit saved", true)
	rebuilt("nothing since the edit", false)

	h.Log.Areas = []harvester.Area{{Name: "Azure", Keywords: []string{"first"}}}
	rebuilt("an area added to the config", true)
	rebuilt("the same config again", false)
	h.Log.Areas[0].Keywords = []string{"second"}
	rebuilt("an area's keywords changed", true)
	h.Log.Location = time.FixedZone("X", 3600)
	rebuilt("another time zone", true)

	src.passes = 0 // the source answers 200 with the same items again
	if _, err := h.Run(ctx); err != nil {
		t.Fatal(err)
	}
	rebuilt("after a pass that saw the items again", false) // that pass rebuilt it
	if n := st.reads.Load(); n != 6 {
		t.Errorf("%d rebuilds read the observations, want 6", n)
	}
}

// A log stored without a stamp (by an older contriblog) is rebuilt.
func TestRebuildAfterUnstampedLog(t *testing.T) {
	ctx := context.Background()
	st := &readCounter{Store: memstore.New()}
	h := newHarvester(st, &fakeSource{name: "blog", obs: []harvester.Observation{post("", "a", "First", 3)}})
	if _, err := h.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := st.StoreLog(ctx, nil, ""); err != nil {
		t.Fatal(err)
	}
	changed, rows, err := h.Rebuild(ctx)
	if err != nil || !changed || rows != 1 {
		t.Errorf("rebuild over an unstamped log: changed=%v rows=%d err=%v; want the log back", changed, rows, err)
	}
}

// Areas are tagged by the words of descriptions, which a rebuild reads
// only then; either way the stored rows have their descriptions.
func TestRebuildReadsDescriptionsToTagAreas(t *testing.T) {
	ctx := context.Background()
	for _, areas := range [][]harvester.Area{nil, {{Name: "Containers", Keywords: []string{"kubernetes"}}}} {
		st := memstore.New()
		o := harvester.Observation{Source: "blog", NativeID: "1", ActivityType: harvester.TypeBlog, Title: "Notes from a week",
			Description: "What I learned running Kubernetes at home", Date: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}
		item := harvester.BatchItem{State: harvester.SourceState{Name: "blog"}, Batch: &harvester.Batch{Observations: []harvester.Observation{o}}, Pass: o.Date}
		if _, err := st.SaveBatches(ctx, []harvester.BatchItem{item}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := harvester.RebuildLog(ctx, st, harvester.LogOptions{Location: time.UTC, Areas: areas}); err != nil {
			t.Fatal(err)
		}
		row, err := st.Contribution(ctx, st.Log[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if row.Description != o.Description {
			t.Errorf("areas %v: description %q, want %q", areas, row.Description, o.Description)
		}
		if want := map[bool]string{false: "", true: "Containers"}[areas != nil]; row.PrimaryArea != want {
			t.Errorf("areas %v: primary area %q, want %q", areas, row.PrimaryArea, want)
		}
	}
}
