package store

import (
	"bytes"
	"encoding/hex"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/contriblog/contriblog/harvester"
)

// Records as schema 4 wrote them (before the forms' fields): obs("blog",
// "a") without its description, and row("r1", "2025-01-01") with the
// description "own".
const (
	schema4Observation = "b204626c6f6701610b50726979612052616d616e04426c6f670006506f73742061191868747470733a2f2f707269796172616d616e2e6465762f610000000f010000000ee0fa9c8800000000003c000000000305617a7572650369616300020576696577731402046c616e6702656e0000000000"
	schema4Row         = "c20272310b50726979612052616d616e04426c6f670a323032352d30312d303100085469746c6520723100036f776e1968747470733a2f2f707269796172616d616e2e6465762f723106417574686f720002054269636570000200000204626c6f6702057669657773060204626c6f670272310000000f010000000ee135cce000000000ffff0f010000000ee136214000000000ffff0000"
)

func mustHex(tb testing.TB, s string) []byte {
	tb.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// A record stored before the forms' fields decodes without them, and a
// record that has none is written byte for byte as before: an observation
// seen again is still found unchanged, a rebuilt row still equal.
func TestRecordsStoredBeforeFormsFields(t *testing.T) {
	old := mustHex(t, schema4Observation)
	o, descLen, err := decodeObservation(old)
	if err != nil {
		t.Fatal(err)
	}
	want := obs("blog", "a")
	if descLen != len(want.Description) {
		t.Errorf("description length %d, want %d", descLen, len(want.Description))
	}
	o.Description = want.Description
	if !o.Date.Equal(want.Date) || !o.EndDate.Equal(want.EndDate) {
		t.Errorf("dates %v %v, want %v %v", o.Date, o.EndDate, want.Date, want.EndDate)
	}
	o.Date, o.EndDate = want.Date, want.EndDate
	if !reflect.DeepEqual(*o, want) {
		t.Errorf("schema 4 observation:\n got %+v\nwant %+v", *o, want)
	}
	if again, _, _ := encodeObservation(o); !bytes.Equal(again, old) {
		t.Errorf("an observation without the forms' fields encodes as\n%x\nwas\n%x", again, old)
	}

	oldRow := mustHex(t, schema4Row)
	c, err := decodeContribution(oldRow)
	if err != nil {
		t.Fatal(err)
	}
	wantRow := row("r1", "2025-01-01")
	wantRow.Description = "own"
	if c.PrivateDescription != "" || c.MicrosoftEvent != "" || c.HighImpact || c.Counts != nil {
		t.Errorf("schema 4 row has forms' fields: %+v", c)
	}
	if c.Title != wantRow.Title || c.Description != "own" || !reflect.DeepEqual(c.Metrics, wantRow.Metrics) ||
		!c.Observations[0].FirstSeen.Equal(pass(0)) {
		t.Errorf("schema 4 row = %+v", c)
	}
	if again, _ := encodeContribution(c); !bytes.Equal(again, oldRow) {
		t.Errorf("a row without the forms' fields encodes as\n%x\nwas\n%x", again, oldRow)
	}
}

// Any one of the forms' fields puts a record in the new format, and each
// comes back; a row's empty counts stay apart from none ({} and null in
// the JSON).
func TestFormsFieldsRoundTrip(t *testing.T) {
	for name, set := range map[string]func(*harvester.Observation){
		"private description": func(o *harvester.Observation) { o.PrivateDescription = "for the program only" },
		"microsoft event":     func(o *harvester.Observation) { o.MicrosoftEvent = "Ignite" },
		"high impact":         func(o *harvester.Observation) { o.HighImpact = true },
		"counts":              func(o *harvester.Observation) { o.Counts = map[string]int64{"views": 1200, "attendees": 0} },
	} {
		o := obs("blog", "a")
		set(&o)
		core, text, err := encodeObservation(&o)
		if err != nil {
			t.Fatal(err)
		}
		if core[0] != formatObservationForms {
			t.Errorf("%s: observation format %#x", name, core[0])
		}
		got := decodeWhole(t, core, text)
		if got.Date.Equal(o.Date) {
			got.Date = o.Date // the zone's name is not stored
		}
		if !reflect.DeepEqual(*got, o) {
			t.Errorf("%s: observation\n got %+v\nwant %+v", name, *got, o)
		}

		c := row("r1", "2025-01-01")
		c.PrivateDescription, c.MicrosoftEvent, c.HighImpact, c.Counts = o.PrivateDescription, o.MicrosoftEvent, o.HighImpact, o.Counts
		data, err := encodeContribution(&c)
		if err != nil {
			t.Fatal(err)
		}
		if data[0] != formatContributionForms {
			t.Errorf("%s: row format %#x", name, data[0])
		}
		if got, err := decodeContribution(data); err != nil || !reflect.DeepEqual(*got, c) {
			t.Errorf("%s: row\n got %+v, %v\nwant %+v", name, got, err, c)
		}
	}
	c := row("r1", "2025-01-01")
	c.Counts = map[string]int64{}
	data, _ := encodeContribution(&c)
	if got, err := decodeContribution(data); err != nil || got.Counts == nil || len(got.Counts) != 0 {
		t.Errorf("empty counts came back as %#v, %v", got.Counts, err)
	}
	for n := range len(data) {
		if _, err := decodeContribution(data[:n]); err == nil {
			t.Errorf("a row of format %#x cut to %d bytes decoded", data[0], n)
		}
	}
}

// Schema 4 becomes 5 without a record rewritten: an older contriblog must
// refuse a file that may hold the new formats, and nothing else changes.
func TestMigrateFromSchema4(t *testing.T) {
	path := filepath.Join(t.TempDir(), "contriblog.db")
	db := MustOpenPath(t, path)
	mustSave(t, db, "blog", batchOf("blog", 3), pass(0))
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	setSchemaVersion(t, path, 4)
	before := rawBucket(t, path, bucketObservations)

	db = MustOpenPath(t, path)
	mustCheck(t, db)
	if res := mustSave(t, db, "blog", batchOf("blog", 3), pass(1)); res.Unchanged != 3 {
		t.Errorf("re-saving after the upgrade: %+v, want 3 unchanged", res)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if after := rawBucket(t, path, bucketObservations); !reflect.DeepEqual(after, before) {
		t.Error("the upgrade to schema 5 rewrote observations")
	}
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	b.View(func(tx *bolt.Tx) error {
		if v := string(tx.Bucket(bucketMeta).Get(keySchemaVersion)); v != strconv.Itoa(schemaVersion()) || v != "7" {
			t.Errorf("schema version %q after the upgrade, want 7", v)
		}
		return nil
	})
}

// rawBucket returns a copy of every key and value of a bucket of the
// closed database at path.
func rawBucket(t *testing.T, path string, name []byte) map[string]string {
	t.Helper()
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	out := map[string]string{}
	b.View(func(tx *bolt.Tx) error {
		return tx.Bucket(name).ForEach(func(k, v []byte) error {
			out[string(k)] = string(v)
			return nil
		})
	})
	return out
}
