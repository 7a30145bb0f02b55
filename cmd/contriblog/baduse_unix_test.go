//go:build unix

package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestExportToFIFO: -o naming a FIFO (or a device such as /dev/null) must
// write into it, never replace it with a regular file.
func TestExportToFIFO(t *testing.T) {
	dir, cfgPath, _ := badUseConfig(t)
	if code, out, stderr := run(t, nil, "-c", cfgPath, "harvest"); code != 0 {
		t.Fatalf("harvest exit %d\n%s\n%s", code, out, stderr)
	}
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip(err)
	}
	got := make(chan string, 1)
	go func() {
		f, err := os.Open(fifo) // blocks until the writer opens it
		if err != nil {
			got <- err.Error()
			return
		}
		b, _ := io.ReadAll(f)
		f.Close()
		got <- string(b)
	}()
	code, _, stderr := run(t, nil, "-c", cfgPath, "export", "-o", fifo)
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Fatalf("export -o replaced the FIFO (exit %d, %s): %v", code, stderr, fi.Mode())
	}
	if out := <-got; code != 0 || !strings.Contains(out, "Mentoring speakers") {
		t.Errorf("export -o FIFO: exit %d, %s; the reader got %q", code, stderr, out)
	}
}
