package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/contriblog/contriblog/store"
)

// A backup, copied over a database that was then damaged, brings the log
// back exactly: the documented restore. Backing up the damaged database
// fails with the damaged sentence and leaves the older backup as it was.
func TestBackupAndRestore(t *testing.T) {
	cfg, db, _ := harvestedDemo(t)
	code, before, stderr := run(t, nil, "-c", cfg, "list")
	if code != 0 || !strings.Contains(before, "Conditional Access") {
		t.Fatalf("list exit %d\n%s\n%s", code, before, stderr)
	}

	// The default path: the backup directory beside the database, named
	// for the time (the tests' clock).
	code, out, stderr := run(t, nil, "-c", cfg, "backup")
	want := filepath.Join(filepath.Dir(db), "backups", "contriblog-20261122-090000.db")
	if code != 0 || out != want+"\n" {
		t.Fatalf("backup: exit %d, printed %q, want %q\n%s", code, out, want, stderr)
	}
	explicit := filepath.Join(t.TempDir(), "explicit.db")
	code, out, stderr = run(t, nil, "-c", cfg, "backup", "-o", explicit)
	if code != 0 || out != explicit+"\n" {
		t.Fatalf("backup -o: exit %d, printed %q\n%s", code, out, stderr)
	}
	backup, err := os.ReadFile(explicit)
	if err != nil {
		t.Fatal(err)
	}

	b := readBoltPages(t, db)
	randomise(t, db, b.root, b.pageSize, 0, 1)
	if code, _, stderr := run(t, nil, "-c", cfg, "list"); code == 0 || !strings.Contains(stderr, "is damaged") {
		t.Fatalf("list of the damaged database: exit %d\n%s", code, stderr)
	}
	code, _, stderr = run(t, nil, "-c", cfg, "backup", "-o", explicit)
	if code == 0 || !strings.Contains(stderr, "is damaged: restore a backup") {
		t.Errorf("backup of the damaged database: exit %d\n%s", code, stderr)
	}
	if again, _ := os.ReadFile(explicit); !bytes.Equal(again, backup) {
		t.Error("a failed backup replaced the older one")
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(explicit), ".*.tmp")); len(left) > 0 {
		t.Errorf("a failed backup left %v", left)
	}

	// Restore: copy the backup over the database, then validate.
	if err := os.WriteFile(db, backup, 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, stderr := run(t, nil, "-c", cfg, "validate"); code != 0 || !strings.Contains(out, "ok") {
		t.Errorf("validate after the restore: exit %d\n%s\n%s", code, out, stderr)
	}
	code, after, stderr := run(t, nil, "-c", cfg, "list")
	if code != 0 || after != before {
		t.Errorf("list after the restore: exit %d\n%s\nwant\n%s\n%s", code, after, before, stderr)
	}
}

// Beside a running daemon (the lock held, listen set), `backup` asks the
// daemon, with -o made absolute (the daemon does not share the working
// directory), and prints the path the daemon wrote.
func TestBackupAsksTheDaemon(t *testing.T) {
	cfg, db, _ := harvestedDemo(t)
	var asked string
	daemon := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/backup" {
			http.NotFound(w, r)
			return
		}
		asked = r.FormValue("path")
		json.NewEncoder(w).Encode(map[string]string{"path": "/srv/backups/written.db"})
	}))
	defer daemon.Close()
	base, _ := os.ReadFile(cfg)
	listen := strings.TrimPrefix(daemon.URL, "http://")
	if err := os.WriteFile(cfg, append(base, []byte("listen: "+listen+"\n")...), 0o600); err != nil {
		t.Fatal(err)
	}
	held, err := store.Open(db, store.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()

	t.Chdir(t.TempDir())
	wd, _ := os.Getwd()
	for _, tt := range []struct{ flag, want string }{{"", ""}, {"rel.db", filepath.Join(wd, "rel.db")}} {
		args := []string{"-c", cfg, "backup"}
		if tt.flag != "" {
			args = append(args, "-o", tt.flag)
		}
		code, out, stderr := run(t, nil, args...)
		if code != 0 || out != "/srv/backups/written.db\n" || asked != tt.want {
			t.Errorf("backup %s beside the daemon: exit %d, printed %q, daemon asked for %q (want %q)\n%s",
				tt.flag, code, out, asked, tt.want, stderr)
		}
	}
}
