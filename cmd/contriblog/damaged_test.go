package main

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/contriblog/contriblog/cmd/contriblog/demo"
	"github.com/contriblog/contriblog/harvester"
)

// harvestedDemo harvests the demo's sources (served until the test ends)
// into a database in a temporary directory and returns the config's path,
// the database's and the id of one contribution.
func harvestedDemo(t *testing.T) (cfg, db, id string) {
	t.Helper()
	srv, err := demo.Start(func() time.Time { return fixedNow })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	dir := t.TempDir()
	if cfg, err = srv.WriteConfig(dir); err != nil {
		t.Fatal(err)
	}
	if code, out, stderr := run(t, nil, "-c", cfg, "harvest"); code != 0 {
		t.Fatalf("harvest exit %d\n%s\n%s", code, out, stderr)
	}
	code, out, stderr := run(t, nil, "-c", cfg, "export", "--format", "json")
	var rows []struct{ ID string }
	if err := json.Unmarshal([]byte(out), &rows); code != 0 || err != nil || len(rows) == 0 {
		t.Fatalf("export exit %d, %v\n%s", code, err, stderr)
	}
	return cfg, filepath.Join(dir, "contriblog.db"), rows[len(rows)/2].ID
}

// contriblog runs the test binary as the real program, in a process of its
// own, so that a panic or a fatal fault shows as it would to a person.
func contriblog(t *testing.T, cfg string, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"-c", cfg}, args...)...)
	cmd.Env = append(os.Environ(), "CONTRIBLOG_TEST_BE_MAIN=1")
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), string(out)
	} else if err != nil {
		t.Fatal(err)
	}
	return 0, string(out)
}

// boltPages reads what the tests need of a bbolt file without bbolt (only
// store imports it): the page size and the root page of the current meta
// page, and the root page of a top-level bucket (0 when it is inline).
type boltPages struct {
	file     []byte
	pageSize int
	root     uint64
}

func readBoltPages(t *testing.T, path string) boltPages {
	t.Helper()
	f, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ne := binary.NativeEndian
	pageSize := int(ne.Uint32(f[24:]))
	// The current meta page is the one of the higher transaction id;
	// the root bucket's page is at offset 16 of the meta.
	meta := f[16:]
	if other := f[pageSize+16:]; ne.Uint64(other[48:]) > ne.Uint64(meta[48:]) {
		meta = other
	}
	return boltPages{file: f, pageSize: pageSize, root: ne.Uint64(meta[16:])}
}

// bucketRoot returns the root page of the top-level bucket name, which the
// root page (a leaf, in a database this small) holds.
func (b boltPages) bucketRoot(t *testing.T, name string) uint64 {
	t.Helper()
	ne := binary.NativeEndian
	p := b.file[int(b.root)*b.pageSize:]
	if flags := ne.Uint16(p[8:]); flags != 0x02 {
		t.Fatalf("root page %d is not a leaf (flags %#x)", b.root, flags)
	}
	for i := range int(ne.Uint16(p[10:])) {
		e := p[16+i*16:]
		pos, ksize := int(ne.Uint32(e[4:])), int(ne.Uint32(e[8:]))
		key := e[pos : pos+ksize]
		if string(key) == name {
			return ne.Uint64(e[pos+ksize:])
		}
	}
	t.Fatalf("no bucket %q in the root page", name)
	return 0
}

// randomise writes random bytes over page id of the file at path, after
// its first keep bytes.
func randomise(t *testing.T, path string, id uint64, pageSize, keep int, seed uint64) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 7))
	page := make([]byte, pageSize-keep)
	for i := range page {
		page[i] = byte(rng.Uint32())
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(page, int64(id)*int64(pageSize)+int64(keep)); err != nil {
		t.Fatal(err)
	}
}

// logPage is the root page of the log's bucket.
func logPage(t *testing.T, b boltPages) uint64 {
	id := b.bucketRoot(t, "log")
	if id == 0 {
		t.Fatal("the demo's log is inline in the root page")
	}
	return id
}

// Every command, run on a database with a page of random bytes, exits
// non-zero with the damaged sentence and never shows a panic: a bucket's
// root page is found on open, a page whose header still looks right when
// a command reads it (bbolt then follows random offsets: a memory fault
// the store recovers). It runs the program twenty times, in under a
// second: not skipped under -short.
func TestDamagedDatabaseCommands(t *testing.T) {
	type run struct {
		args []string
		// readsPage: the command reads the damaged page, so it must
		// fail; else it may succeed, but never panic.
		readsPage bool
	}
	tests := []struct {
		name string
		page func(t *testing.T, b boltPages) uint64
		keep int // bytes of the page left as they are
		cmds func(id string) []run
	}{
		{"root page", func(t *testing.T, b boltPages) uint64 { return b.root }, 0, func(id string) []run {
			return []run{{[]string{"list"}, true}, {[]string{"export"}, true}, {[]string{"harvest"}, true},
				{[]string{"edit", id, "--exclude"}, true}, {[]string{"sources"}, true}, {[]string{"validate"}, true},
				{[]string{"backup"}, true}}
		}},
		{"log page", logPage, 0, func(id string) []run {
			return []run{{[]string{"list"}, true}, {[]string{"export"}, true}, {[]string{"harvest"}, true},
				{[]string{"edit", id, "--exclude"}, true}, {[]string{"sources"}, true}, {[]string{"validate"}, true},
				{[]string{"backup"}, true}}
		}},
		// The page's header (16 bytes) kept: the page passes the check
		// on open, and bbolt follows its random offsets when it reads it.
		{"log page but its header", logPage, 16, func(id string) []run {
			return []run{{[]string{"list"}, true}, {[]string{"export"}, true}, {[]string{"harvest"}, true},
				{[]string{"edit", id, "--exclude"}, true}, {[]string{"sources"}, false}, {[]string{"validate"}, true},
				{[]string{"backup"}, true}}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, db, id := harvestedDemo(t)
			b := readBoltPages(t, db)
			randomise(t, db, tt.page(t, b), b.pageSize, tt.keep, uint64(len(tt.name)))
			for _, c := range tt.cmds(id) {
				code, out := contriblog(t, cfg, c.args...)
				what := strings.Join(c.args, " ")
				if strings.Contains(out, "panic:") || strings.Contains(out, "goroutine ") || strings.Contains(out, "fatal error") {
					t.Errorf("%s shows a panic:\n%s", what, out)
				}
				if c.readsPage && (code == 0 || !strings.Contains(out, "is damaged: restore a backup (`contriblog backup`)")) {
					t.Errorf("%s: exit %d, want non-zero and the damaged sentence:\n%s", what, code, out)
				}
				if strings.Contains(out, ": ok") {
					t.Errorf("%s says ok:\n%s", what, out)
				}
			}
		})
	}
}

// With a stale stored log and a full disk (or an exhausted quota), `list`
// and `export` show the stored log with a warning, as on a read-only file
// system; any other failure of the rebuild is still an error. The rebuild
// is made to fail through rebuildLog: no test can fill a disk.
func TestStaleLogOnAFullDisk(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		fallback bool
	}{
		{"disk full", &os.PathError{Op: "write", Path: "contriblog.db", Err: syscall.ENOSPC}, true},
		{"quota", fmt.Errorf("store log: %w", syscall.EDQUOT), true},
		{"i/o error", &os.PathError{Op: "write", Path: "contriblog.db", Err: syscall.EIO}, false},
	}
	cfg, _, _ := harvestedDemo(t)
	b, _ := os.ReadFile(cfg)
	// A new area makes the stored log out of date.
	os.WriteFile(cfg, []byte(strings.Replace(string(b), "areas:\n", "areas:\n  Go Internals: [\"net/http\"]\n", 1)), 0o600)
	defer func(real func(context.Context, harvester.Store, harvester.LogOptions) (bool, int, error)) {
		rebuildLog = real
	}(rebuildLog)
	for _, tt := range tests {
		rebuildLog = func(context.Context, harvester.Store, harvester.LogOptions) (bool, int, error) {
			return false, 0, fmt.Errorf("store log: replace log: %w", tt.err)
		}
		for _, cmd := range []string{"list", "export"} {
			t.Run(tt.name+"/"+cmd, func(t *testing.T) {
				code, out, stderr := run(t, nil, "-c", cfg, cmd)
				if !tt.fallback {
					if code == 0 || !strings.Contains(stderr, "rebuild the out-of-date log") {
						t.Errorf("exit %d, want the rebuild's error\n%s", code, stderr)
					}
					return
				}
				if code != 0 || !strings.Contains(out, "Conditional Access") || strings.Contains(out, "Go Internals") {
					t.Errorf("exit %d, want the stored log\n%s\n%s", code, out, stderr)
				}
				if !strings.HasPrefix(stderr, "warning: the stored log is out of date") || !strings.Contains(stderr, "showing it as stored") {
					t.Errorf("stderr lacks the warning:\n%s", stderr)
				}
			})
		}
	}
}
