//go:build unix

package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestHarvestRefetchBesideTheDaemon: with the daemon holding the
// database, `harvest --refetch [--source NAME]` goes through its API and
// reads in full only what it names; `sources` and the daemon's /sources
// show what the last full read kept and dropped.
func TestHarvestRefetchBesideTheDaemon(t *testing.T) {
	srv := newValidatorServer(t)
	addr := freeAddr(t)
	cfg := refetchConfig(t, t.TempDir(), srv.URL, "2026-06-01", "", "schedule: \"@every 1h\"\nlisten: "+addr+"\n")

	runInProcess(t, cfg, addr)

	// After the start-up pass (a full read), a plain pass sends validators.
	line := harvestLine(t, cfg, "blog")
	if sent, _ := srv.last(t, "/blog.xml"); !sent || !strings.Contains(line, "not modified") {
		t.Fatalf("plain pass through the daemon: validator sent %v, line %q; want a 304", sent, line)
	}
	_, blogBefore := srv.last(t, "/blog.xml")
	line = harvestLine(t, cfg, "other", "--refetch", "--source", "other")
	if sent, _ := srv.last(t, "/other.xml"); sent || !strings.Contains(line, "1 of 4 (3 not matching match)") {
		t.Errorf("--refetch --source other through the daemon: validator sent %v, line %q", sent, line)
	}
	if _, n := srv.last(t, "/blog.xml"); n != blogBefore {
		t.Errorf("--refetch --source other through the daemon fetched blog too")
	}
	harvestLine(t, cfg, "blog", "--refetch")
	for _, p := range []string{"/blog.xml", "/other.xml"} {
		if sent, _ := srv.last(t, p); sent {
			t.Errorf("--refetch through the daemon: %s got a validator", p)
		}
	}

	code, out, stderr := run(t, nil, "-c", cfg, "sources")
	if code != 0 || !regexp.MustCompile(`(?m)^blog\s.*2 of 4 \(2 older than since\)`).MatchString(out) {
		t.Errorf("sources through the daemon: exit %d\n%s\n%s", code, out, stderr)
	}

	var rows []map[string]any
	resp, err := http.Get("http://" + addr + "/sources")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(&rows); err != nil || len(rows) != 2 {
		t.Fatalf("/sources: %v, %d rows", err, len(rows))
	}
	blog := rows[0]
	if blog["name"] != "blog" || blog["last_seen"] != 4.0 || blog["last_kept"] != 2.0 || blog["last_read"] == nil || blog["read_since"] != "2026-06-01" {
		t.Errorf("/sources row of blog: %v", blog)
	}
	if d, ok := blog["last_dropped"].(map[string]any); !ok || len(d) != 1 || d["since"] != 2.0 {
		t.Errorf("/sources last_dropped of blog: %#v, want {\"since\": 2}", blog["last_dropped"])
	}
	for _, k := range []string{"config", "data"} {
		if _, ok := blog[k]; ok {
			t.Errorf("/sources shows %q: %v", k, blog[k])
		}
	}

	resp = postDaemon(t, cfg, addr, "/harvest", url.Values{"refetch": {"maybe"}})
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("POST /harvest refetch=maybe: %d, want 400", resp.StatusCode)
	}
}
