//go:build unix

package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/store"
)

// TestKilledHarvest kills the real program with SIGKILL at random moments
// of a harvest of many feeds, again and again on the same database. After
// every kill the database must pass its consistency check and export;
// the final, complete harvest must hold every post exactly once.
func TestKilledHarvest(t *testing.T) {
	feeds, posts, kills := 150, 50, 8
	if testing.Short() {
		feeds, posts, kills = 30, 20, 3
	}
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, seed>>1))
	t.Logf("seed %d: %d feeds × %d posts, %d kills", seed, feeds, posts, kills)

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var n int
		if _, err := fmt.Sscanf(r.URL.Path, "/feed/%d.xml", &n); err != nil || n < 0 || n >= feeds {
			http.NotFound(w, r)
			return
		}
		// A little latency spreads the pass over time, so that kills
		// land while fetching, while saving and while rebuilding the log.
		time.Sleep(time.Duration(rand.IntN(20)) * time.Millisecond)
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(generatedFeed(n, posts))
	}))
	defer srv.Close()

	dir := t.TempDir()
	var cfg strings.Builder
	cfg.WriteString("person: Test Person\ndatabase: ./contriblog.db\nsince: 2020-01-01\ntimezone: UTC\nsources:\n")
	for i := range feeds {
		fmt.Fprintf(&cfg, "  - name: feed-%d\n    type: feed\n    url: %s/feed/%d.xml\n", i, srv.URL, i)
	}
	cfgPath := filepath.Join(dir, "contriblog.yaml")
	if err := os.WriteFile(cfgPath, []byte(cfg.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	dbPath := filepath.Join(dir, "contriblog.db")

	// How long an uninterrupted pass takes, from a fresh database, sets
	// the range of the kill moments (a calibration, not an assertion).
	scratch := filepath.Join(t.TempDir(), "scratch.db")
	start := time.Now()
	if out, err := harvestCmd(cfgPath, "--db", scratch).CombinedOutput(); err != nil {
		t.Fatalf("uninterrupted harvest: %v\n%s", err, out)
	}
	full := time.Since(start)
	t.Logf("an uninterrupted pass takes %s", full.Round(time.Millisecond))

	for round := range kills {
		cmd := harvestCmd(cfgPath)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Anywhere from start-up to just past the end of a whole pass.
		delay := time.Duration(rng.Int64N(int64(full) * 11 / 10))
		time.Sleep(delay)
		cmd.Process.Signal(syscall.SIGKILL)
		err := cmd.Wait()
		killed := false
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			killed = true
		}
		t.Logf("round %d: SIGKILL after %s (killed: %v, %v)", round, delay.Round(time.Millisecond), killed, err)
		if !killed && err != nil {
			t.Fatalf("round %d: harvest failed on its own: %v\n%s", round, err, out.String())
		}
		if _, err := os.Stat(dbPath); os.IsNotExist(err) {
			t.Logf("round %d: killed before it created the database", round)
			continue
		}
		db, err := store.Open(dbPath, store.Options{Timeout: 5 * time.Second})
		if err != nil {
			t.Fatalf("round %d: open after SIGKILL: %v", round, err)
		}
		if err := db.Check(); err != nil {
			t.Errorf("round %d: %v", round, err)
		}
		t.Logf("round %d: %d observations stored", round, checkWholeBatches(t, db, posts))
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		code, exp, stderr := run(t, nil, "-c", cfgPath, "export")
		if code != 0 {
			t.Fatalf("round %d: export after SIGKILL: exit %d\n%s", round, code, stderr)
		}
		n := countPosts(t, exp, feeds, posts)
		t.Logf("round %d: the log holds %d rows", round, n)
		if n > feeds*posts {
			t.Errorf("round %d: %d rows, more than the %d posts there are", round, n, feeds*posts)
		}
	}

	code, out, stderr := run(t, nil, "-c", cfgPath, "harvest")
	if code != 0 {
		t.Fatalf("final harvest: exit %d\n%s\n%s", code, out, stderr)
	}
	code, exp, stderr := run(t, nil, "-c", cfgPath, "export", "--format", "csv")
	if code != 0 {
		t.Fatalf("final export: exit %d\n%s", code, stderr)
	}
	if n := countPosts(t, exp, feeds, posts); n != feeds*posts {
		t.Errorf("final export has %d rows, want %d", n, feeds*posts)
	}
}

// checkWholeBatches checks that every source's batch was saved whole or
// not at all, with a state that counts it, and returns the observations.
func checkWholeBatches(t *testing.T, db *store.DB, posts int) int {
	t.Helper()
	ctx := context.Background()
	counts := map[string]int{}
	total := 0
	err := db.ForEachObservation(ctx, harvester.OmitDescriptions, func(o *harvester.Observation) error {
		counts[o.Source]++
		total++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	states, err := db.SourceStates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range states {
		if n := counts[st.Name]; n != st.Items || (n != 0 && n != posts) {
			t.Errorf("%s: %d observations stored, its state counts %d, the feed has %d", st.Name, n, st.Items, posts)
		}
		delete(counts, st.Name)
	}
	for name, n := range counts {
		t.Errorf("%s: %d observations stored without a source state", name, n)
	}
	return total
}

// harvestCmd is the test binary standing in for `contriblog harvest`.
func harvestCmd(cfgPath string, args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], append([]string{"-c", cfgPath, "-q", "harvest"}, args...)...)
	cmd.Env = append(os.Environ(), "CONTRIBLOG_TEST_BE_MAIN=1")
	return cmd
}

// generatedFeed is feed n: posts items, each with a title, link and guid
// of its own, dated a day apart.
func generatedFeed(n, posts int) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<rss version="2.0"><channel><title>Feed %d</title><link>https://feed%d.example/</link>`+"\n", n, n)
	day := time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC)
	for j := range posts {
		fmt.Fprintf(&b, "<item><title>Feed %d post %d</title><link>https://feed%d.example/posts/%d</link><guid>f%d-p%d</guid><pubDate>%s</pubDate><description>Post %d of feed %d.</description></item>\n",
			n, j, n, j, n, j, day.AddDate(0, 0, j+n).Format(time.RFC1123Z), j, n)
	}
	b.WriteString("</channel></rss>\n")
	return b.Bytes()
}

// countPosts parses a CSV export and returns its rows, failing the test
// on a row seen twice or one that is no generated post.
func countPosts(t *testing.T, export string, feeds, posts int) int {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(export)).ReadAll()
	if err != nil {
		t.Fatalf("export is not CSV: %v", err)
	}
	if len(recs) == 0 {
		t.Fatal("export has no header")
	}
	seenTitle, seenID := map[string]bool{}, map[string]bool{}
	for _, r := range recs[1:] {
		id, title := r[0], r[5]
		var f, p int
		if _, err := fmt.Sscanf(title, "Feed %d post %d", &f, &p); err != nil || f >= feeds || p >= posts {
			t.Errorf("unexpected row %q", r)
		}
		if seenTitle[title] || seenID[id] {
			t.Errorf("row %s %q exported twice", id, title)
		}
		seenTitle[title], seenID[id] = true, true
	}
	return len(recs) - 1
}
