package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/contriblog/contriblog/harvester"
)

// writeSchema1 makes a database as contriblog wrote schema version 1: JSON
// observations without seen times, and JSON log rows.
func writeSchema1(t *testing.T, path string, observations []harvester.Observation, log []harvester.Contribution) {
	t.Helper()
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	jsonOf := func(v any) []byte {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
		return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	}
	err = b.Update(func(tx *bolt.Tx) error {
		if err := createBuckets(tx); err != nil {
			return err
		}
		if err := tx.Bucket(bucketMeta).Put(keySchemaVersion, []byte("1")); err != nil {
			return err
		}
		for i := range observations {
			o := observations[i]
			o.Date, o.EndDate = o.Date.UTC(), o.EndDate.UTC()
			k := observationKey(o.Source, o.NativeID)
			if err := tx.Bucket(bucketObservations).Put(k, jsonOf(recordV1{Observation: &o})); err != nil {
				return err
			}
			if err := tx.Bucket(bucketSeen).Put(k, encodeSeen(pass(0), pass(1))); err != nil {
				return err
			}
		}
		for i := range log {
			key := logKey(log[i].Date, i)
			if err := tx.Bucket(bucketLog).Put(key, jsonOf(&log[i])); err != nil {
				return err
			}
			if err := tx.Bucket(bucketLogID).Put([]byte(log[i].ID), key); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestMigrateFromSchema1(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "contriblog.db")
	b := batchOf("blog", 3)
	b.Observations[1].Categories, b.Observations[1].Meta = nil, nil
	log := []harvester.Contribution{row("r1", "2025-01-01"), row("r2", "2025-02-01")}
	log[1].OtherURLs, log[1].Metrics = []string{}, nil
	writeSchema1(t, path, b.Observations, log)

	db := MustOpenPath(t, path)
	mustCheck(t, db)
	got := allObservations(t, db)
	for _, o := range b.Observations {
		want := o
		want.Date, want.EndDate = o.Date.UTC(), o.EndDate.UTC()
		want.FirstSeen, want.LastSeen = pass(0), pass(1)
		if g := got[o.Key()]; !reflect.DeepEqual(g, want) {
			t.Errorf("observation %s after migration:\n got %+v\nwant %+v", o.NativeID, g, want)
		}
	}
	var rows []harvester.Contribution
	if err := db.ForEachContribution(ctx, func(c *harvester.Contribution) error {
		rows = append(rows, *c)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	wantRows := jsonRoundTrip(t, log)
	if !reflect.DeepEqual(rows, wantRows) {
		t.Errorf("log after migration:\n got %+v\nwant %+v", rows, wantRows)
	}
	if c, err := db.Contribution(ctx, "r2"); err != nil || c.Date != "2025-02-01" {
		t.Errorf("Contribution(r2) = %+v, %v", c, err)
	}

	// Migrated records are what this build writes: the same batch is
	// unchanged and the same log is not rewritten.
	if res := mustSave(t, db, "blog", b, pass(2)); res.Unchanged != 3 {
		t.Errorf("re-saving the migrated batch: %+v, want 3 unchanged", res)
	}
	if st, err := db.LogState(ctx); err != nil || st.Rows != 2 || st.Stamp != "" {
		t.Errorf("log state after migration = %+v, %v; want 2 rows and no stamp", st, err)
	}
	if changed, err := db.StoreLog(ctx, wantRows, "s"); err != nil || changed {
		t.Errorf("storing the migrated log again: changed=%v err=%v, want unchanged", changed, err)
	}
}

func jsonRoundTrip(t *testing.T, log []harvester.Contribution) []harvester.Contribution {
	t.Helper()
	b, err := json.Marshal(log)
	if err != nil {
		t.Fatal(err)
	}
	var out []harvester.Contribution
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestMigrateFromSchema1Damaged(t *testing.T) {
	path := filepath.Join(t.TempDir(), "contriblog.db")
	writeSchema1(t, path, batchOf("blog", 1).Observations, nil)
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	key := observationKey("blog", "item-000")
	if err := b.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketObservations).Put(key, []byte("{")) }); err != nil {
		t.Fatal(err)
	}
	b.Close()
	if _, err := Open(path, openOpts(false)); err == nil {
		t.Fatal("a damaged schema 1 database migrated")
	}
	// The failed migration changed nothing: still schema 1.
	b, err = bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	b.View(func(tx *bolt.Tx) error {
		if v := string(tx.Bucket(bucketMeta).Get(keySchemaVersion)); v != "1" {
			t.Errorf("schema version %q after a failed migration, want 1", v)
		}
		return nil
	})
}

// toSchema2 turns a database this build wrote back into schema 2:
// observations hold their description (format 0xb1), there is no
// descriptions bucket, and log rows hold theirs (format 0xc1).
func toSchema2(t *testing.T, path string) {
	t.Helper()
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	// A 0xb2 core keeps the description's length where 0xb1 kept its
	// length and bytes; a 0xc2 row with its own description has a 0
	// before the description where 0xc1 had nothing.
	after := func(v []byte, format byte, strs int) int {
		r := recordReader{s: string(v)}
		r.start(format)
		for range strs {
			r.str()
		}
		return r.off
	}
	err = b.Update(func(tx *bolt.Tx) error {
		obs, text := tx.Bucket(bucketObservations), tx.Bucket(bucketText)
		if err := obs.ForEach(func(k, v []byte) error {
			at := after(v, formatObservation, 6)
			r := recordReader{s: string(v[at:])}
			r.uvarint()
			at += r.off
			old := append(append(append([]byte{formatObservationV2}, v[1:at]...), text.Get(k)...), v[at:]...)
			return obs.Put(append([]byte(nil), k...), old)
		}); err != nil {
			return err
		}
		if err := tx.DeleteBucket(bucketText); err != nil {
			return err
		}
		log := tx.Bucket(bucketLog)
		if err := log.ForEach(func(k, v []byte) error {
			at := after(v, formatContribution, 6)
			if v[at] != 0 {
				t.Fatalf("row %q refers to an observation: schema 2 cannot hold it", k)
			}
			old := append(append([]byte{formatContributionV1}, v[1:at]...), v[at+1:]...)
			return log.Put(append([]byte(nil), k...), old)
		}); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keySchemaVersion, []byte("2"))
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestMigrateFromSchema2(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "contriblog.db")
	b := batchOf("blog", 3)
	b.Observations[2].Description = ""
	log := []harvester.Contribution{row("r1", "2025-01-01"), row("r2", "2025-02-01")}
	log[0].Description = "The first row's own description"
	first, err := Open(path, Options{Logger: quiet, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	mustSave(t, first, "blog", b, pass(0))
	if err := first.ReplaceLog(ctx, log); err != nil {
		t.Fatal(err)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	toSchema2(t, path)

	db := MustOpenPath(t, path)
	mustCheck(t, db)
	got := allObservations(t, db)
	for _, o := range b.Observations {
		if g := got[o.Key()]; g.Description != o.Description || g.Title != o.Title {
			t.Errorf("observation %s after migration: %+v, want description %q", o.NativeID, g, o.Description)
		}
	}
	if c, err := db.Contribution(ctx, "r1"); err != nil || c.Description != log[0].Description {
		t.Errorf("Contribution(r1) = %+v, %v", c, err)
	}
	if res := mustSave(t, db, "blog", b, pass(1)); res.Unchanged != 3 {
		t.Errorf("re-saving the migrated batch: %+v, want 3 unchanged", res)
	}
	mustCheck(t, db)
}

// setSchemaVersion makes the database at path claim schema version v.
func setSchemaVersion(t *testing.T, path string, v int) {
	t.Helper()
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keySchemaVersion, []byte(strconv.Itoa(v)))
	}); err != nil {
		t.Fatal(err)
	}
}

// Schema 3 kept a calendar's URL (maybe a private address) as the link of
// its events without a page of their own; schema 4 blanks it and keeps
// everything else.
func TestMigrateFromSchema3ScrubsListingURLs(t *testing.T) {
	const secret = "https://calendar.google.com/calendar/ical/p%40example.com/private-0123456789abcdef0123456789abcdef/basic.ics"
	path := filepath.Join(t.TempDir(), "contriblog.db")
	b := batchOf("cal", 3)
	b.Observations[0].URL, b.Observations[0].URLIsListing = secret, true
	b.Observations[0].Description = "An event without a page of its own."
	b.Observations[1].URL = "https://meetup.example/e/42"
	db := MustOpenPath(t, path)
	mustSave(t, db, "cal", b, pass(0))
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	setSchemaVersion(t, path, 3)

	if _, err := Open(path, Options{Logger: quiet, ReadOnly: true}); !errors.Is(err, ErrOlderSchema) {
		t.Fatalf("read-only Open of schema 3: %v; want ErrOlderSchema", err)
	}
	db = MustOpenPath(t, path)
	defer db.Close()
	mustCheck(t, db)
	got := allObservations(t, db)
	listing := got[b.Observations[0].Key()]
	if listing.URL != "" || listing.URLIsListing || listing.Description != b.Observations[0].Description || listing.Title != b.Observations[0].Title {
		t.Errorf("the listing's event after migration: %+v; want no URL and the rest kept", listing)
	}
	if own := got[b.Observations[1].Key()]; own.URL != "https://meetup.example/e/42" {
		t.Errorf("an event's own page after migration: %q", own.URL)
	}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketObservations).ForEach(func(k, v []byte) error {
			if bytes.Contains(v, []byte("private-0123")) {
				t.Errorf("observation %s still holds the calendar's address", k)
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
}
