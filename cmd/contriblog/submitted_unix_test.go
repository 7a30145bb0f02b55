//go:build unix

package main

import (
	"context"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/contriblog/contriblog/sources/stars/starstest"
)

// Import, mark and list go through a running daemon as they do on the
// database.
func TestSubmittedBesideTheDaemon(t *testing.T) {
	cfg, export := submittedFixture(t)
	addr := freeAddr(t)
	base, _ := os.ReadFile(cfg)
	write(t, cfg, string(base)+"schedule: \"@every 1h\"\nlisten: "+addr+"\n")
	runInProcess(t, cfg, addr)

	out := mustRun(t, "-c", cfg, "submitted", "import", "mvp", export, "--add-missing")
	if !strings.Contains(out, "Recorded 5 rows as in the mvp portal.") || !strings.Contains(out, "Added to the log from the portal (source mvp-portal): 1") {
		t.Fatalf("import beside the daemon:\n%s", out)
	}
	id := rowID(t, cfg, "Something not yet entered")
	if out := mustRun(t, "-c", cfg, "submitted", "mark", id); !strings.Contains(out, "Marked 1 row") {
		t.Errorf("mark beside the daemon:\n%s", out)
	}
	list := mustRun(t, "-c", cfg, "submitted", "list")
	if strings.Count(list, " imported ") != 5 || strings.Count(list, " marked ") != 1 {
		t.Errorf("list beside the daemon:\n%s", list)
	}
	if out := mustRun(t, "-c", cfg, "list", "--all"); !strings.Contains(out, "Keynote at a conference no source knows") {
		t.Errorf("the added entry is not in the daemon's log:\n%s", out)
	}
	un := mustRun(t, "-c", cfg, "list", "--unsubmitted")
	if strings.Count(un, " manual ") != 2 || strings.Contains(un, "Something not yet entered") || !strings.Contains(un, "Zero Trust in Practice") {
		t.Errorf("list --unsubmitted beside the daemon:\n%s", un)
	}
}

// submit records what it sent through a running daemon.
func TestSubmitBesideTheDaemon(t *testing.T) {
	fake := starstest.NewServer(t)
	cfg, env := submitConfig(t, fake.URL, "http://127.0.0.1:1/")
	addr := freeAddr(t)
	base, _ := os.ReadFile(cfg)
	write(t, cfg, string(base)+"schedule: \"@every 1h\"\nlisten: "+addr+"\n")
	tm := newTestMain(env)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- tm.Run(ctx, []string{"-c", cfg, "run"}) }()
	defer func() { cancel(); <-done }()
	waitFor(t, "the daemon's API", func() bool {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil && resp.StatusCode == http.StatusOK
	})
	if out := mustRunEnv(t, env, "-c", cfg, "submit", "stars"); !strings.Contains(out, "5 rows sent") {
		t.Fatalf("submit beside the daemon:\n%s", out)
	}
	if out := mustRunEnv(t, env, "-c", cfg, "submit", "stars"); !strings.Contains(out, "0 rows sent") || len(fake.Contributions()) != 5 {
		t.Errorf("submit again beside the daemon:\n%s", out)
	}
}
