package store

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/contriblog/contriblog/harvester"
)

// putRaw stores value under key in bucket as it is, bypassing the encoders:
// a record as a damaged file holds it.
func putRaw(t *testing.T, db *DB, bucket []byte, key, value string) {
	t.Helper()
	err := db.bolt.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucket).Put([]byte(key), []byte(value)) })
	if err != nil {
		t.Fatal(err)
	}
}

// logTo makes db log into a builder the test reads.
func logTo(db *DB) *strings.Builder {
	var logged strings.Builder
	db.logger = slog.New(slog.NewTextHandler(&logged, nil))
	return &logged
}

// wantSkipWarning fails the test unless logged holds a warning naming
// bucket and key.
func wantSkipWarning(t *testing.T, logged, bucket, key string) {
	t.Helper()
	if !strings.Contains(logged, "level=WARN") || !strings.Contains(logged, "bucket="+bucket) || !strings.Contains(logged, key) {
		t.Errorf("log = %q, want a warning naming bucket %s and key %s", logged, bucket, key)
	}
}

// An edit that does not decode is skipped with a warning naming its bucket
// and key; the other edits come back (one bad record must not undo every
// curation).
func TestUndecodableEditIsSkipped(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	logged := logTo(db)
	for _, id := range []string{"aaaaaaaaaa", "cccccccccc"} {
		if err := db.SaveEdit(ctx, harvester.Edit{ID: id, Exclude: ptr(true)}); err != nil {
			t.Fatal(err)
		}
	}
	putRaw(t, db, bucketEdits, "bbbbbbbbbb", `{"id": "bbbbbbbbbb", "exclude": tru`)
	edits, err := db.Edits(ctx)
	if err != nil {
		t.Fatalf("Edits: %v", err)
	}
	var ids []string
	for _, e := range edits {
		ids = append(ids, e.ID)
	}
	if !slices.Equal(ids, []string{"aaaaaaaaaa", "cccccccccc"}) {
		t.Errorf("edits = %v, want aaaaaaaaaa and cccccccccc", ids)
	}
	wantSkipWarning(t, logged.String(), "edits", "bbbbbbbbbb")
}

// A source state that does not decode is skipped by SourceStates with a
// warning naming its bucket and key: `contriblog sources` still shows the
// others.
func TestUndecodableSourceStateIsSkipped(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	logged := logTo(db)
	for _, name := range []string{"blog", "talks"} {
		if err := db.SaveState(ctx, harvester.SourceState{Name: name, Type: "feed"}); err != nil {
			t.Fatal(err)
		}
	}
	putRaw(t, db, bucketSources, "github", "\x00\x01 not json")
	states, err := db.SourceStates(ctx)
	if err != nil {
		t.Fatalf("SourceStates: %v", err)
	}
	var names []string
	for _, st := range states {
		names = append(names, st.Name)
	}
	if !slices.Equal(names, []string{"blog", "talks"}) {
		t.Errorf("states = %v, want blog and talks", names)
	}
	wantSkipWarning(t, logged.String(), "sources", "github")
}

// SourceState reads a state that does not decode as never seen, with a
// warning, so the source's next pass runs and stores a sound state, and a
// failure is recorded over it, instead of every pass failing.
func TestUndecodableSourceStateStartsOver(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	logged := logTo(db)
	putRaw(t, db, bucketSources, "github", "\x00\x01 not json")
	if st, err := db.SourceState(ctx, "github"); err != nil || st.Name != "github" || !st.LastRun.IsZero() {
		t.Errorf("SourceState of the undecodable state = %+v, %v; want a zero state", st, err)
	}
	mustSave(t, db, "github", batchOf("github", 2), pass(0))
	if st := mustState(t, db, "github"); st.Items != 2 || !st.LastSuccess.Equal(pass(0)) {
		t.Errorf("state after a pass = %+v, want 2 items and a success", st)
	}
	if err := db.SaveFailure(ctx, harvester.SourceState{Name: "talks"}, pass(1), errors.New("boom")); err != nil {
		t.Fatal(err)
	}
	putRaw(t, db, bucketSources, "talks", "{")
	if err := db.SaveFailure(ctx, harvester.SourceState{Name: "talks"}, pass(2), errors.New("boom")); err != nil {
		t.Errorf("SaveFailure over an undecodable state: %v", err)
	}
	if st := mustState(t, db, "talks"); st.Failures != 1 || st.LastError != "boom" {
		t.Errorf("state after a failure = %+v, want one failure", st)
	}
	wantSkipWarning(t, logged.String(), "sources", "github")
}

// Contribution on a row that does not decode says the database is damaged,
// in the same sentence as a damaged page, and still names the id.
func TestUndecodableContributionIsDamaged(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	if err := db.ReplaceLog(ctx, []harvester.Contribution{row("r1", "2025-01-01"), row("r2", "2025-01-02")}); err != nil {
		t.Fatal(err)
	}
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketLog)
		k := tx.Bucket(bucketLogID).Get([]byte("r2"))
		return b.Put(k, slices.Clone(b.Get(k))[:3])
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.Contribution(ctx, "r2")
	if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), damagedSentence) || !strings.Contains(err.Error(), "r2") {
		t.Errorf("Contribution of an undecodable row: %v, want ErrDamaged, the damaged sentence and the id", err)
	}
	if errors.Is(err, harvester.ErrNotFound) {
		t.Errorf("Contribution of an undecodable row: %v wraps ErrNotFound", err)
	}
	if c, err := db.Contribution(ctx, "r1"); err != nil || c.ID != "r1" {
		t.Errorf("Contribution of a sound row: %v, %v", c.ID, err)
	}
}
