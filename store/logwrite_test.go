package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/contriblog/contriblog/harvester"
)

func mustLogState(t *testing.T, db *DB) harvester.LogState {
	t.Helper()
	st, err := db.LogState(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestStoreLogStampAndChanged(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	if changed, err := db.StoreLog(ctx, nil, "s0"); err != nil || changed {
		t.Errorf("an empty log over a new database: changed=%v err=%v, want unchanged", changed, err)
	}
	log := []harvester.Contribution{row("a", "2025-01-01"), row("b", "2025-01-02")}
	steps := []struct {
		log     []harvester.Contribution
		stamp   string
		changed bool
	}{
		{log, "s1", true},
		{log, "s2", false}, // the same rows: only the stamp is new
		{[]harvester.Contribution{log[0]}, "s3", true},
		{[]harvester.Contribution{log[0]}, "", false}, // ReplaceLog's empty stamp
	}
	for i, s := range steps {
		changed, err := db.StoreLog(ctx, s.log, s.stamp)
		if err != nil || changed != s.changed {
			t.Errorf("step %d: changed=%v err=%v, want changed=%v", i, changed, err, s.changed)
		}
		if st := mustLogState(t, db); st.Stamp != s.stamp || st.Rows != len(s.log) {
			t.Errorf("step %d: state %+v, want stamp %q and %d rows", i, st, s.stamp, len(s.log))
		}
		if got := readLog(t, db); len(got) != len(s.log) {
			t.Errorf("step %d: log %q", i, got)
		}
	}
	if st := mustLogState(t, db); st.Revision != 0 {
		t.Errorf("storing the log moved the revision to %d", st.Revision)
	}
	mustCheck(t, db)
}

// A StoreLog interrupted between its transactions leaves the log being
// written beside the stored one; readers never see it, and the next
// StoreLog starts over.
func TestStoreLogAfterInterruptedOne(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	if err := db.ReplaceLog(ctx, []harvester.Contribution{row("old", "2025-01-01")}); err != nil {
		t.Fatal(err)
	}
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		if err := resetLogNext(tx); err != nil {
			return err
		}
		return putRows(tx, []logRow{{key: logKey("2025-02-02", 0), id: "half", value: []byte("junk")}})
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := readLog(t, db); len(got) != 1 || got[0] != "old" {
		t.Errorf("log while another is half written: %q, want the old one", got)
	}
	mustCheck(t, db)
	if err := db.ReplaceLog(ctx, []harvester.Contribution{row("new", "2025-03-01")}); err != nil {
		t.Fatal(err)
	}
	if got := readLog(t, db); len(got) != 1 || got[0] != "new" {
		t.Errorf("log %q, want the new one", got)
	}
	db.bolt.View(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketLogNext) != nil {
			t.Error("the log being written was left behind")
		}
		return nil
	})
	mustCheck(t, db)
}

// A log larger than a chunk is written in several transactions and read
// back whole, in order, with every id found.
func TestStoreLogChunks(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	n := 2*logChunkRows + 7
	log := make([]harvester.Contribution, n)
	for i := range log {
		log[i] = row(fmt.Sprintf("id%06d", n-i), fmt.Sprintf("2025-%02d-%02d", 1+i*12/n, 1+i%28))
	}
	log[n-1].ID = log[0].ID // a shared id across chunks: the older row wins
	if changed, err := db.StoreLog(ctx, log, "s"); err != nil || !changed {
		t.Fatalf("changed=%v err=%v", changed, err)
	}
	got := readLog(t, db)
	if len(got) != n {
		t.Fatalf("%d rows, want %d", len(got), n)
	}
	for _, i := range []int{0, logChunkRows, n - 2} {
		if c, err := db.Contribution(ctx, log[i].ID); err != nil || c.Date != log[i].Date {
			t.Errorf("row %d: %+v %v", i, c.Date, err)
		}
	}
	mustCheck(t, db)
}

// A row that cannot be encoded fails StoreLog even when the chunks before
// it were written already: the stored log stays as it was, and the next
// StoreLog works.
func TestStoreLogFailsInALaterChunk(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	old := []harvester.Contribution{row("old1", "2024-01-01"), row("old2", "2024-01-02")}
	if _, err := db.StoreLog(ctx, old, "s0"); err != nil {
		t.Fatal(err)
	}
	n := 2*logChunkRows + 5
	log := make([]harvester.Contribution, n)
	for i := range log {
		log[i] = row(fmt.Sprintf("id%06d", i), "2025-01-01") // one date: rows in position order
	}
	// A zone offset time's binary form cannot hold, in the second chunk.
	bad := logChunkRows + 3
	log[bad].Observations[0].FirstSeen = pass(0).In(time.FixedZone("far", -40000*60))
	changed, err := db.StoreLog(ctx, log, "s1")
	if err == nil || changed {
		t.Fatalf("changed=%v err=%v, want an error", changed, err)
	}
	if !strings.Contains(err.Error(), log[bad].ID) {
		t.Errorf("error %q does not name the row", err)
	}
	if got := readLog(t, db); strings.Join(got, ",") != "old1,old2" {
		t.Errorf("the stored log changed: %q", got)
	}
	if st := mustLogState(t, db); st.Stamp != "s0" || st.Rows != 2 {
		t.Errorf("state %+v, want the old log's", st)
	}
	mustCheck(t, db)
	log[bad].Observations[0].FirstSeen = pass(0)
	if changed, err := db.StoreLog(ctx, log, "s2"); err != nil || !changed {
		t.Fatalf("after the failure: changed=%v err=%v", changed, err)
	}
	if got := readLog(t, db); len(got) != n {
		t.Errorf("%d rows, want %d", len(got), n)
	}
	mustCheck(t, db)
}

func TestRevision(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	state := harvester.SourceState{Name: "blog", Type: "feed"}
	steps := []struct {
		name string
		do   func() error
		bump bool
	}{
		{"a batch with observations", func() error { _, err := db.SaveBatch(ctx, state, batchOf("blog", 2), pass(0)); return err }, true},
		{"the same batch again (seen times move)", func() error { _, err := db.SaveBatch(ctx, state, batchOf("blog", 2), pass(1)); return err }, true},
		{"a 304", func() error {
			_, err := db.SaveBatch(ctx, state, &harvester.Batch{NotModified: true}, pass(2))
			return err
		}, false},
		{"a failure", func() error { return db.SaveFailure(ctx, state, pass(3), errors.New("boom")) }, false},
		{"a state", func() error { return db.SaveState(ctx, state) }, false},
		{"an edit", func() error { return db.SaveEdit(ctx, harvester.Edit{ID: "e1"}) }, true},
		{"an edit deleted", func() error { return db.DeleteEdit(ctx, "e1") }, true},
		{"a log", func() error { return db.ReplaceLog(ctx, []harvester.Contribution{row("a", "2025-01-01")}) }, false},
		{"a failed group", func() error {
			_, err := db.SaveBatches(ctx, []BatchItem{{State: state, Batch: &harvester.Batch{Observations: []harvester.Observation{obs("blog", "")}}}})
			if err == nil {
				return errors.New("accepted")
			}
			return nil
		}, false},
	}
	prev := mustLogState(t, db).Revision
	for _, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		rev := mustLogState(t, db).Revision
		if (rev != prev) != s.bump {
			t.Errorf("%s: revision %d -> %d, want moved=%v", s.name, prev, rev, s.bump)
		}
		prev = rev
	}
}
