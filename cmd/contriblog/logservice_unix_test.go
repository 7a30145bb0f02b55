//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLogServiceSameBesideTheDaemon: the commands that read the log print
// the same through a running daemon as on the database itself, since
// both log services serve one command code.
func TestLogServiceSameBesideTheDaemon(t *testing.T) {
	if testing.Short() {
		t.Skip("harvests the demo and runs the daemon")
	}
	cfg, _, _ := harvestedDemo(t)
	base, _ := os.ReadFile(cfg)
	addr := freeAddr(t)
	if err := os.WriteFile(cfg, append(base, []byte("schedule: \"@every 1h\"\nlisten: "+addr+"\n")...), 0o600); err != nil {
		t.Fatal(err)
	}
	commands := [][]string{
		{"list", "--all"}, {"list", "--type", "Blog"}, {"export"}, {"export", "--format", "json", "--all"},
		{"export", "--format", "md", "--since", "2026-06-01"}, {"sources"},
	}
	read := func(how string) []string {
		var outs []string
		for _, args := range commands {
			code, out, stderr := run(t, nil, append([]string{"-c", cfg}, args...)...)
			if code != 0 {
				t.Fatalf("%s %v: exit %d\n%s", how, args, code, stderr)
			}
			outs = append(outs, out)
		}
		return outs
	}

	tm, stop := runInProcess(t, cfg, addr)
	// A pass asked for now runs after the start-up pass: once it is
	// done, the log stays as it is.
	if code, out, stderr := run(t, nil, "-c", cfg, "harvest"); code != 0 || !strings.Contains(out, "log: ") {
		t.Fatalf("harvest through the daemon: exit %d\n%s\n%s", code, out, stderr)
	}
	remote := read("through the daemon")
	// The same, but no listen address to ask: the lock's sentence.
	noListen := filepath.Join(filepath.Dir(cfg), "nolisten.yaml")
	os.WriteFile(noListen, append(base, []byte("schedule: \"@every 1h\"\n")...), 0o600)
	if code, _, stderr := run(t, nil, "-c", noListen, "list"); code == 0 || !strings.Contains(stderr, "contriblog run") {
		t.Errorf("list without listen beside the daemon: exit %d, %s", code, stderr)
	}
	if code := stop(); code != 0 {
		t.Fatalf("run exit %d\n%s", code, tm.stderr.String())
	}
	local := read("on the database")
	for i, args := range commands {
		if remote[i] != local[i] {
			t.Errorf("%v through the daemon:\n%s\non the database:\n%s", args, remote[i], local[i])
		}
	}
}
