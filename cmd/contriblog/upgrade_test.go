package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// A database written by an older contriblog is upgraded by the first
// command that reads it, not only by `harvest`.
func TestReadingCommandsUpgradeAnOlderDatabase(t *testing.T) {
	dir := t.TempDir()
	manual, err := os.ReadFile(filepath.Join("config", "testdata", "manual.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "manual.yaml"), string(manual))
	cfg := filepath.Join(dir, "contriblog.yaml")
	write(t, cfg, "person: Test Person\ndatabase: ./contriblog.db\nsince: 2020-01-01\ntimezone: UTC\nsources:\n"+
		"  - name: manual\n    type: file\n    path: ./manual.yaml\n")
	mustRun(t, "-c", cfg, "harvest")
	before := mustRun(t, "-c", cfg, "list")

	b, err := bolt.Open(filepath.Join(dir, "contriblog.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Update(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("meta")).Put([]byte("schema_version"), []byte("3"))
	}); err != nil {
		t.Fatal(err)
	}
	b.Close()

	code, out, stderr := run(t, nil, "-c", cfg, "list")
	if code != 0 || out != before {
		t.Fatalf("list of an older database: exit %d\n%s\n%s\nwant\n%s", code, out, stderr, before)
	}
	code, out, stderr = run(t, nil, "-c", cfg, "validate")
	if code != 0 || strings.Contains(out+stderr, "schema") {
		t.Errorf("validate after the upgrade: exit %d\n%s\n%s", code, out, stderr)
	}
}
