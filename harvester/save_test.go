package harvester_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/memstore"
)

// groupStore records how batches reach the store: the sources of every
// SaveBatches call. Its first save waits until release is
// closed (so that the other harvests are ready by then), and it fails any
// save that holds the source bad.
type groupStore struct {
	*memstore.Store
	release chan struct{}
	once    sync.Once
	bad     string

	mu    sync.Mutex
	calls [][]string
}

func (g *groupStore) record(items []harvester.BatchItem) {
	g.once.Do(func() { <-g.release })
	var names []string
	for _, it := range items {
		names = append(names, it.State.Name)
	}
	g.mu.Lock()
	g.calls = append(g.calls, names)
	g.mu.Unlock()
}

func (g *groupStore) SaveBatches(ctx context.Context, items []harvester.BatchItem) ([]harvester.SaveResult, error) {
	g.record(items)
	for _, it := range items {
		if it.State.Name == g.bad {
			return nil, fmt.Errorf("source %s: observation too odd", g.bad)
		}
	}
	return g.Store.SaveBatches(ctx, items)
}

// countedSources returns n fake sources of one post each, and a channel closed
// once all of them have been fetched.
func countedSources(n int) ([]harvester.Source, chan struct{}) {
	var wg sync.WaitGroup
	wg.Add(n)
	all := make(chan struct{})
	go func() { wg.Wait(); close(all) }()
	var srcs []harvester.Source
	for i := range n {
		name := fmt.Sprintf("s%d", i)
		srcs = append(srcs, &countingSource{fakeSource: fakeSource{name: name,
			obs: []harvester.Observation{post("", name+"-1", "Post of "+name, 1)}}, done: wg.Done})
	}
	return srcs, all
}

// countingSource calls done after its harvest.
type countingSource struct {
	fakeSource
	done func()
}

func (c *countingSource) Harvest(ctx context.Context, st harvester.SourceState) (*harvester.Batch, error) {
	defer c.done()
	return c.fakeSource.Harvest(ctx, st)
}

// A group that fails is saved again source by source: the bad source's
// error is its own, the others keep their data, and the pass ends with the
// store's error.
func TestRunGroupFailureIsolatesTheSource(t *testing.T) {
	srcs, all := countedSources(6)
	st := &groupStore{Store: memstore.New(), release: all, bad: "s3"}
	h := newHarvester(st, srcs...)
	pass, err := h.Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "too odd") {
		t.Fatalf("err = %v, want the store's error", err)
	}
	for _, r := range pass.Results {
		switch {
		case r.Source == "s3" && (r.Err == nil || r.New != 0):
			t.Errorf("s3: %+v, want its save error", r)
		case r.Source != "s3" && (r.Err != nil || r.New != 1):
			t.Errorf("%s: %+v, want saved", r.Source, r)
		}
	}
	if n := len(st.Obs); n != 5 {
		t.Errorf("%d observations stored, want the 5 good sources'", n)
	}
}
