//go:build unix

package export_test

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/contriblog/contriblog/harvester/export"
)

// withUmask runs fn under umask mask and restores the old one. The umask
// is the process's, so callers must not run in parallel.
func withUmask(mask int, fn func()) {
	old := syscall.Umask(mask)
	defer syscall.Umask(old)
	fn()
}

// TestWriteFileAtomicHonoursTheUmask: a new export gets perm less the
// umask (an explicit chmod would ignore it); a replaced file keeps its
// own mode whatever the umask.
func TestWriteFileAtomicHonoursTheUmask(t *testing.T) {
	for _, tt := range []struct {
		name     string
		umask    int
		existing os.FileMode // 0: no file before
		want     os.FileMode
	}{
		{"new file under umask 077", 0o077, 0, 0o600},
		{"new file under umask 022", 0o022, 0, 0o644},
		{"new file under umask 027", 0o027, 0, 0o640},
		{"replaced 0640 under umask 022", 0o022, 0o640, 0o640},
		{"replaced 0664 under umask 077", 0o077, 0o664, 0o664},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "out.csv")
			if tt.existing != 0 {
				if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(path, tt.existing); err != nil {
					t.Fatal(err)
				}
			}
			var err error
			withUmask(tt.umask, func() { err = export.WriteFileAtomic(path, 0o644, writeString("new")) })
			if err != nil {
				t.Fatal(err)
			}
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if got := fi.Mode().Perm(); got != tt.want {
				t.Errorf("mode = %#o, want %#o", got, tt.want)
			}
			mustOnlyFiles(t, filepath.Dir(path), "out.csv")
		})
	}
}

func mkfifo(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "export.fifo")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	return path
}

// TestWriteToAFIFOWithoutReaderFailsAtOnce: with a context that can end,
// opening a named pipe that nobody reads is an error, not a wait for ever.
func TestWriteToAFIFOWithoutReaderFailsAtOnce(t *testing.T) {
	path := mkfifo(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- export.WriteFileAtomicContext(ctx, path, 0o644, writeString("x")) }()
	select {
	case err := <-done:
		if !errors.Is(err, export.ErrNoReader) || !strings.Contains(err.Error(), path) {
			t.Errorf("err = %v; want ErrNoReader naming %s", err, path)
		}
	case <-time.After(30 * time.Second): // a hang guard, not a timing assertion
		cancel()
		t.Fatal("the write blocked on a pipe with no reader")
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the pipe was replaced: %v %v", fi, err)
	}
}

// TestWriteToAFIFOWhoseReaderStalls: a reader that opened the pipe but
// never reads lets the write fill the pipe; ctx ending stops it.
func TestWriteToAFIFOWhoseReaderStalls(t *testing.T) {
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		t.Skip("Go's poller does not watch FIFOs on macOS: their writes cannot be given a deadline")
	}
	path := mkfifo(t)
	r, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	big := strings.Repeat("x", 4<<20) // far more than a pipe holds
	done := make(chan error, 1)
	go func() { done <- export.WriteFileAtomicContext(ctx, path, 0o644, writeString(big)) }()
	select {
	case err := <-done:
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v; want the deadline", err)
		}
	case <-time.After(30 * time.Second): // a hang guard, not a timing assertion
		r.Close() // lets the writer fail with EPIPE, ending its goroutine
		t.Fatal("the write outlived its context")
	}
}

// TestWriteToAFIFOWithAReader: a pipe with a reader gets the whole
// content, bounded or not.
func TestWriteToAFIFOWithAReader(t *testing.T) {
	for _, bounded := range []bool{false, true} {
		path := mkfifo(t)
		got := make(chan string, 1)
		go func() {
			f, err := os.Open(path) // blocks until the writer opens
			if err != nil {
				got <- err.Error()
				return
			}
			defer f.Close()
			b, _ := io.ReadAll(f)
			got <- string(b)
		}()
		ctx := context.Background()
		var probe *os.File
		if bounded {
			// The reader may not have opened the pipe yet: a bounded
			// writer would fail with ErrNoReader, so wait for it.
			probe = waitForReader(t, path)
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, time.Minute)
			defer cancel()
		}
		want := strings.Repeat("row\n", 100000)
		err := export.WriteFileAtomicContext(ctx, path, 0o644, writeString(want))
		if probe != nil {
			probe.Close() // the reader's EOF
		}
		if err != nil {
			t.Fatalf("bounded=%v: %v", bounded, err)
		}
		if s := <-got; s != want {
			t.Errorf("bounded=%v: the reader got %d bytes, want %d", bounded, len(s), len(want))
		}
	}
}

// waitForReader polls until path has a reader (a non-blocking open for
// writing succeeds) and returns that probe, to be closed after the real
// write: closing it first could give the reader an EOF before the writer
// opens the pipe.
func waitForReader(t *testing.T, path string) *os.File {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second) // a hang guard
	for {
		f, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0)
		if err == nil {
			return f
		}
		if time.Now().After(deadline) {
			t.Fatal("the reader never opened the pipe")
		}
		time.Sleep(time.Millisecond)
	}
}
