package file

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/contriblog/contriblog/harvester"
)

// hostilePaths makes, in a fresh directory, each kind of path that must
// fail at once rather than fill memory or hang: the name of the case
// maps to the path and what the error must say.
func hostilePaths(t *testing.T) map[string]struct{ path, want string } {
	t.Helper()
	dir := t.TempDir()
	out := map[string]struct{ path, want string }{
		"directory": {dir, dir + " is a directory, not a regular file"},
	}
	fifo := filepath.Join(dir, "fifo")
	// No one ever writes to it: opening it for reading blocks forever
	// unless it is opened without blocking.
	switch err := mkfifo(fifo); {
	case err == nil:
		out["fifo"] = struct{ path, want string }{fifo, fifo + " is a named pipe, not a regular file"}
		out["dev zero"] = struct{ path, want string }{"/dev/zero", "/dev/zero is a device, not a regular file"}
	case !errors.Is(err, errors.ErrUnsupported):
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, bytes.Repeat([]byte("#"), 1025), 0o600); err != nil {
		t.Fatal(err)
	}
	out["over the limit"] = struct{ path, want string }{big, big + " is larger than the limit of 1 KiB"}
	return out
}

func TestReadRegularRefuses(t *testing.T) {
	for name, tc := range hostilePaths(t) {
		t.Run(name, func(t *testing.T) {
			data, err := ReadRegular(tc.path, 1024)
			if err == nil || !strings.Contains(err.Error(), tc.want) || data != nil {
				t.Fatalf("ReadRegular(%s) = %d bytes, %v; want an error saying %q", tc.path, len(data), err, tc.want)
			}
			var notRegular *NotRegularError
			var tooLarge *TooLargeError
			if !errors.As(err, &notRegular) && !errors.As(err, &tooLarge) {
				t.Errorf("error %T is neither a *NotRegularError nor a *TooLargeError: %v", err, err)
			}
		})
	}
}

func TestReadRegular(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		size int
	}{
		{"empty", 0},
		{"small", 10},
		{"at the limit", 1024},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name)
			want := bytes.Repeat([]byte("x"), tc.size)
			if err := os.WriteFile(path, want, 0o600); err != nil {
				t.Fatal(err)
			}
			got, err := ReadRegular(path, 1024)
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("ReadRegular = %d bytes, %v; want %d bytes", len(got), err, tc.size)
			}
		})
	}
	missing := filepath.Join(dir, "missing")
	if _, err := ReadRegular(missing, 1024); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing file: %v", err)
	}
}

// TestHarvestRefusesSpecialFiles pins the crash (/dev/zero: out of
// memory) and the hang (a named pipe: past SIGTERM) of a file source
// whose path is not a regular file.
func TestHarvestRefusesSpecialFiles(t *testing.T) {
	cases := hostilePaths(t)
	// A sparse file over MaxFileSize: nothing is written to disk.
	big := filepath.Join(t.TempDir(), "big.yaml")
	if err := os.WriteFile(big, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, MaxFileSize+1); err != nil {
		t.Fatal(err)
	}
	cases["over the limit"] = struct{ path, want string }{big, big + " is larger than the limit of 16 MiB"}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			b, err := New(Config{Name: "m", Path: tc.path}).Harvest(context.Background(), harvester.SourceState{})
			if b != nil || err == nil || !strings.Contains(err.Error(), "hand-kept file "+tc.want) {
				t.Fatalf("Harvest = %+v, %v; want an error saying %q", b, err, tc.want)
			}
		})
	}
}
