package store

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/contriblog/contriblog/harvester"
)

func TestBackupWhileOpen(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	mustSave(t, db, "blog", batchOf("blog", 4), pass(0))
	if err := db.SaveEdit(ctx, harvester.Edit{ID: "e", Exclude: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	want := allObservations(t, db)
	path := filepath.Join(t.TempDir(), "backups", "contriblog-backup.db")
	for range 2 { // the second replaces the first
		if err := db.Backup(ctx, path); err != nil {
			t.Fatal(err)
		}
	}
	// The original stays usable.
	mustSave(t, db, "blog", batchOf("blog", 5), pass(1))

	copyDB := MustOpenPath(t, path)
	mustCheck(t, copyDB)
	if got := allObservations(t, copyDB); !reflect.DeepEqual(got, want) {
		t.Errorf("backup holds %d observations, want %d", len(got), len(want))
	}
	if edits, err := copyDB.Edits(ctx); err != nil || len(edits) != 1 {
		t.Errorf("edits in backup: %v %v", edits, err)
	}
	if err := db.Backup(ctx, db.Path()); err == nil {
		t.Error("a backup over the database itself was accepted")
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("backup directory holds %d files, want 1 (no temporary left)", len(entries))
	}
}
