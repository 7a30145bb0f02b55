package daemon

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/memstore"
)

// pipeline is a daemon over the real harvester, an in-memory store and one
// fake source.
func pipeline(t *testing.T, src *fakeSource, cfg Config) (*Daemon, *memstore.Store) {
	t.Helper()
	st := memstore.New()
	if cfg.Schedule == "" {
		cfg.Schedule = "@every 1h"
	}
	cfg.Sources = []SourceSchedule{{Name: src.name, Enabled: true}}
	h := &harvester.Harvester{Store: st, Sources: []harvester.Source{src}, Logger: testLogger(&logBuffer{})}
	d := &Daemon{Config: cfg, Harvester: h, Store: st, Logger: testLogger(&logBuffer{}),
		Rebuild: func(ctx context.Context) error {
			_, _, err := h.Rebuild(ctx)
			return err
		}}
	return d, st
}

// pass runs one pass through the daemon's queue and waits for it.
func pass(t *testing.T, d *Daemon) {
	t.Helper()
	if out := <-d.q.add(nil); out.Err != nil {
		t.Fatalf("pass: %v", out.Err)
	}
}

func csvRows(t *testing.T, path string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("%s is not CSV: %v", path, err)
	}
	return len(recs) - 1
}

func TestExportIsRewrittenOnlyWhenTheLogChanges(t *testing.T) {
	src := &fakeSource{name: "blog", fn: func(_ context.Context, n int) ([]harvester.Observation, error) {
		if n <= 2 {
			return posts("blog", 2), nil
		}
		return posts("blog", 3), nil
	}}
	path := filepath.Join(t.TempDir(), "contributions.csv")
	d, _ := pipeline(t, src, Config{ExportPath: path, ExportFormat: "csv"})
	start(t, d)
	eventually(t, "the start-up export", func() bool { _, err := os.Stat(path); return err == nil })
	if n := csvRows(t, path); n != 2 {
		t.Fatalf("start-up export has %d rows; want 2", n)
	}
	first, _ := os.Stat(path)

	pass(t, d) // same posts: the CSV would not change
	if again, _ := os.Stat(path); !os.SameFile(first, again) {
		t.Error("the export was replaced although its content did not change")
	}
	pass(t, d) // a new post
	if again, _ := os.Stat(path); os.SameFile(first, again) {
		t.Error("the export was not replaced after the log changed")
	}
	if n := csvRows(t, path); n != 3 {
		t.Errorf("export has %d rows; want 3", n)
	}
	d.metrics.mu.Lock()
	defer d.metrics.mu.Unlock()
	if n := d.metrics.exportWrites; n != 2 {
		t.Errorf("%d export writes; want 2", n)
	}
}

func TestStartUpReplacesAStaleExportAndKeepsACurrentOne(t *testing.T) {
	st := memstore.New()
	st.Log = []harvester.Contribution{{ID: "a1", Title: "Zero Trust in Practice", Date: "2026-01-02", ActivityType: harvester.TypeBlog}}
	path := filepath.Join(t.TempDir(), "log.md")
	newDaemon := func() *Daemon {
		// A harvester that changes nothing: only start-up makes the export.
		return &Daemon{Config: Config{ExportPath: path, ExportFormat: "md"}, Harvester: &countingHarvester{},
			Store: st, Logger: testLogger(&logBuffer{})}
	}
	if err := os.WriteFile(path, []byte("stale"), 0o644); err != nil {
		t.Fatal(err)
	}
	d := newDaemon()
	stop := start(t, d)
	eventually(t, "the stale export to be replaced", func() bool {
		b, _ := os.ReadFile(path)
		return strings.Contains(string(b), "Zero Trust in Practice")
	})
	stop()
	before, _ := os.Stat(path)

	d = newDaemon()
	start(t, d)
	pass(t, d) // answered after the start-up pass and its export
	if after, _ := os.Stat(path); !os.SameFile(before, after) {
		t.Error("an export that was already current was rewritten at start-up")
	}
}

// TestExportReadersNeverSeeAPartialFile reads the export in a loop while
// passes rewrite it: every read must be a whole JSON document.
func TestExportReadersNeverSeeAPartialFile(t *testing.T) {
	src := &fakeSource{name: "blog", fn: func(_ context.Context, n int) ([]harvester.Observation, error) {
		return posts("blog", 50+n), nil // every pass adds a post
	}}
	dir := t.TempDir()
	path := filepath.Join(dir, "contributions.json")
	d, _ := pipeline(t, src, Config{ExportPath: path, ExportFormat: "json"})
	start(t, d)
	eventually(t, "the start-up export", func() bool { _, err := os.Stat(path); return err == nil })

	var reads, bad atomic.Int32
	var badSample atomic.Value
	stopReading := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stopReading:
					return
				default:
				}
				b, err := os.ReadFile(path)
				if err != nil || !json.Valid(b) {
					bad.Add(1)
					badSample.Store(string(b))
				}
				reads.Add(1)
			}
		}()
	}
	for range 25 {
		pass(t, d)
	}
	eventually(t, "readers to read", func() bool { return reads.Load() > 100 })
	close(stopReading)
	wg.Wait()
	if n := bad.Load(); n > 0 {
		t.Errorf("%d of %d reads saw a partial or missing file, e.g. %.200q", n, reads.Load(), badSample.Load())
	}
	var rows []map[string]any
	b, _ := os.ReadFile(path)
	if err := json.Unmarshal(b, &rows); err != nil || len(rows) != 50+26 {
		t.Errorf("final export: %d rows, %v; want %d", len(rows), err, 50+26)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d files; want only the export (no temporary files left)", len(entries))
	}
}

func TestAFailedExportIsRetriedAfterTheNextPass(t *testing.T) {
	src := &fakeSource{name: "blog", fn: func(context.Context, int) ([]harvester.Observation, error) {
		return posts("blog", 1), nil
	}}
	dir := filepath.Join(t.TempDir(), "not-yet")
	path := filepath.Join(dir, "contributions.csv")
	d, _ := pipeline(t, src, Config{ExportPath: path})
	start(t, d)
	eventually(t, "the export to fail", func() bool {
		d.metrics.mu.Lock()
		defer d.metrics.mu.Unlock()
		return d.metrics.exportErrors == 1
	})
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	pass(t, d) // the log does not change, but the export is still owed
	if n := csvRows(t, path); n != 1 {
		t.Errorf("export has %d rows; want 1", n)
	}
}
