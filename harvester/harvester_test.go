package harvester_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/memstore"
)

// fakeSource returns canned batches, or an error, or panics.
type fakeSource struct {
	name    string
	obs     []harvester.Observation
	err     error
	panics  bool
	block   chan struct{} // when set, Harvest waits on it or ctx
	running *atomic.Int32
	peak    *atomic.Int32
}

var _ harvester.Source = (*fakeSource)(nil)

func (f *fakeSource) Name() string { return f.name }
func (f *fakeSource) Type() string { return "fake" }
func (f *fakeSource) Harvest(ctx context.Context, st harvester.SourceState) (*harvester.Batch, error) {
	if f.running != nil {
		n := f.running.Add(1)
		defer f.running.Add(-1)
		for {
			p := f.peak.Load()
			if n <= p || f.peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(time.Millisecond)
	}
	if f.panics {
		panic("parser exploded")
	}
	if f.block != nil {
		select {
		case <-f.block:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if f.err != nil && f.obs == nil {
		return nil, f.err
	}
	return &harvester.Batch{Observations: f.obs, ETag: `"v1"`}, f.err
}

func post(src, id, title string, daysAgo int) harvester.Observation {
	return harvester.Observation{Source: src, NativeID: id, Title: title, ActivityType: harvester.TypeBlog,
		URL: "https://example.com/" + id, Person: "Priya Raman",
		Date: time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC).AddDate(0, 0, -daysAgo)}
}

func newHarvester(st harvester.Store, srcs ...harvester.Source) *harvester.Harvester {
	n := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	return &harvester.Harvester{Store: st, Sources: srcs, Now: func() time.Time { return n }, Logger: slog.New(slog.DiscardHandler),
		Log: harvester.LogOptions{Location: time.UTC}}
}

func TestRunSavesEverySourceAndRebuildsLog(t *testing.T) {
	st := memstore.New()
	h := newHarvester(st,
		&fakeSource{name: "blog", obs: []harvester.Observation{post("", "a", "First", 3), post("", "b", "Second", 2)}},
		&fakeSource{name: "broken", err: errors.New("server said 500")},
		&fakeSource{name: "panicky", panics: true},
		&fakeSource{name: "partial", obs: []harvester.Observation{post("", "c", "Third", 1)}, err: errors.New("rate limited")},
	)
	pass, err := h.Run(context.Background())
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	want := map[string]struct {
		new    int
		errSub string
	}{
		"blog": {2, ""}, "broken": {0, "server said 500"}, "panicky": {0, "panic"}, "partial": {1, "rate limited"},
	}
	for _, r := range pass.Results {
		w := want[r.Source]
		if r.New != w.new {
			t.Errorf("%s: new = %d, want %d", r.Source, r.New, w.new)
		}
		if (r.Err == nil) != (w.errSub == "") || (r.Err != nil && !strings.Contains(r.Err.Error(), w.errSub)) {
			t.Errorf("%s: err = %v, want containing %q", r.Source, r.Err, w.errSub)
		}
	}
	if pass.Err() == nil || pass.Rows != 3 || !pass.LogChanged {
		t.Errorf("pass: err=%v rows=%d changed=%v; want an error, 3 rows, changed", pass.Err(), pass.Rows, pass.LogChanged)
	}
	if st.States["partial"].LastError == "" || st.States["partial"].ETag != `"v1"` {
		t.Errorf("partial state = %+v; want the batch saved and the error recorded", st.States["partial"])
	}
	again, err := h.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if again.LogChanged || again.Results[0].Unchanged != 2 || again.Results[0].New != 0 {
		t.Errorf("second pass: changed=%v results=%+v; want unchanged", again.LogChanged, again.Results[0])
	}
}

func TestRunDropsItemsBeforeSinceAndWithoutID(t *testing.T) {
	st := memstore.New()
	noID := post("", "", "No id", 1)
	h := newHarvester(st, &fakeSource{name: "blog", obs: []harvester.Observation{
		post("", "old", "Old", 400), post("", "new", "New", 10), noID,
		{NativeID: "undated", Title: "Undated", ActivityType: harvester.TypeBlog},
	}})
	h.Since = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	pass, err := h.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := pass.Results[0].New; got != 2 {
		t.Fatalf("new = %d, want 2 (new and undated)", got)
	}
	if _, ok := st.Obs[harvester.ObservationKey("blog", "old")]; ok {
		t.Error("an item before since was stored")
	}
}

func TestRunNamedSourcesAndUnknownName(t *testing.T) {
	st := memstore.New()
	h := newHarvester(st, &fakeSource{name: "a", obs: []harvester.Observation{post("", "1", "One", 1)}},
		&fakeSource{name: "b", obs: []harvester.Observation{post("", "2", "Two", 1)}})
	pass, err := h.Run(context.Background(), "b")
	if err != nil || len(pass.Results) != 1 || pass.Results[0].Source != "b" {
		t.Fatalf("Run(b) = %+v, %v", pass, err)
	}
	if _, err := h.Run(context.Background(), "nope"); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("Run(nope) err = %v, want one naming the source", err)
	}
}

func TestRunBoundsConcurrency(t *testing.T) {
	var running, peak atomic.Int32
	var srcs []harvester.Source
	for i := 0; i < 20; i++ {
		srcs = append(srcs, &fakeSource{name: string(rune('a' + i)), running: &running, peak: &peak})
	}
	h := newHarvester(memstore.New(), srcs...)
	h.Concurrency = 3
	if _, err := h.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if p := peak.Load(); p > 3 || p < 1 {
		t.Errorf("peak concurrency = %d, want 1..3", p)
	}
}

func TestRunCancelledKeepsWhatWasSaved(t *testing.T) {
	st := memstore.New()
	block := make(chan struct{})
	h := newHarvester(st,
		&fakeSource{name: "fast", obs: []harvester.Observation{post("", "1", "One", 1)}},
		&fakeSource{name: "stuck", block: block})
	ctx, cancel := context.WithCancel(context.Background())
	h.OnEvent = func(e harvester.Event) {
		if !e.Started && e.Source == "fast" {
			cancel()
		}
	}
	pass, err := h.Run(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if len(st.Obs) != 1 || pass.Results[1].Err == nil {
		t.Errorf("stored %d observations, stuck err %v; want the fast source kept and stuck failed", len(st.Obs), pass.Results[1].Err)
	}
	// Stopped is not failed: no backoff, no "failing since".
	if s, _ := st.SourceState(context.Background(), "stuck"); s.LastError != "" || s.Failures != 0 {
		t.Errorf("stuck's state after a cancelled pass = %+v, want no failure recorded", s)
	}
}

func TestRunStoreFailureEndsPass(t *testing.T) {
	st := memstore.New()
	st.Fail = errors.New("disk full")
	h := newHarvester(st, &fakeSource{name: "a", obs: []harvester.Observation{post("", "1", "One", 1)}})
	if _, err := h.Run(context.Background()); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("err = %v, want the store's error", err)
	}
}
