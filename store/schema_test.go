package store

import (
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

func TestOpenForeignBolt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "other.db")
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = b.Update(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucket([]byte("widgets"))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	b.Close()
	_, err = Open(path, openOpts(false))
	if !errors.Is(err, ErrNotDatabase) || !strings.Contains(err.Error(), "is not a contriblog database") {
		t.Errorf("err = %v, want ErrNotDatabase", err)
	}
}

// setVersion writes a raw schema version into a closed database.
func setVersion(t *testing.T, path, version string) {
	t.Helper()
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keySchemaVersion, []byte(version)) }); err != nil {
		t.Fatal(err)
	}
}

func TestOpenSchemaVersion(t *testing.T) {
	path := filepath.Join(t.TempDir(), "contriblog.db")
	db, err := Open(path, openOpts(false))
	if err != nil {
		t.Fatal(err)
	}
	err = db.bolt.View(func(tx *bolt.Tx) error {
		if v, want := string(tx.Bucket(bucketMeta).Get(keySchemaVersion)), strconv.Itoa(schemaVersion()); v != want {
			t.Errorf("schema version %q, want %s", v, want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	setVersion(t, path, "99")
	for _, readOnly := range []bool{false, true} {
		_, err = Open(path, openOpts(readOnly))
		if !errors.Is(err, ErrNewerSchema) || !strings.Contains(err.Error(), "newer contriblog (schema version 99") {
			t.Errorf("read-only %v: err = %v, want ErrNewerSchema", readOnly, err)
		}
	}
	setVersion(t, path, "banana")
	if _, err = Open(path, openOpts(false)); !errors.Is(err, ErrNotDatabase) {
		t.Errorf("bad version: err = %v, want ErrNotDatabase", err)
	}
}

func TestMigrations(t *testing.T) {
	path := filepath.Join(t.TempDir(), "contriblog.db")
	db := MustOpenPath(t, path)
	mustSave(t, db, "blog", batchOf("blog", 2), pass(0))
	db.Close()

	saved := migrations
	t.Cleanup(func() { migrations = saved })
	migrations = append(saved[:len(saved):len(saved)], func(tx *bolt.Tx) error {
		return errors.New("disk on fire")
	})
	last := fmt.Sprintf("migrate schema %d to %d: disk on fire", len(saved), len(saved)+1)
	if _, err := Open(path, openOpts(false)); err == nil || !strings.Contains(err.Error(), last) {
		t.Fatalf("failing migration: %v", err)
	}
	if _, err := Open(path, openOpts(true)); err == nil || !strings.Contains(err.Error(), "older schema") {
		t.Fatalf("read-only open of an old schema: %v", err)
	}

	ran := 0
	migrations[len(migrations)-1] = func(tx *bolt.Tx) error {
		ran++
		_, err := tx.CreateBucket([]byte("new-in-next"))
		return err
	}
	db = MustOpenPath(t, path)
	err := db.bolt.View(func(tx *bolt.Tx) error {
		if v := string(tx.Bucket(bucketMeta).Get(keySchemaVersion)); v != strconv.Itoa(len(saved)+1) || tx.Bucket([]byte("new-in-next")) == nil {
			t.Errorf("after migration: version %q", v)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	MustOpenPath(t, path)
	if ran != 1 {
		t.Errorf("migration ran %d times, want once", ran)
	}
}

func TestOpenUninitialisedReadOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "empty.db")
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	b.Close()
	if _, err := Open(path, openOpts(true)); err == nil || !strings.Contains(err.Error(), "not initialised") {
		t.Errorf("err = %v", err)
	}
	// A writer initialises it.
	mustCheck(t, MustOpenPath(t, path))
}
