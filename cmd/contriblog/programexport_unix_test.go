//go:build unix

package main

import (
	"strings"
	"testing"
)

// TestProgramsBesideTheDaemon: check and a program's export print the
// same through a running daemon as on the database itself — the rows
// left out included, which the daemon sends in response headers — and
// exit the same.
func TestProgramsBesideTheDaemon(t *testing.T) {
	cfg, ids := plantedLog(t)
	commands := [][]string{
		{"check", "--program", "mvp"}, {"check", "--program", "mvp", "--format", "json", "--since", "2025-11-22"},
		{"check", "--program", "stars", "--since", "2025-11-22"},
		{"export", "--program", "mvp"}, {"export", "--program", "gde", "--format", "json"}, {"export", "--program", "stars"},
		{"export", "--program", "mvq"}, {"export", "--program", "gde", "--format", "md"},
	}
	type result struct {
		code           int
		stdout, stderr string
	}
	read := func() []result {
		var out []result
		for _, args := range commands {
			code, stdout, stderr := run(t, nil, append([]string{"-c", cfg}, args...)...)
			out = append(out, result{code, stdout, stderr})
		}
		return out
	}
	local := read()
	addr := freeAddr(t)
	appendFile(t, cfg, "schedule: \"@every 1h\"\nlisten: "+addr+"\n")
	tm, stop := runInProcess(t, cfg, addr)
	if code, out, stderr := run(t, nil, "-c", cfg, "harvest"); code != 0 {
		t.Fatalf("harvest through the daemon: exit %d\n%s\n%s", code, out, stderr)
	}
	remote := read()
	if code := stop(); code != 0 {
		t.Fatalf("run exit %d\n%s", code, tm.stderr.String())
	}
	for i, args := range commands {
		if remote[i] != local[i] {
			t.Errorf("%v through the daemon: exit %d\n%s\nstderr: %s\non the database: exit %d\n%s\nstderr: %s",
				args, remote[i].code, remote[i].stdout, remote[i].stderr, local[i].code, local[i].stdout, local[i].stderr)
		}
	}
	book := ids["Zero Trust, the book"]
	if r := remote[3]; r.code != 0 || !strings.Contains(r.stderr, "warning: "+book+" left out of the mvp export") || strings.Count(r.stderr, book) != 1 {
		t.Errorf("export --program mvp through the daemon: the book's warning, once:\n%s", r.stderr)
	}
	if remote[0].code != 1 || remote[2].code != 0 || remote[6].code != 2 {
		t.Errorf("exit codes through the daemon: check mvp %d, check stars %d, bad program %d", remote[0].code, remote[2].code, remote[6].code)
	}
}
