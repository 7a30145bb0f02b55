package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// validatorServer serves testdata/refetch/blog.xml at every path, as a
// polite server does: a request with the current ETag (If-None-Match)
// or a date not before its Last-Modified (If-Modified-Since) gets a 304.
// It records, per path, whether each request carried a validator.
type validatorServer struct {
	*httptest.Server
	mu   sync.Mutex
	sent map[string][]bool
}

const (
	refetchETag         = `"blog-v1"`
	refetchLastModified = "Sat, 01 Aug 2026 10:00:00 GMT"
)

func newValidatorServer(t *testing.T) *validatorServer {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", "refetch", "blog.xml"))
	if err != nil {
		t.Fatal(err)
	}
	v := &validatorServer{sent: map[string][]bool{}}
	v.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inm, ims := r.Header.Get("If-None-Match"), r.Header.Get("If-Modified-Since")
		v.mu.Lock()
		v.sent[r.URL.Path] = append(v.sent[r.URL.Path], inm != "" || ims != "")
		v.mu.Unlock()
		w.Header().Set("ETag", refetchETag)
		w.Header().Set("Last-Modified", refetchLastModified)
		if inm == refetchETag || (inm == "" && ims == refetchLastModified) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(body)
	}))
	t.Cleanup(v.Close)
	return v
}

// last reports whether the latest request for path carried a validator,
// and how many requests the path got.
func (v *validatorServer) last(t *testing.T, path string) (sent bool, requests int) {
	t.Helper()
	v.mu.Lock()
	defer v.mu.Unlock()
	s := v.sent[path]
	if len(s) == 0 {
		t.Fatalf("no request for %s", path)
	}
	return s[len(s)-1], len(s)
}

// refetchConfig writes a config of two feeds of blog.xml, blog and
// other, with since and blog's extra lines, and returns its path.
func refetchConfig(t *testing.T, dir, url, since, blogExtra, tail string) string {
	t.Helper()
	cfg := "person: Priya Raman\ndatabase: ./contriblog.db\ntimezone: UTC\nsince: " + since + "\n" + tail +
		"sources:\n" +
		"  - name: blog\n    type: feed\n    url: " + url + "/blog.xml\n" + blogExtra +
		"  - name: other\n    type: feed\n    url: " + url + "/other.xml\n    match: [generics]\n"
	path := filepath.Join(dir, "contriblog.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// harvestLine runs harvest with args and returns its line for source.
func harvestLine(t *testing.T, cfg, source string, args ...string) string {
	t.Helper()
	code, out, stderr := run(t, nil, append([]string{"-c", cfg, "harvest"}, args...)...)
	if code != 0 {
		t.Fatalf("harvest %v: exit %d\n%s\n%s", args, code, out, stderr)
	}
	m := regexp.MustCompile(`(?m)^` + source + `\s.*$`).FindString(out)
	if m == "" {
		t.Fatalf("harvest %v: no line for %s:\n%s", args, source, out)
	}
	return m
}

// TestConfigChangeTakesEffect: a feed answers 304 to a pass that sends
// its validators, so the entries an earlier since or match dropped would
// never be seen again; changing since or match drops the validators, the
// next pass reads the feed in full and the entries come in. Each pass
// says what it kept and why it dropped the rest.
func TestConfigChangeTakesEffect(t *testing.T) {
	srv := newValidatorServer(t)
	dir := t.TempDir()
	cfg := refetchConfig(t, dir, srv.URL, "2026-06-01", "    match: [kubernetes]\n", "")

	// Winter (older than since), Spring and Go (not matching), Summer kept.
	line := harvestLine(t, cfg, "blog")
	if !strings.Contains(line, "1 of 4 (1 older than since, 2 not matching match)") {
		t.Errorf("first pass: %q, want kept 1 of 4 with the reasons", line)
	}
	line = harvestLine(t, cfg, "blog")
	if sent, _ := srv.last(t, "/blog.xml"); !sent || !strings.Contains(line, "not modified") {
		t.Fatalf("second pass: validator sent %v, line %q; want a 304", sent, line)
	}
	// sources keeps the counts of the last full read.
	code, out, stderr := run(t, nil, "-c", cfg, "sources")
	if code != 0 || !regexp.MustCompile(`(?m)^blog\s.*1 of 4 \(1 older than since, 2 not matching match\)`).MatchString(out) {
		t.Errorf("sources after a 304: exit %d\n%s\n%s", code, out, stderr)
	}
	if code, out, _ := run(t, nil, "-c", cfg, "list", "--all"); code != 0 || strings.Contains(out, "Winter notes") {
		t.Fatalf("list before the change: exit %d, holds the winter post:\n%s", code, out)
	}

	// since moves back: the winter post comes in.
	cfg = refetchConfig(t, dir, srv.URL, "2026-01-01", "    match: [kubernetes]\n", "")
	line = harvestLine(t, cfg, "blog")
	if sent, _ := srv.last(t, "/blog.xml"); sent {
		t.Errorf("after since moved back the validators were sent: the feed was not read in full")
	}
	if !strings.Contains(line, "2 of 4 (2 not matching match)") {
		t.Errorf("after since moved back: %q, want kept 2 of 4 (2 not matching match)", line)
	}
	if code, out, _ := run(t, nil, "-c", cfg, "list", "--all"); code != 0 || !strings.Contains(out, "Winter notes on Kubernetes") {
		t.Errorf("list after since moved back: exit %d, lacks the winter post:\n%s", code, out)
	}
	// The pass after uses the validators again: no refetch on every pass.
	harvestLine(t, cfg, "blog")
	if sent, _ := srv.last(t, "/blog.xml"); !sent {
		t.Errorf("the pass after the change sent no validators: the feed is read in full on every pass")
	}

	// match goes: the other two posts come in.
	cfg = refetchConfig(t, dir, srv.URL, "2026-01-01", "", "")
	line = harvestLine(t, cfg, "blog")
	if sent, _ := srv.last(t, "/blog.xml"); sent || !regexp.MustCompile(`\s4 of 4\s`).MatchString(line) {
		t.Errorf("after match was removed: validator sent %v, line %q; want a full read keeping 4 of 4", sent, line)
	}
	code, out, stderr = run(t, nil, "-c", cfg, "export", "--format", "csv")
	if code != 0 || !strings.Contains(out, "Spring cleaning for landing zones") || !strings.Contains(out, "Go generics in anger") {
		t.Errorf("export after match was removed: exit %d\n%s\n%s", code, out, stderr)
	}
	// A change of what only the log uses (areas, priority) reads nothing again.
	cfg = refetchConfig(t, dir, srv.URL, "2026-01-01", "    priority: 5\n    schedule: \"@every 2h\"\n", "")
	harvestLine(t, cfg, "blog")
	if sent, _ := srv.last(t, "/blog.xml"); !sent {
		t.Errorf("a change of priority and schedule made a full read")
	}
}

// TestHarvestRefetch: --refetch sends no validators, for every source or
// only for those named with --source.
func TestHarvestRefetch(t *testing.T) {
	srv := newValidatorServer(t)
	cfg := refetchConfig(t, t.TempDir(), srv.URL, "2026-01-01", "", "")
	harvestLine(t, cfg, "blog")
	harvestLine(t, cfg, "blog")
	for _, p := range []string{"/blog.xml", "/other.xml"} {
		if sent, _ := srv.last(t, p); !sent {
			t.Fatalf("%s: the second pass sent no validator", p)
		}
	}
	line := harvestLine(t, cfg, "other", "--refetch")
	for _, p := range []string{"/blog.xml", "/other.xml"} {
		if sent, _ := srv.last(t, p); sent {
			t.Errorf("--refetch: %s got a validator", p)
		}
	}
	if !strings.Contains(line, "1 of 4 (3 not matching match)") || strings.Contains(line, "not modified") {
		t.Errorf("--refetch: other's line %q, want a full read keeping 1 of 4 (3 not matching match)", line)
	}
	_, blogBefore := srv.last(t, "/blog.xml")
	harvestLine(t, cfg, "other", "--refetch", "--source", "other")
	if sent, _ := srv.last(t, "/other.xml"); sent {
		t.Errorf("--refetch --source other: other got a validator")
	}
	if _, n := srv.last(t, "/blog.xml"); n != blogBefore {
		t.Errorf("--refetch --source other: blog was fetched too")
	}
	harvestLine(t, cfg, "blog")
	if sent, _ := srv.last(t, "/blog.xml"); !sent {
		t.Errorf("after --refetch, a plain pass sent no validator")
	}
	if code, _, stderr := run(t, nil, "-c", cfg, "harvest", "--refetch", "--source", "nosuch"); code != 2 || !strings.Contains(stderr, "nosuch") {
		t.Errorf("--refetch --source nosuch: exit %d, %s", code, stderr)
	}
}

// TestConfigChangeTakesEffectOnAHandKeptFile: an unchanged hand-kept file
// is not read again (its stamp says "not modified"), but when since moves
// back, the entries the old since dropped come in.
func TestConfigChangeTakesEffectOnAHandKeptFile(t *testing.T) {
	dir := t.TempDir()
	manual := "- title: Mentoring three first-time speakers\n  date: 2026-02-01\n  activity_type: Mentorship/Coaching\n" +
		"- title: Running the spring meetup\n  date: 2026-07-01\n  activity_type: Mentorship/Coaching\n"
	if err := os.WriteFile(filepath.Join(dir, "manual.yaml"), []byte(manual), 0o600); err != nil {
		t.Fatal(err)
	}
	write := func(since string) string {
		cfg := "person: Priya Raman\ndatabase: ./contriblog.db\ntimezone: UTC\nsince: " + since + "\n" +
			"sources:\n  - name: manual\n    type: file\n    path: ./manual.yaml\n"
		path := filepath.Join(dir, "contriblog.yaml")
		if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	cfg := write("2026-06-01")
	if line := harvestLine(t, cfg, "manual"); !strings.Contains(line, "1 of 2 (1 older than since)") {
		t.Errorf("first pass: %q, want kept 1 of 2 (1 older than since)", line)
	}
	if line := harvestLine(t, cfg, "manual"); !strings.Contains(line, "not modified") {
		t.Errorf("second pass: %q, want not modified", line)
	}
	cfg = write("2026-01-01")
	if line := harvestLine(t, cfg, "manual"); !strings.Contains(line, "2 of 2") {
		t.Errorf("after since moved back: %q, want a full read keeping 2 of 2", line)
	}
	if code, out, _ := run(t, nil, "-c", cfg, "list"); code != 0 || !strings.Contains(out, "Mentoring three first-time speakers") {
		t.Errorf("list after since moved back: exit %d, lacks the February entry:\n%s", code, out)
	}
}
