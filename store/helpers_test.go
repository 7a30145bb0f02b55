package store

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/contriblog/contriblog/harvester"
)

// quiet discards log output in tests.
var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// MustOpenDB opens a fresh database in a temporary directory and closes it
// when the test ends.
func MustOpenDB(tb testing.TB) *DB {
	tb.Helper()
	return MustOpenPath(tb, filepath.Join(tb.TempDir(), "contriblog.db"))
}

// MustOpenPath opens the database at path (fsync off: tests only) and
// closes it when the test ends.
func MustOpenPath(tb testing.TB, path string) *DB {
	tb.Helper()
	db, err := Open(path, Options{Logger: quiet, NoSync: true, Timeout: 100 * time.Millisecond})
	if err != nil {
		tb.Fatalf("open %s: %v", path, err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("close: %v", err)
		}
	})
	return db
}

// mustCheck fails the test when the database is not consistent.
func mustCheck(tb testing.TB, db *DB) {
	tb.Helper()
	if err := db.Check(); err != nil {
		tb.Fatalf("check: %v", err)
	}
}

// t0 is the first pass of most tests.
var t0 = time.Date(2026, 3, 1, 6, 0, 0, 0, time.UTC)

// pass returns the n-th pass after t0, six hours apart.
func pass(n int) time.Time { return t0.Add(time.Duration(n) * 6 * time.Hour) }

// obs is an observation of source with a date and a title derived from id.
func obs(source, id string) harvester.Observation {
	return harvester.Observation{
		Source:       source,
		NativeID:     id,
		Person:       "Priya Raman",
		ActivityType: "Blog",
		Title:        "Post " + id,
		Description:  "About <bicep> & terraform",
		URL:          "https://priyaraman.dev/" + id,
		Date:         time.Date(2026, 1, 15, 9, 30, 0, 0, time.FixedZone("CET", 3600)),
		Categories:   []string{"azure", "iac"},
		Metrics:      map[string]int64{"views": 10},
		Meta:         map[string]string{"lang": "en"},
	}
}

// batchOf is a batch of n observations of source, ids 0..n-1.
func batchOf(source string, n int) *harvester.Batch {
	b := &harvester.Batch{}
	for i := range n {
		b.Observations = append(b.Observations, obs(source, fmt.Sprintf("item-%03d", i)))
	}
	return b
}

// mustSave saves b for source at p and returns the counts.
func mustSave(tb testing.TB, db *DB, source string, b *harvester.Batch, p time.Time) harvester.SaveResult {
	tb.Helper()
	res, err := db.SaveBatch(context.Background(), harvester.SourceState{Name: source, Type: "feed"}, b, p)
	if err != nil {
		tb.Fatalf("save batch of %s: %v", source, err)
	}
	return res
}

// allObservations reads every stored observation, keyed by key.
func allObservations(tb testing.TB, db *DB) map[string]harvester.Observation {
	tb.Helper()
	out := map[string]harvester.Observation{}
	err := db.ForEachObservation(context.Background(), harvester.WithDescriptions, func(o *harvester.Observation) error {
		out[o.Key()] = *o
		return nil
	})
	if err != nil {
		tb.Fatalf("for each observation: %v", err)
	}
	return out
}

// mustState reads a source's state.
func mustState(tb testing.TB, db *DB, name string) harvester.SourceState {
	tb.Helper()
	st, err := db.SourceState(context.Background(), name)
	if err != nil {
		tb.Fatalf("source state %s: %v", name, err)
	}
	return st
}

// SaveBatch saves one source's batch: SaveBatches of one item. It is a
// test helper, not part of harvester.Store.
func (db *DB) SaveBatch(ctx context.Context, state harvester.SourceState, b *harvester.Batch, pass time.Time) (harvester.SaveResult, error) {
	res, err := db.SaveBatches(ctx, []BatchItem{{State: state, Batch: b, Pass: pass}})
	if err != nil {
		return harvester.SaveResult{}, err
	}
	return res[0], nil
}

// ReplaceLog stores log without a stamp, as an older contriblog did. It is
// a test helper, not part of harvester.Store.
func (db *DB) ReplaceLog(ctx context.Context, log []harvester.Contribution) error {
	_, err := db.StoreLog(ctx, log, "")
	return err
}
