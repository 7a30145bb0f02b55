package store

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/contriblog/contriblog/harvester"
)

func TestMetricHistoryCodec(t *testing.T) {
	points := []harvester.MetricPoint{
		{Metric: "views", Value: 120, At: pass(0)},
		{Metric: "views", Value: -5, At: pass(1).Add(123)},
		{Metric: "stars", Value: 1<<63 - 1, At: pass(2)},
		{Metric: "", Value: -1 << 63},
	}
	got, err := decodeMetricHistory(encodeMetricHistory(points))
	if err != nil {
		t.Fatal(err)
	}
	for i := range got {
		if !got[i].At.Equal(points[i].At) || got[i].Metric != points[i].Metric || got[i].Value != points[i].Value {
			t.Errorf("point %d = %+v, want %+v", i, got[i], points[i])
		}
	}
	if len(got) != len(points) {
		t.Errorf("%d points, want %d", len(got), len(points))
	}
	enc := encodeMetricHistory(points)
	for _, bad := range [][]byte{nil, {0xb2}, enc[:len(enc)-1], append(append([]byte{}, enc...), 0), {formatMetricHistory, 200}} {
		if _, err := decodeMetricHistory(bad); err == nil {
			t.Errorf("decode %x: no error", bad)
		}
	}
}

// The daily pass: a point per metric, whatever the number of unchanged
// passes, and not one byte more in the bucket.
func TestMetricHistoryUnchangedPassesWriteNothing(t *testing.T) {
	db := MustOpenDB(t)
	b := batchOf("yt", 3)
	var first map[string]string
	for i := range 10 {
		mustSave(t, db, "yt", b, pass(i))
		if i == 0 {
			first = rawBucket0(t, db, bucketMetricHistory)
		}
	}
	if after := rawBucket0(t, db, bucketMetricHistory); !reflect.DeepEqual(after, first) {
		t.Error("unchanged passes rewrote the metric history")
	}
	h, err := db.MetricHistory(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 3 {
		t.Fatalf("history of %d observations, want 3", len(h))
	}
	for k, points := range h {
		if len(points) != 1 || points[0].Value != 10 || !points[0].At.Equal(pass(0)) {
			t.Errorf("%q: %+v, want one point of 10 views at the first pass", k, points)
		}
	}
	mustCheck(t, db)
}

// rawBucket0 copies every record of bucket.
func rawBucket0(t *testing.T, db *DB, bucket []byte) map[string]string {
	t.Helper()
	out := map[string]string{}
	if err := db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucket).ForEach(func(k, v []byte) error {
			out[string(k)] = string(v)
			return nil
		})
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestMetricHistoryDamagedRecord(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	mustSave(t, db, "yt", batchOf("yt", 2), pass(0))
	key := string(observationKey("yt", "item-000"))
	putRaw(t, db, bucketMetricHistory, key, "\xd1\x05garbage")
	logged := logTo(db)
	h, err := db.MetricHistory(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := h[key]; ok || len(h["yt\x00item-001"]) != 1 {
		t.Errorf("history %+v, want the damaged record skipped and the other kept", h)
	}
	wantSkipWarning(t, logged.String(), "metric_history", "item-000")
	if err := db.Check(); err == nil {
		t.Error("Check found nothing wrong with a damaged history record")
	}
	// The next change replaces it with the observation's metrics.
	b := batchOf("yt", 2)
	b.Observations[0].Metrics = map[string]int64{"views": 11}
	mustSave(t, db, "yt", b, pass(1))
	h, err = db.MetricHistory(ctx, []string{key})
	if err != nil {
		t.Fatal(err)
	}
	if got := h[key]; len(got) != 1 || got[0].Value != 11 || !got[0].At.Equal(pass(1)) {
		t.Errorf("after a change: %+v, want one point of 11", got)
	}
	mustCheck(t, db)
}

// Schema 6 kept no history: the upgrade gives every observation its
// current metrics as a first point, dated when it was last seen.
func TestMigrateFromSchema6SeedsMetricHistory(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "contriblog.db")
	db := MustOpenPath(t, path)
	b := batchOf("yt", 3)
	b.Observations[2].Metrics = nil
	mustSave(t, db, "yt", b, pass(0))
	mustSave(t, db, "yt", b, pass(4))
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	// What schema 6 held: no bucket at all.
	bdb, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := bdb.Update(func(tx *bolt.Tx) error { return tx.DeleteBucket(bucketMetricHistory) }); err != nil {
		t.Fatal(err)
	}
	bdb.Close()
	setSchemaVersion(t, path, 6)

	db = MustOpenPath(t, path)
	defer db.Close()
	mustCheck(t, db)
	h, err := db.MetricHistory(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 2 {
		t.Fatalf("seeded %d observations, want the 2 with metrics: %+v", len(h), h)
	}
	for k, points := range h {
		if len(points) != 1 || points[0].Metric != "views" || points[0].Value != 10 || !points[0].At.Equal(pass(4)) {
			t.Errorf("%q: %+v, want 10 views at the last sighting", k, points)
		}
	}
	// Growth after the upgrade appends to the seeded point.
	b.Observations[0].Metrics = map[string]int64{"views": 25}
	mustSave(t, db, "yt", b, pass(5))
	k := b.Observations[0].Key()
	h, err = db.MetricHistory(ctx, []string{k})
	if err != nil {
		t.Fatal(err)
	}
	if got := h[k]; len(got) != 2 || got[1].Value != 25 || !got[1].At.Equal(pass(5)) {
		t.Errorf("after growth: %+v, want the seeded point and 25 at pass 5", got)
	}
}
