package store

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/contriblog/contriblog/harvester"
)

func openOpts(readOnly bool) Options {
	return Options{Logger: quiet, NoSync: true, ReadOnly: readOnly, Timeout: 100 * time.Millisecond}
}

func TestOpenLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "contriblog.db")
	MustOpenPath(t, path)
	for _, readOnly := range []bool{false, true} {
		_, err := Open(path, openOpts(readOnly))
		if !errors.Is(err, ErrLocked) {
			t.Fatalf("read-only %v: err = %v, want ErrLocked", readOnly, err)
		}
		want := "database " + path + " is in use by another contriblog process (a running `contriblog run` holds it)"
		if err.Error() != want {
			t.Errorf("message %q\nwant    %q", err, want)
		}
	}
}

func TestOpenReadersShare(t *testing.T) {
	path := filepath.Join(t.TempDir(), "contriblog.db")
	db := MustOpenPath(t, path)
	mustSave(t, db, "blog", batchOf("blog", 2), pass(0))
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	var readers []*DB
	for range 2 {
		r, err := Open(path, openOpts(true))
		if err != nil {
			t.Fatalf("reader: %v", err)
		}
		readers = append(readers, r)
	}
	if n := len(allObservations(t, readers[1])); n != 2 {
		t.Errorf("reader sees %d observations, want 2", n)
	}
	if err := readers[0].SaveEdit(context.Background(), harvester.Edit{ID: "x"}); err == nil {
		t.Error("a read-only database accepted a write")
	}
	if _, err := Open(path, openOpts(false)); !errors.Is(err, ErrLocked) {
		t.Errorf("writer beside readers: err = %v, want ErrLocked", err)
	}
	for _, r := range readers {
		if err := r.Close(); err != nil {
			t.Error(err)
		}
	}
}

func TestReopenKeepsEverything(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "contriblog.db")
	db, err := Open(path, openOpts(false))
	if err != nil {
		t.Fatal(err)
	}
	mustSave(t, db, "blog", batchOf("blog", 3), pass(0))
	if err := db.SaveFailure(ctx, harvester.SourceState{Name: "gh", Type: "github"}, pass(0), errors.New("boom")); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveEdit(ctx, harvester.Edit{ID: "e1", Title: ptr("T")}); err != nil {
		t.Fatal(err)
	}
	if err := db.ReplaceLog(ctx, []harvester.Contribution{row("r1", "2025-05-01")}); err != nil {
		t.Fatal(err)
	}
	before := allObservations(t, db)
	states, _ := db.SourceStates(ctx)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Errorf("second close: %v", err)
	}

	db = MustOpenPath(t, path)
	if db.Path() != path {
		t.Errorf("Path() = %q, want %q", db.Path(), path)
	}
	if after := allObservations(t, db); !reflect.DeepEqual(after, before) {
		t.Errorf("observations changed across reopen:\n%v\n%v", before, after)
	}
	if got, _ := db.SourceStates(ctx); !reflect.DeepEqual(got, states) {
		t.Errorf("states changed across reopen: %+v", got)
	}
	if edits, _ := db.Edits(ctx); len(edits) != 1 || *edits[0].Title != "T" {
		t.Errorf("edits after reopen: %+v", edits)
	}
	if _, err := db.Contribution(ctx, "r1"); err != nil {
		t.Errorf("log after reopen: %v", err)
	}
	if res := mustSave(t, db, "blog", batchOf("blog", 3), pass(1)); res.Unchanged != 3 {
		t.Errorf("after reopen: %+v, want 3 unchanged", res)
	}
	mustCheck(t, db)
}

func TestOpenNotADatabase(t *testing.T) {
	junk := func(n int) []byte { return bytes.Repeat([]byte("person: Priya Raman\n"), n/20+1)[:n] }
	tests := []struct {
		name    string
		content []byte
	}{
		{"tiny text file", []byte("hello\n")},
		{"one page of text", junk(5000)},
		{"many pages of text", junk(64 << 10)},
		{"zeros", make([]byte, 16<<10)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "contriblog.yaml")
			if err := os.WriteFile(path, tt.content, 0o600); err != nil {
				t.Fatal(err)
			}
			for _, readOnly := range []bool{false, true} {
				_, err := Open(path, openOpts(readOnly))
				if !errors.Is(err, ErrNotDatabase) || !strings.Contains(err.Error(), path+" is not a contriblog database") {
					t.Errorf("read-only %v: err = %v", readOnly, err)
				}
			}
			if got, _ := os.ReadFile(path); !bytes.Equal(got, tt.content) {
				t.Error("the file was modified")
			}
		})
	}
}

func TestOpenCreatesParentDirectory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "contriblog", "contriblog.db")
	db := MustOpenPath(t, path)
	mustCheck(t, db)
	info, err := os.Stat(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o700 {
		t.Errorf("directory mode %v, want 0700", perm)
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("file: %v %v, want mode 0600", info.Mode(), err)
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	aFile := filepath.Join(dir, "file")
	if err := os.WriteFile(aFile, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		path     string
		readOnly bool
		want     string
		is       error
	}{
		{"parent is a file", filepath.Join(aFile, "sub", "contriblog.db"), false, "create database directory " + filepath.Join(aFile, "sub"), nil},
		{"path is a directory", dir, false, "open database " + dir, nil},
		{"read-only, missing", filepath.Join(dir, "missing.db"), true, "open database", fs.ErrNotExist},
		{"no path", "", false, "no path", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Open(tt.path, openOpts(tt.readOnly))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one containing %q", err, tt.want)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("err = %v, want one wrapping %v", err, tt.is)
			}
		})
	}
}

func TestOpenPermissionDenied(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root ignores file modes")
	}
	// A database kept by another user: readable, not writable.
	theirs := filepath.Join(t.TempDir(), "contriblog.db")
	db := MustOpenPath(t, theirs)
	mustSave(t, db, "blog", batchOf("blog", 1), pass(0))
	db.Close()
	if err := os.Chmod(theirs, 0o400); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "locked")
	if err := os.Mkdir(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{filepath.Join(dir, "contriblog.db"), filepath.Join(dir, "sub", "contriblog.db"), theirs} {
		_, err := Open(path, openOpts(false))
		if !errors.Is(err, fs.ErrPermission) || !strings.Contains(err.Error(), "permission denied (check the owner and mode") {
			t.Errorf("%s: err = %v", path, err)
		}
	}
	r, err := Open(theirs, openOpts(true))
	if err != nil {
		t.Fatalf("read-only open of a read-only file: %v", err)
	}
	defer r.Close()
	if n := len(allObservations(t, r)); n != 1 {
		t.Errorf("%d observations, want 1", n)
	}
}

func TestOpenEmptyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "contriblog.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	db := MustOpenPath(t, path)
	mustSave(t, db, "blog", batchOf("blog", 1), pass(0))
	mustCheck(t, db)
}

func TestClosedDB(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "contriblog.db"), openOpts(false))
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := db.SourceStates(context.Background()); err == nil {
		t.Error("a closed database answered")
	}
}

func TestOpenDamaged(t *testing.T) {
	path := filepath.Join(t.TempDir(), "contriblog.db")
	db := MustOpenPath(t, path)
	mustSave(t, db, "blog", batchOf("blog", 1), pass(0))
	pageSize := int64(db.bolt.Info().PageSize)
	db.Close()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	// Scribble over the root-bucket field of both meta pages, after the
	// magic number: their checksums no longer match.
	for _, page := range []int64{0, pageSize} {
		if _, err := f.WriteAt([]byte{0xde, 0xad, 0xbe, 0xef}, page+16+16); err != nil {
			t.Fatal(err)
		}
	}
	f.Close()
	_, err = Open(path, openOpts(false))
	if err == nil || !strings.Contains(err.Error(), "is damaged") || errors.Is(err, ErrNotDatabase) {
		t.Errorf("err = %v, want a damaged database", err)
	}
}
