package store

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// restoreNow is the clock of the restore tests.
var restoreNow = time.Date(2026, 11, 22, 9, 30, 0, 0, time.FixedZone("CET", 3600))

func restoreOpts() RestoreOptions {
	return RestoreOptions{Timeout: -1, Now: func() time.Time { return restoreNow }, Logger: quiet}
}

// savedDB writes a database holding n observations of "blog", closes it
// and returns its path.
func savedDB(t *testing.T, n int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "contriblog.db")
	db, err := Open(path, Options{Logger: quiet, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	mustSave(t, db, "blog", batchOf("blog", n), pass(0))
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// observationsAt opens the database at path and returns how many
// observations it holds, after checking it.
func observationsAt(t *testing.T, path string) int {
	t.Helper()
	db := MustOpenPath(t, path)
	mustCheck(t, db)
	n := len(allObservations(t, db))
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return n
}

// A backup of an older schema is restored: its copy is migrated, the
// backup itself is left as it was.
func TestRestoreOlderSchemaBackup(t *testing.T) {
	backup := savedDB(t, 3)
	toSchema2(t, backup)
	before, _ := os.ReadFile(backup)
	path := savedDB(t, 5)
	r, err := Restore(context.Background(), backup, path, restoreOpts())
	if err != nil {
		t.Fatal(err)
	}
	if want := path + ".replaced-20261122-083000"; r.Kept != want || r.KeptProblem != nil {
		t.Errorf("kept %q (%v), want %q", r.Kept, r.KeptProblem, want)
	}
	if n := observationsAt(t, path); n != 3 {
		t.Errorf("restored database holds %d observations, want 3", n)
	}
	if n := observationsAt(t, r.Kept); n != 5 {
		t.Errorf("kept database holds %d observations, want 5", n)
	}
	if after, _ := os.ReadFile(backup); !bytes.Equal(after, before) {
		t.Error("the backup was changed")
	}
}

// A backup of a newer schema is refused, and nothing changes.
func TestRestoreNewerSchemaBackup(t *testing.T) {
	backup := savedDB(t, 1)
	b, err := bolt.Open(backup, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = b.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keySchemaVersion, []byte(strconv.Itoa(schemaVersion()+1)))
	})
	b.Close()
	if err != nil {
		t.Fatal(err)
	}
	path := savedDB(t, 2)
	before, _ := os.ReadFile(path)
	_, err = Restore(context.Background(), backup, path, restoreOpts())
	if !errors.Is(err, ErrNewerSchema) {
		t.Errorf("err = %v, want ErrNewerSchema", err)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(after, before) {
		t.Error("the database was changed")
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Errorf("the database's directory holds %d files, want 1", len(entries))
	}
}

// A damaged database that another process holds is not replaced, whether
// a writer holds it (the read-only Open that checks it says so) or a
// reader (which that Open shares the file with: the lock Restore then
// takes for the replacement says so).
func TestRestoreHeldDamagedDatabase(t *testing.T) {
	backup := savedDB(t, 1)
	for _, readOnly := range []bool{false, true} {
		path := savedDB(t, 2)
		pages, pageSize := pagesOf(t, path)
		held, err := Open(path, Options{Logger: quiet, ReadOnly: readOnly})
		if err != nil {
			t.Fatal(err)
		}
		overwrite(t, path, pages["leaf"][0], pageSize, randomPage(rand.New(rand.NewPCG(1, 2)), pageSize))
		before, _ := os.ReadFile(path)
		_, err = Restore(context.Background(), backup, path, restoreOpts())
		if !errors.Is(err, ErrLocked) {
			t.Errorf("read-only %v: err = %v, want ErrLocked", readOnly, err)
		}
		if after, _ := os.ReadFile(path); !bytes.Equal(after, before) {
			t.Errorf("read-only %v: the database was changed", readOnly)
		}
		held.Close()
	}
}

// A database reached through a symbolic link is restored where the link
// points, the link left in place; the damaged file is kept beside it, and
// a second restore within the same second gets a name of its own.
func TestRestoreThroughALink(t *testing.T) {
	backup := savedDB(t, 1)
	path := savedDB(t, 2)
	pages, pageSize := pagesOf(t, path)
	overwrite(t, path, pages["leaf"][0], pageSize, randomPage(rand.New(rand.NewPCG(3, 4)), pageSize))
	link := filepath.Join(t.TempDir(), "link.db")
	if err := os.Symlink(path, link); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	ctx := context.Background()
	r, err := Restore(ctx, backup, link, restoreOpts())
	if err != nil {
		t.Fatal(err)
	}
	if want := path + ".damaged-20261122-083000"; r.Path != path || r.Kept != want || !errors.Is(r.KeptProblem, ErrDamaged) {
		t.Errorf("restored %q, kept %q (%v); want %q kept as %q, damaged", r.Path, r.Kept, r.KeptProblem, path, want)
	}
	if target, err := os.Readlink(link); err != nil || target != path {
		t.Errorf("the link points at %q (%v), want %q", target, err, path)
	}
	if n := observationsAt(t, link); n != 1 {
		t.Errorf("restored database holds %d observations, want 1", n)
	}
	os.Rename(r.Kept, r.Kept+".saved")
	// The same second, and a file of the first name in the way.
	os.WriteFile(path+".replaced-20261122-083000", nil, 0o600)
	r, err = Restore(ctx, backup, path, restoreOpts())
	if want := path + ".replaced-20261122-083000-2"; err != nil || r.Kept != want {
		t.Errorf("second restore kept %q (%v), want %q", r.Kept, err, want)
	}
}

// Restoring where there is no database yet creates it, mode 0600, in a
// directory created for it; nothing is kept.
func TestRestoreWithoutADatabase(t *testing.T) {
	backup := savedDB(t, 2)
	os.Chmod(backup, 0o644)
	path := filepath.Join(t.TempDir(), "new", "contriblog.db")
	r, err := Restore(context.Background(), backup, path, restoreOpts())
	if err != nil || r.Kept != "" {
		t.Fatalf("restore: %+v, %v", r, err)
	}
	if info, err := os.Stat(path); err != nil || runtime.GOOS != "windows" && info.Mode().Perm() != 0o600 {
		t.Errorf("restored database: %v, %v; want mode 0600", info.Mode(), err)
	}
	if n := observationsAt(t, path); n != 2 {
		t.Errorf("restored database holds %d observations, want 2", n)
	}
}
