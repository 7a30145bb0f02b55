package store

import (
	"context"
	"strings"
	"sync"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/contriblog/contriblog/harvester"
)

func TestCheck(t *testing.T) {
	key := []byte(harvester.ObservationKey("blog", "item-000"))
	tests := []struct {
		name   string
		damage func(tx *bolt.Tx) error
		want   string
	}{
		{"sound", func(*bolt.Tx) error { return nil }, ""},
		{"seen record lost", func(tx *bolt.Tx) error { return tx.Bucket(bucketSeen).Delete(key) }, "has no seen record"},
		{"observation lost", func(tx *bolt.Tx) error { return tx.Bucket(bucketObservations).Delete(key) }, "has no observation"},
		{"description lost", func(tx *bolt.Tx) error { return tx.Bucket(bucketText).Delete(key) }, "its description has 0 bytes"},
		{"description without observation", func(tx *bolt.Tx) error {
			return tx.Bucket(bucketText).Put([]byte("blog\x00ghost"), []byte("text"))
		}, "has no observation"},
		{"seen record damaged", func(tx *bolt.Tx) error { return tx.Bucket(bucketSeen).Put(key, []byte("x")) }, "seen record of"},
		{"observation damaged", func(tx *bolt.Tx) error { return tx.Bucket(bucketObservations).Put(key, []byte("{")) }, "does not decode"},
		{"observation under another source", func(tx *bolt.Tx) error {
			v, _, err := encodeObservation(&harvester.Observation{Source: "other", NativeID: "item-000"})
			if err != nil {
				return err
			}
			return tx.Bucket(bucketObservations).Put(key, v)
		}, "another source"},
		{"log index dangling", func(tx *bolt.Tx) error { return tx.Bucket(bucketLogID).Put([]byte("ghost"), []byte("nowhere")) }, "missing row"},
		{"log index crossed", func(tx *bolt.Tx) error {
			k := tx.Bucket(bucketLogID).Get([]byte("r1"))
			return tx.Bucket(bucketLogID).Put([]byte("r2"), append([]byte(nil), k...))
		}, `row of id "r1"`},
		{"edit damaged", func(tx *bolt.Tx) error { return tx.Bucket(bucketEdits).Put([]byte("e"), []byte("[")) }, "edits"},
		{"schema version lost", func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Delete(keySchemaVersion) }, "schema"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := MustOpenDB(t)
			mustSave(t, db, "blog", batchOf("blog", 3), pass(0))
			if err := db.ReplaceLog(context.Background(), []harvester.Contribution{row("r1", "2025-01-01"), row("r2", "2025-01-02")}); err != nil {
				t.Fatal(err)
			}
			if err := db.bolt.Update(tt.damage); err != nil {
				t.Fatal(err)
			}
			err := db.Check()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("sound database: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("err = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestConcurrentUse(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			name := string(rune('a' + w))
			for i := range 10 {
				if _, err := db.SaveBatch(ctx, harvester.SourceState{Name: name}, batchOf(name, 5+i), pass(i)); err != nil {
					t.Error(err)
				}
			}
		})
		wg.Go(func() {
			for range 10 {
				if err := db.ForEachObservation(ctx, harvester.WithDescriptions, func(*harvester.Observation) error { return nil }); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	states, err := db.SourceStates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range states {
		if st.Items != 14 {
			t.Errorf("%s: Items = %d, want 14", st.Name, st.Items)
		}
	}
	mustCheck(t, db)
}
