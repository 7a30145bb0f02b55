package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// badUseConfig writes a config with one hand-kept file source whose
// database lies in directories that do not exist yet.
func badUseConfig(t *testing.T) (dir, cfgPath, dbPath string) {
	t.Helper()
	dir = t.TempDir()
	os.WriteFile(filepath.Join(dir, "manual.yaml"), []byte("- title: Mentoring speakers\n  date: 2026-02-01\n  activity_type: Mentorship/Coaching\n"+
		"- title: Organising the user group\n  date: 2026-03-01\n  activity_type: User Group Owner\n"), 0o600)
	cfgPath = filepath.Join(dir, "contriblog.yaml")
	os.WriteFile(cfgPath, []byte("person: Test Person\ndatabase: ./not/yet/there/contriblog.db\nsince: 2020-01-01\n"+
		"sources:\n  - name: manual\n    type: file\n    path: ./manual.yaml\n"), 0o600)
	return dir, cfgPath, filepath.Join(dir, "not", "yet", "there", "contriblog.db")
}

// TestDatabaseDirectoryCreated: a database: path in a directory that does
// not exist gets its directories created, by the config and by --db.
func TestDatabaseDirectoryCreated(t *testing.T) {
	dir, cfgPath, dbPath := badUseConfig(t)
	if code, out, stderr := run(t, nil, "-c", cfgPath, "harvest"); code != 0 {
		t.Fatalf("harvest exit %d\n%s\n%s", code, out, stderr)
	}
	if _, err := os.Stat(dbPath); err != nil {
		t.Errorf("database not created: %v", err)
	}
	other := filepath.Join(dir, "flag", "dir", "other.db")
	if code, out, stderr := run(t, nil, "-c", cfgPath, "--db", other, "harvest"); code != 0 {
		t.Fatalf("harvest --db exit %d\n%s\n%s", code, out, stderr)
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("--db database not created: %v", err)
	}
	code, out, _ := run(t, nil, "-c", cfgPath, "export")
	if code != 0 || !strings.Contains(out, "Mentoring speakers") {
		t.Errorf("export exit %d:\n%s", code, out)
	}
}

// TestExportToBadPlaces: export -o into a directory that does not exist,
// or one that cannot be written, fails with a message that names the
// place and why, and leaves no temporary file behind.
func TestExportToBadPlaces(t *testing.T) {
	dir, cfgPath, _ := badUseConfig(t)
	if code, out, stderr := run(t, nil, "-c", cfgPath, "harvest"); code != 0 {
		t.Fatalf("harvest exit %d\n%s\n%s", code, out, stderr)
	}
	before := entries(t, dir)

	missing := filepath.Join(dir, "nonexistent-dir", "x.csv")
	code, out, stderr := run(t, nil, "-c", cfgPath, "export", "-o", missing)
	if code != 2 || !strings.Contains(stderr, missing) || !strings.Contains(stderr, "no such file or directory") {
		t.Errorf("export -o %s: exit %d, stderr %q", missing, code, stderr)
	}
	if out != "" {
		t.Errorf("export -o wrote to stdout: %q", out)
	}
	if after := entries(t, dir); after != before {
		t.Errorf("export -o into a missing directory left files:\n%s\nwas\n%s", after, before)
	}

	locked := filepath.Join(dir, "locked")
	os.Mkdir(locked, 0o500)
	defer os.Chmod(locked, 0o700)
	target := filepath.Join(locked, "x.csv")
	if probe, err := os.Create(filepath.Join(locked, "probe")); err == nil {
		// Running as root: permissions do not stop us. /proc takes no
		// new files, even from root.
		probe.Close()
		os.Remove(probe.Name())
		if runtime.GOOS != "linux" {
			t.Skip("running as root: no unwritable directory to try")
		}
		target = "/proc/contriblog-test-x.csv"
	}
	code, out, stderr = run(t, nil, "-c", cfgPath, "export", "-o", target)
	if code != 2 || !strings.Contains(stderr, target) || !strings.Contains(stderr, "cannot create a file in "+filepath.Dir(target)) {
		t.Errorf("export -o %s: exit %d, stderr %q", target, code, stderr)
	}
	if out != "" {
		t.Errorf("export -o wrote to stdout: %q", out)
	}
	if names := entries(t, locked); names != "" {
		t.Errorf("export -o into an unwritable directory left %s", names)
	}
}

// TestEditUnknownID: editing an id that names no contribution is a usage
// error (exit 2) that names the id.
func TestEditUnknownID(t *testing.T) {
	_, cfgPath, _ := badUseConfig(t)
	if code, out, stderr := run(t, nil, "-c", cfgPath, "harvest"); code != 0 {
		t.Fatalf("harvest exit %d\n%s\n%s", code, out, stderr)
	}
	code, _, stderr := run(t, nil, "-c", cfgPath, "edit", "nosuchrow", "--exclude")
	if code != 2 || !strings.Contains(stderr, "nosuchrow") || !strings.Contains(stderr, "list --all") {
		t.Errorf("edit of an unknown id: exit %d, stderr %q", code, stderr)
	}
}

// entries lists dir's files, sorted, one per line.
func entries(t *testing.T, dir string) string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return strings.Join(names, "\n")
}

// TestDatabaseInABadPlace: a database path that cannot hold a database is
// a setup mistake (exit 2) with a sentence naming the file, and the file
// named is left as it was.
func TestDatabaseInABadPlace(t *testing.T) {
	dir, cfgPath, _ := badUseConfig(t)
	notDB := filepath.Join(dir, "notes.txt")
	os.WriteFile(notDB, []byte("not a database, just notes\n"), 0o600)
	underFile := filepath.Join(notDB, "contriblog.db") // a directory that is a file
	for _, tt := range []struct{ db, want string }{
		{notDB, "not a contriblog database"},
		{underFile, "notes.txt"},
	} {
		code, _, stderr := run(t, nil, "-c", cfgPath, "--db", tt.db, "harvest")
		if code != 2 || !strings.Contains(stderr, tt.want) {
			t.Errorf("harvest --db %s: exit %d, want 2 and %q in\n%s", tt.db, code, tt.want, stderr)
		}
	}
	if b, _ := os.ReadFile(notDB); string(b) != "not a database, just notes\n" {
		t.Errorf("the file named as database was changed: %q", b)
	}
}
