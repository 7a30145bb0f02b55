//go:build unix

package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Beside a running daemon, list --metrics shows the same growth: the
// daemon's rows carry their history.
func TestMetricsHistoryBesideTheDaemon(t *testing.T) {
	views := int64(120)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/atom+xml")
		w.Write([]byte(youtubeFeed(views)))
	}))
	defer srv.Close()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "contriblog.yaml")
	base := "person: Priya Raman\ndatabase: ./c.db\nsince: 2026-01-01\nsources:\n  - {name: yt, type: feed, url: \"" + srv.URL + "/videos.xml\"}\n"
	os.WriteFile(cfg, []byte(base), 0o600)
	mustRun(t, "-c", cfg, "harvest")
	views = 900
	mustRun(t, "-c", cfg, "harvest", "--refetch")
	local := mustRun(t, "-c", cfg, "list", "--metrics")
	if !strings.Contains(local, "(2 points)") {
		t.Fatalf("list --metrics on the database:\n%s", local)
	}
	addr := freeAddr(t)
	os.WriteFile(cfg, []byte(base+"schedule: \"@every 24h\"\nlisten: "+addr+"\n"), 0o600)
	runInProcess(t, cfg, addr)
	if remote := mustRun(t, "-c", cfg, "list", "--metrics"); remote != local {
		t.Errorf("list --metrics beside the daemon:\n%s\nwant, as on the database:\n%s", remote, local)
	}
}
