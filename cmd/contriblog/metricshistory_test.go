package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// youtubeFeed is a channel feed of one video with views views.
func youtubeFeed(views int64) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns:yt="http://www.youtube.com/xml/schemas/2015" xmlns:media="http://search.yahoo.com/mrss/" xmlns="http://www.w3.org/2005/Atom">
 <title>Priya Raman</title>
 <link rel="alternate" href="https://www.youtube.com/channel/UCdemo0000000000000000"/>
 <entry>
  <id>yt:video:dQw4w9WgXc1</id>
  <yt:videoId>dQw4w9WgXc1</yt:videoId>
  <title>Entra ID Conditional Access in 15 minutes</title>
  <link rel="alternate" href="https://www.youtube.com/watch?v=dQw4w9WgXc1"/>
  <author><name>Priya Raman</name></author>
  <published>2026-03-02T10:00:00+00:00</published>
  <media:group>
   <media:title>Entra ID Conditional Access in 15 minutes</media:title>
   <media:description>A quick tour of Conditional Access.</media:description>
   <media:community><media:statistics views="` + fmt.Sprint(views) + `"/></media:community>
  </media:group>
 </entry>
</feed>`
}

// TestMetricsHistoryThroughMain: a video whose views grow over three
// daily passes, then stay, then drop (re-uploaded), harvested as a user
// would: the JSON export's metrics_history holds a point per change with
// its pass, the CSV the latest value only, and `list --metrics` the growth.
func TestMetricsHistoryThroughMain(t *testing.T) {
	var views atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/atom+xml")
		fmt.Fprint(w, youtubeFeed(views.Load()))
	}))
	defer srv.Close()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "contriblog.yaml")
	yaml := "person: Priya Raman\ndatabase: ./c.db\nsince: 2026-01-01\nsources:\n  - {name: yt, type: feed, url: \"" + srv.URL + "/videos.xml\"}\n"
	if err := os.WriteFile(cfg, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	day := func(n int) time.Time { return time.Date(2026, 11, 1, 6, 0, 0, 0, time.UTC).AddDate(0, 0, n) }
	harvestAt := func(n int, v int64) {
		t.Helper()
		views.Store(v)
		tm := newTestMain(nil)
		tm.Now = func() time.Time { return day(n) }
		if code := tm.Run(context.Background(), []string{"-c", cfg, "harvest"}); code != 0 {
			t.Fatalf("harvest on day %d exit %d\n%s\n%s", n, code, tm.stdout.String(), tm.stderr.String())
		}
	}
	type point struct {
		Value int64  `json:"value"`
		At    string `json:"at"`
	}
	history := func() map[string][]point {
		t.Helper()
		code, out, stderr := run(t, nil, "-c", cfg, "export", "--format", "json")
		if code != 0 {
			t.Fatalf("export json exit %d\n%s", code, stderr)
		}
		var rows []struct {
			Metrics        map[string]int64   `json:"metrics"`
			MetricsHistory map[string][]point `json:"metrics_history"`
		}
		if err := json.Unmarshal([]byte(out), &rows); err != nil || len(rows) != 1 {
			t.Fatalf("json export: %v, %d rows:\n%s", err, len(rows), out)
		}
		return rows[0].MetricsHistory
	}

	harvestAt(0, 120)
	harvestAt(1, 900)
	harvestAt(2, 1530)
	for n := 3; n < 10; n++ {
		harvestAt(n, 1530) // a week of unchanged passes: no point
	}
	want := []point{{120, "2026-11-01T06:00:00Z"}, {900, "2026-11-02T06:00:00Z"}, {1530, "2026-11-03T06:00:00Z"}}
	if got := history()["views"]; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("metrics_history.views = %v, want %v", got, want)
	}
	code, out, stderr := run(t, nil, "-c", cfg, "export", "--format", "csv")
	if code != 0 || !strings.Contains(out, ",1530,") || strings.Contains(out, "900") || strings.Contains(out, "metrics_history") {
		t.Errorf("csv export exit %d, want the latest views only:\n%s\n%s", code, out, stderr)
	}
	code, out, stderr = run(t, nil, "-c", cfg, "list", "--metrics")
	if code != 0 || !strings.Contains(out, "    views 120 (2026-11-01) → 1,530 (2026-11-03) (3 points)\n") {
		t.Errorf("list --metrics exit %d:\n%s\n%s", code, out, stderr)
	}
	code, plain, _ := run(t, nil, "-c", cfg, "list")
	if code != 0 || strings.Contains(plain, "views") || !strings.Contains(plain, "Conditional Access") {
		t.Errorf("list without --metrics shows metrics or lacks the row:\n%s", plain)
	}

	// Re-uploaded: the views drop, and are kept as reported.
	harvestAt(10, 35)
	got := history()["views"]
	if len(got) != 4 || got[3] != (point{35, "2026-11-11T06:00:00Z"}) {
		t.Errorf("after a drop: %v, want a fourth point of 35", got)
	}
	if code, out, _ := run(t, nil, "-c", cfg, "list", "--metrics"); code != 0 || !strings.Contains(out, "views 120 (2026-11-01) → 35 (2026-11-11) (4 points)") {
		t.Errorf("list --metrics after a drop:\n%s", out)
	}
	if code, _, stderr := run(t, nil, "-c", cfg, "list", "--why", "x", "--metrics"); code != 2 {
		t.Errorf("list --why x --metrics exit %d, want a usage error\n%s", code, stderr)
	}
}
