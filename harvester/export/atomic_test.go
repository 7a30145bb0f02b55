package export_test

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/contriblog/contriblog/harvester/export"
)

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

// mustOnlyFiles fails unless dir holds exactly names (no temp files).
func mustOnlyFiles(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, ",") != strings.Join(names, ",") {
		t.Errorf("directory holds %v, want %v", got, names)
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	if err := export.WriteFileAtomic(path, 0o640, writeString("first")); err != nil {
		t.Fatal(err)
	}
	if err := export.WriteFileAtomic(path, 0o640, writeString("second, longer")); err != nil {
		t.Fatal(err)
	}
	if got := mustRead(t, path); got != "second, longer" {
		t.Errorf("content = %q", got)
	}
	mustOnlyFiles(t, dir, "out.csv")
	if runtime.GOOS != "windows" {
		fi, _ := os.Stat(path)
		if fi.Mode().Perm() != 0o640 {
			t.Errorf("mode = %v, want 0640", fi.Mode().Perm())
		}
		// An existing file keeps its mode (someone made it private).
		os.Chmod(path, 0o600)
		if err := export.WriteFileAtomic(path, 0o644, writeString("third")); err != nil {
			t.Fatal(err)
		}
		if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
			t.Errorf("mode after rewrite = %v, want 0600 kept", fi.Mode().Perm())
		}
	}
}

func TestWriteFileAtomicFailureKeepsOld(t *testing.T) {
	boom := errors.New("boom")
	for _, tt := range []struct {
		name  string
		write func(io.Writer) error
	}{
		{"error after a little", func(w io.Writer) error { io.WriteString(w, "half"); return boom }},
		{"error after a lot", func(w io.Writer) error { // more than the buffer, so the temp file has data
			w.Write(make([]byte, 1<<20))
			return boom
		}},
		{"error before writing", func(io.Writer) error { return boom }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "out.csv")
			os.WriteFile(path, []byte("old"), 0o644)
			if err := export.WriteFileAtomic(path, 0o644, tt.write); !errors.Is(err, boom) {
				t.Fatalf("err = %v, want the write function's", err)
			}
			if got := mustRead(t, path); got != "old" {
				t.Errorf("old file now holds %q", got)
			}
			mustOnlyFiles(t, dir, "out.csv")
		})
	}
}

func TestWriteFileAtomicPanicLeavesNoTemp(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	func() {
		defer func() { recover() }()
		export.WriteFileAtomic(path, 0o644, func(w io.Writer) error {
			io.WriteString(w, "x")
			panic("encoder bug")
		})
	}()
	mustOnlyFiles(t, dir)
}

func TestWriteFileAtomicBadPaths(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	os.WriteFile(file, []byte("x"), 0o644)
	sub := filepath.Join(dir, "sub")
	os.Mkdir(sub, 0o755)
	for _, tt := range []struct {
		name, path string
		want       []string
		is         error
	}{
		{"missing directory", filepath.Join(dir, "missing", "out.csv"), []string{filepath.Join(dir, "missing"), "out.csv"}, fs.ErrNotExist},
		{"parent is a file", filepath.Join(file, "out.csv"), []string{file, "not a directory"}, nil},
		{"path is a directory", sub, []string{sub, "directory"}, nil},
		{"empty path", "", []string{"no file name"}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			called := false
			err := export.WriteFileAtomic(tt.path, 0o644, func(io.Writer) error { called = true; return nil })
			if err == nil {
				t.Fatal("no error")
			}
			for _, s := range tt.want {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not mention %q", err, s)
				}
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %v is not %v", err, tt.is)
			}
			if called {
				t.Error("write was called although the file cannot be written")
			}
		})
	}
	mustOnlyFiles(t, dir, "file", "sub")
}

func TestWriteFileAtomicUnwritableDir(t *testing.T) {
	if runtime.GOOS == "windows" || os.Geteuid() == 0 {
		t.Skip("needs a system where directory permissions bind the test's user")
	}
	dir := filepath.Join(t.TempDir(), "ro")
	os.Mkdir(dir, 0o555)
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	err := export.WriteFileAtomic(filepath.Join(dir, "out.csv"), 0o644, writeString("x"))
	if err == nil || !strings.Contains(err.Error(), dir) || !errors.Is(err, fs.ErrPermission) {
		t.Errorf("err = %v, want a permission error naming %s", err, dir)
	}
}

func TestWriteFileAtomicFollowsSymlink(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	dir := t.TempDir()
	real := filepath.Join(dir, "real.csv")
	link := filepath.Join(dir, "link.csv")
	if err := os.Symlink("real.csv", link); err != nil {
		t.Fatal(err)
	}
	// A dangling link first: the file it names is created.
	if err := export.WriteFileAtomic(link, 0o644, writeString("one")); err != nil {
		t.Fatal(err)
	}
	if err := export.WriteFileAtomic(link, 0o644, writeString("two")); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v, %v", fi, err)
	}
	if got := mustRead(t, real); got != "two" {
		t.Errorf("target holds %q", got)
	}
	mustOnlyFiles(t, dir, "link.csv", "real.csv")
}
