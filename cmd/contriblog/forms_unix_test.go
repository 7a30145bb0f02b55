//go:build unix

package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// Beside a running daemon, `edit --set …` and `list --why` go through its
// API and do what they do on the database itself.
func TestFormsFieldsBesideTheDaemon(t *testing.T) {
	cfg, _ := formsFixture(t)
	base, _ := os.ReadFile(cfg)
	addr := freeAddr(t)
	if err := os.WriteFile(cfg, append(base, []byte("schedule: \"@every 1h\"\nlisten: "+addr+"\n")...), 0o600); err != nil {
		t.Fatal(err)
	}
	rows := exportRows(t, cfg)
	talk, post := mustHold(t, rows, "talks", "passkeys"), mustHold(t, rows, "blog", "go")
	local := mustRun(t, "-c", cfg, "list", "--why", post.ID)

	tm, stop := runInProcess(t, cfg, addr)
	// The daemon holds the database: without its listen address a
	// command cannot read the log.
	noListen := filepath.Join(filepath.Dir(cfg), "nolisten.yaml")
	os.WriteFile(noListen, base, 0o600)
	if code, _, stderr := run(t, nil, "-c", noListen, "list", "--why", post.ID); code == 0 || !strings.Contains(stderr, "contriblog run") {
		t.Fatalf("list --why without listen beside the daemon: exit %d, %s", code, stderr)
	}
	mustRun(t, "-c", cfg, "edit", talk.ID, "--set", "views=1200", "--set", "attendees=", "--private-description", "Through the daemon",
		"--microsoft-event", "Build", "--high-impact=false")
	if remote := mustRun(t, "-c", cfg, "list", "--why", post.ID); remote != local {
		t.Errorf("list --why through the daemon:\n%s\non the database:\n%s", remote, local)
	}
	code, _, stderr := run(t, nil, "-c", cfg, "list", "--why", "nosuchrow0")
	if code != exitUsage || !strings.Contains(stderr, `"nosuchrow0"`) || !strings.Contains(stderr, "list --all") {
		t.Errorf("unknown id through the daemon: exit %d, %s", code, stderr)
	}
	code, _, stderr = run(t, nil, "-c", cfg, "edit", talk.ID, "--set", "vews=3")
	if code != exitUsage || !strings.Contains(stderr, `did you mean "views"`) {
		t.Errorf("unknown count through the daemon: exit %d, %s", code, stderr)
	}
	if code := stop(); code != 0 {
		t.Fatalf("run exit %d\n%s", code, tm.stderr.String())
	}
	talk = mustHold(t, exportRows(t, cfg), "talks", "passkeys")
	if talk.PrivateDescription != "Through the daemon" || talk.MicrosoftEvent != "Build" || talk.HighImpact ||
		!reflect.DeepEqual(talk.Counts, map[string]int64{"attendees": 120, "views": 1200}) {
		t.Errorf("edited through the daemon: %+v", talk)
	}
}
