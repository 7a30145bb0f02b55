//go:build unix

package main

import (
	"context"
	"net/http"
	"os"
	"strings"
	"testing"
)

// TestForgetAndEditThroughTheDaemon: beside a running daemon, forget and
// edit go through its API and do what they do on the database.
func TestForgetAndEditThroughTheDaemon(t *testing.T) {
	cfg := undoFixture(t)
	rows := exportRows(t, cfg)
	zt, bicep, talk := mustHold(t, rows, "blog", "zt"), mustHold(t, rows, "blog", "bicep"), mustHold(t, rows, "talks", "t1")
	mustRun(t, "-c", cfg, "edit", zt.ID, "--title", "Zero Trust, curated")
	base, _ := os.ReadFile(cfg)
	addr := freeAddr(t)
	if err := os.WriteFile(cfg, append(base, []byte("schedule: \"@every 1h\"\nlisten: "+addr+"\n")...), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	tm := newTestMain(nil)
	stopped := make(chan int, 1)
	go func() { stopped <- tm.Run(ctx, []string{"-c", cfg, "run"}) }()
	defer func() {
		stop()
		<-stopped
	}()
	waitFor(t, "the daemon's API", func() bool {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil && resp.StatusCode == http.StatusOK
	})

	code, out, stderr := run(t, nil, "-c", cfg, "forget", "devto")
	if code != exitUsage || !strings.Contains(out, "Forgetting source devto removes 2 stored observations") || !strings.Contains(stderr, "--yes") {
		t.Errorf("forget without --yes through the daemon: exit %d\n%s\n%s", code, out, stderr)
	}
	code, _, stderr = run(t, nil, "-c", cfg, "forget", "devtoo", "--yes")
	if code != exitUsage || !strings.Contains(stderr, `did you mean "devto"?`) {
		t.Errorf("unknown source through the daemon: exit %d, %s", code, stderr)
	}
	if out := mustRun(t, "-c", cfg, "forget", "devto", "--yes"); !strings.Contains(out, "Forgot source devto: 2 observations removed") {
		t.Errorf("forget --yes through the daemon:\n%s", out)
	}
	out = mustRun(t, "-c", cfg, "edit", bicep.ID, talk.ID, "--exclude")
	if !strings.Contains(out, bicep.ID) || !strings.Contains(out, talk.ID) {
		t.Errorf("edit of two ids through the daemon prints:\n%s", out)
	}
	out = mustRun(t, "-c", cfg, "edit", "--source", "blog", "--include")
	if !strings.Contains(out, bicep.ID) || !strings.Contains(out, zt.ID) || strings.Contains(out, talk.ID) {
		t.Errorf("edit --source through the daemon prints:\n%s", out)
	}
	stop()
	if code := <-stopped; code != 0 {
		t.Fatalf("run exit %d\n%s", code, tm.stderr.String())
	}
	stopped <- 0
	// What the daemon did is in the database.
	if err := os.WriteFile(cfg, base, 0o600); err != nil {
		t.Fatal(err)
	}
	after := exportRows(t, cfg)
	if _, ok := holding(after, "devto", "only"); ok || len(after) != 3 {
		t.Fatalf("after forgetting devto through the daemon: %d rows", len(after))
	}
	for _, c := range after {
		if want := c.ID == talk.ID; c.Excluded != want {
			t.Errorf("row %s excluded %v, want %v", c.ID, c.Excluded, want)
		}
		if c.ID == zt.ID && (c.Title != "Zero Trust, curated" || len(c.Observations) != 1) {
			t.Errorf("the surviving row: %+v", c)
		}
	}
}
