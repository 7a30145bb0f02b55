package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/contriblog/contriblog/store"
)

// backedUp harvests the demo, writes a backup of it and returns the
// config's path, the database's, the backup's and `list` as it was.
func backedUp(t *testing.T) (cfg, db, backup, list string) {
	t.Helper()
	cfg, db, _ = harvestedDemo(t)
	code, list, stderr := run(t, nil, "-c", cfg, "list")
	if code != 0 || !strings.Contains(list, "Conditional Access") {
		t.Fatalf("list exit %d\n%s\n%s", code, list, stderr)
	}
	backup = filepath.Join(t.TempDir(), "backup.db")
	if code, out, stderr := run(t, nil, "-c", cfg, "backup", "-o", backup); code != 0 {
		t.Fatalf("backup: exit %d\n%s\n%s", code, out, stderr)
	}
	return cfg, db, backup, list
}

// unchanged fails the test unless the file at path holds want, and
// nothing was kept or left beside it.
func unchanged(t *testing.T, path string, want []byte) {
	t.Helper()
	if got, err := os.ReadFile(path); err != nil || !bytes.Equal(got, want) {
		t.Errorf("%s changed (%v)", path, err)
	}
	for _, pattern := range []string{".*.tmp", filepath.Base(path) + ".*"} {
		if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), pattern)); len(left) > 0 {
			t.Errorf("left beside the database: %v", left)
		}
	}
}

// A backup restored over a damaged database brings the log back exactly;
// the damaged file is kept aside under a name that says so, the backup is
// left as it was, and no temporary file stays. Restoring again over the
// now sound database keeps it as "replaced".
func TestRestore(t *testing.T) {
	cfg, db, backup, before := backedUp(t)
	saved, _ := os.ReadFile(backup)
	b := readBoltPages(t, db)
	randomise(t, db, logPage(t, b), b.pageSize, 0, 1)
	damaged, _ := os.ReadFile(db)
	if code, _, stderr := run(t, nil, "-c", cfg, "list"); code == 0 || !strings.Contains(stderr, "is damaged") {
		t.Fatalf("list of the damaged database: exit %d\n%s", code, stderr)
	}

	code, out, stderr := run(t, nil, "-c", cfg, "restore", backup)
	kept := db + ".damaged-20261122-090000"
	if code != 0 || !strings.Contains(out, "restored "+backup+" to "+db) || !strings.Contains(out, "damaged; it is kept as "+kept) ||
		!strings.Contains(out, "the next harvest fetches what was published since the backup") {
		t.Fatalf("restore: exit %d\n%s\n%s", code, out, stderr)
	}
	if got, err := os.ReadFile(kept); err != nil || !bytes.Equal(got, damaged) {
		t.Errorf("the damaged database was not kept as it was at %s (%v)", kept, err)
	}
	if got, err := os.ReadFile(backup); err != nil || !bytes.Equal(got, saved) {
		t.Errorf("the backup changed (%v)", err)
	}
	if info, err := os.Stat(db); err != nil || runtime.GOOS != "windows" && info.Mode().Perm() != 0o600 {
		t.Errorf("restored database: %v, %v; want mode 0600", info.Mode(), err)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(db), ".*.tmp")); len(left) > 0 {
		t.Errorf("restore left %v", left)
	}
	if code, out, stderr := run(t, nil, "-c", cfg, "validate"); code != 0 || !strings.Contains(out, "database "+db+": ok") {
		t.Errorf("validate after the restore: exit %d\n%s\n%s", code, out, stderr)
	}
	code, after, stderr := run(t, nil, "-c", cfg, "list")
	if code != 0 || after != before {
		t.Errorf("list after the restore: exit %d\n%s\nwant\n%s\n%s", code, after, before, stderr)
	}

	code, out, stderr = run(t, nil, "-c", cfg, "restore", backup)
	if code != 0 || !strings.Contains(out, "was sound; it is kept as "+db+".replaced-20261122-090000") {
		t.Errorf("restore over a sound database: exit %d\n%s\n%s", code, out, stderr)
	}
}

// A damaged backup, or a file that is no contriblog database, is refused
// with a sentence about the backup; the database is left untouched.
func TestRestoreRefusesABadBackup(t *testing.T) {
	cfg, db, backup, before := backedUp(t)
	b := readBoltPages(t, backup)
	randomise(t, backup, logPage(t, b), b.pageSize, 0, 2)
	dir := t.TempDir()
	notes := filepath.Join(dir, "notes.txt")
	empty := filepath.Join(dir, "empty.db")
	os.WriteFile(notes, []byte("not a database\n"), 0o600)
	os.WriteFile(empty, nil, 0o600)
	sound, _ := os.ReadFile(db)
	for _, tt := range []struct{ file, want string }{
		{backup, "the backup " + backup + " is damaged: choose another backup"},
		{notes, notes + " is not a contriblog database"},
		{empty, empty + " is not a contriblog database"},
		{filepath.Join(dir, "missing.db"), "no such file"},
		{dir, "not a regular file"},
	} {
		code, out, stderr := run(t, nil, "-c", cfg, "restore", tt.file)
		if code == 0 || !strings.Contains(stderr, tt.want) || out != "" {
			t.Errorf("restore %s: exit %d, want %q\n%s%s", tt.file, code, tt.want, out, stderr)
		}
		if strings.Contains(stderr, "restore a backup (`contriblog backup`)") {
			t.Errorf("restore %s: the refusal sends the person to restore a backup:\n%s", tt.file, stderr)
		}
		unchanged(t, db, sound)
	}
	if code, after, _ := run(t, nil, "-c", cfg, "list"); code != 0 || after != before {
		t.Errorf("list after the refused restores: exit %d\n%s", code, after)
	}
}

// While another process holds the database (a daemon, or a reader), restore
// refuses and says to stop the daemon; with listen set it does not ask the
// daemon to restore, nor wait for its lock.
func TestRestoreWhileLocked(t *testing.T) {
	cfg, db, backup, _ := backedUp(t)
	asked := false
	daemon := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked = true
		http.NotFound(w, r)
	}))
	defer daemon.Close()
	sound, _ := os.ReadFile(db)
	base, _ := os.ReadFile(cfg)
	listening := filepath.Join(filepath.Dir(cfg), "listening.yaml")
	os.WriteFile(listening, append(base, []byte("listen: "+strings.TrimPrefix(daemon.URL, "http://")+"\n")...), 0o600)
	for _, tt := range []struct {
		name     string
		cfg      string
		readOnly bool
	}{{"daemon", cfg, false}, {"daemon with listen", listening, false}, {"reader with listen", listening, true}} {
		t.Run(tt.name, func(t *testing.T) {
			held, err := store.Open(db, store.Options{Timeout: time.Second, ReadOnly: tt.readOnly})
			if err != nil {
				t.Fatal(err)
			}
			defer held.Close()
			code, out, stderr := run(t, nil, "-c", tt.cfg, "restore", backup)
			if code == 0 || !strings.Contains(stderr, "stop `contriblog run` first") || out != "" {
				t.Errorf("restore while held: exit %d\n%s%s", code, out, stderr)
			}
			unchanged(t, db, sound)
			if asked {
				t.Error("restore asked the daemon")
			}
		})
	}
}

// Restoring the database onto itself, by its path or through a link, is
// refused and changes nothing.
func TestRestoreOntoItself(t *testing.T) {
	cfg, db, _, _ := backedUp(t)
	sound, _ := os.ReadFile(db)
	files := []string{db}
	if link := filepath.Join(t.TempDir(), "link.db"); os.Symlink(db, link) == nil {
		files = append(files, link)
	}
	for _, file := range files {
		code, out, stderr := run(t, nil, "-c", cfg, "restore", file)
		if code == 0 || !strings.Contains(stderr, "that is the database itself") {
			t.Errorf("restore %s onto itself: exit %d\n%s%s", file, code, out, stderr)
		}
		unchanged(t, db, sound)
	}
	if code, _, stderr := run(t, nil, "-c", cfg, "restore"); code != exitUsage || !strings.Contains(stderr, "the backup FILE") {
		t.Errorf("restore without a FILE: exit %d\n%s", code, stderr)
	}
}
