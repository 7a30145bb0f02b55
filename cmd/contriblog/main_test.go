package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/contriblog/contriblog/cmd/contriblog/demo"
)

var update = flag.Bool("update", false, "rewrite golden files")

// fixedNow is the clock of the end-to-end tests: the demo's sample dates
// are relative to it, so the log is the same on every run.
var fixedNow = time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)

// testMain is a Main with captured output and a fixed clock.
type testMain struct {
	*Main
	stdout, stderr bytes.Buffer
}

func newTestMain(env map[string]string) *testMain {
	tm := &testMain{}
	tm.Main = &Main{
		Stdout:     &tm.stdout,
		Stderr:     &tm.stderr,
		Getenv:     func(k string) string { return env[k] },
		Now:        func() time.Time { return fixedNow },
		IsTerminal: func() bool { return false },
		// Retries of a program's API wait for nothing in tests.
		Sleep: func(context.Context, time.Duration) error { return nil },
	}
	return tm
}

// run runs one command line in a fresh Main and returns its exit code and
// output.
func run(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	tm := newTestMain(env)
	code := tm.Run(context.Background(), args)
	return code, tm.stdout.String(), tm.stderr.String()
}

// TestEndToEnd drives the real program in-process against the demo's
// sample sources on loopback: harvest, export as CSV (golden) and JSON,
// list, and a second harvest that must change nothing.
func TestEndToEnd(t *testing.T) {
	srv, err := demo.Start(func() time.Time { return fixedNow })
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	dir := t.TempDir()
	cfg, err := srv.WriteConfig(dir) // and the hand-kept manual.yaml beside it
	if err != nil {
		t.Fatal(err)
	}

	code, out, stderr := run(t, nil, "-c", cfg, "harvest")
	if code != 0 {
		t.Fatalf("harvest exit %d\n%s\n%s", code, out, stderr)
	}
	code, out, stderr = run(t, nil, "-c", cfg, "export", "--format", "csv")
	if code != 0 {
		t.Fatalf("export exit %d\n%s", code, stderr)
	}
	checkCSV(t, out)
	golden(t, "e2e.csv", strings.ReplaceAll(out, srv.URL, "{{URL}}")) // the port changes every run
	first := out

	code, out, stderr = run(t, nil, "export", "--config", cfg, "--format", "json")
	if code != 0 {
		t.Fatalf("export json exit %d\n%s", code, stderr)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil || len(rows) == 0 {
		t.Fatalf("json export: %v (%d rows)", err, len(rows))
	}
	for _, k := range []string{"id", "person", "activity_type", "date", "end_date", "title", "description", "url", "role",
		"primary_area", "additional_areas", "target_audience", "quantity", "reach", "other_urls", "sources", "metrics", "observations"} {
		if _, ok := rows[0][k]; !ok {
			t.Errorf("json export lacks key %q", k)
		}
	}

	code, out, stderr = run(t, nil, "list", "-c", cfg)
	if code != 0 || !strings.Contains(out, "Conditional Access") {
		t.Errorf("list exit %d, output:\n%s\n%s", code, out, stderr)
	}

	code, out, stderr = run(t, nil, "-c", cfg, "harvest")
	if code != 0 || strings.Contains(out, "(changed)") {
		t.Fatalf("second harvest exit %d, want 0 and an unchanged log:\n%s\n%s", code, out, stderr)
	}
	for _, name := range []string{"blog", "devto", "medium", "youtube", "cloud-cafe", "talks", "usergroup", "cloudsummit"} {
		if !regexp.MustCompile(`(?m)^` + name + `\s+0\s+0\s+0\s+-\s+not modified$`).MatchString(out) {
			t.Errorf("second harvest of %s was not answered 304:\n%s", name, out)
		}
	}
	_, again, _ := run(t, nil, "-c", cfg, "export")
	if again != first {
		t.Error("the log changed on the second harvest")
	}

	code, out, _ = run(t, nil, "-c", cfg, "sources")
	if code != 0 || !strings.Contains(out, "github") || !strings.Contains(out, "NEXT RUN") {
		t.Errorf("sources exit %d:\n%s", code, out)
	}
}

// TestDemo runs `contriblog demo` as a user would.
func TestDemo(t *testing.T) {
	code, out, stderr := run(t, nil, "demo")
	if code != 0 || !strings.Contains(out, "Conditional Access") {
		t.Fatalf("demo exit %d\n%s\n%s", code, out, stderr)
	}
	// After the log, what the programs make of it: check, then the start
	// of a program's export.
	for _, want := range []string{
		"$ contriblog check --program mvp",
		"error    no In-Person Attendees, which mvp requires for Speaker/Presenter at Third-party Event",
		"errors, 3 warnings for Microsoft MVP (2025–26 activity form)",
		"$ contriblog export --program stars --format json",
		`{"data":[` + "\n" + `  {"type":"OPEN_SOURCE_PROJECT"`,
		"  … 28 more\n]}\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("demo lacks %q:\n%s", want, out)
		}
	}
	// A data format stays the document alone.
	if code, out, _ := run(t, nil, "demo", "--format", "json"); code != 0 || strings.Contains(out, "$ contriblog") {
		t.Errorf("demo --format json: exit %d, with the programs' sections:\n%s", code, out)
	}
}

func checkCSV(t *testing.T, out string) {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("csv: %v", err)
	}
	want := "ID,Person,Activity Type,Published Date,End Date,Title,Description,Activity URL,Role,Primary Technology Area,Additional Technology Areas,Target Audience,Quantity,Reach,Other URLs,Sources"
	if got := strings.Join(recs[0], ","); got != want {
		t.Fatalf("csv header\n got %s\nwant %s", got, want)
	}
	if len(recs) < 10 {
		t.Errorf("csv has %d rows, want the demo's contributions", len(recs)-1)
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file; run `go test ./cmd/contriblog -update` and review the diff\n got:\n%s", name, got)
	}
}

func TestUsageAndConfigErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("person: P\nsources:\n  - name: blog\n    type: feed\n    url: https://example.com/feed\n    colour: blue\n"), 0o600)
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown command", []string{"frobnicate"}, 2, "unknown command"},
		{"no command", nil, 2, "usage"},
		{"unknown key", []string{"-c", bad, "validate"}, 2, "bad.yaml:6"},
		{"unknown flag", []string{"export", "--colour"}, 2, "colour"},
		{"since after until", []string{"-c", bad, "export", "--since", "2026-05-01", "--until", "2026-01-01"}, 2, "after --until"},
		{"bad date", []string{"export", "--since", "May 1"}, 2, "YYYY-MM-DD"},
		{"bad format", []string{"-c", bad, "export", "--format", "xls"}, 2, "xls"},
		{"missing config", []string{"-c", filepath.Join(dir, "none.yaml"), "validate"}, 2, "none.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := run(t, nil, tt.args...)
			if code != tt.code || !strings.Contains(out+stderr, tt.want) {
				t.Errorf("exit %d, want %d; output %q does not contain %q", code, tt.code, out+stderr, tt.want)
			}
		})
	}
}

func TestSplitCommand(t *testing.T) {
	tests := []struct {
		args []string
		name string
		rest []string
	}{
		{[]string{"harvest"}, "harvest", []string{}},
		{[]string{"-c", "x.yaml", "harvest", "--source", "a"}, "harvest", []string{"-c", "x.yaml", "--source", "a"}},
		{[]string{"--db=x.db", "-v", "list"}, "list", []string{"--db=x.db", "-v"}},
		{[]string{"edit", "abc", "--exclude"}, "edit", []string{"abc", "--exclude"}},
		{[]string{"-h", "export"}, "help", []string{"export"}},
		{[]string{"--help", "-c", "x.yaml", "list"}, "help", []string{"list"}},
		{[]string{"-h"}, "help", []string{}},
	}
	for _, tt := range tests {
		name, rest, err := splitCommand(tt.args)
		if err != nil || name != tt.name || strings.Join(rest, " ") != strings.Join(tt.rest, " ") {
			t.Errorf("splitCommand(%q) = %q, %q, %v; want %q, %q", tt.args, name, rest, err, tt.name, tt.rest)
		}
	}
}

// TestSourceOrderIndependent harvests the demo's sources listed in reverse
// order into a fresh database: the log (rows, ids, URLs, dates) must be
// the one of the configured order (docs/deduplication.md#order-does-not-matter).
func TestSourceOrderIndependent(t *testing.T) {
	srv, err := demo.Start(func() time.Time { return fixedNow })
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	logFor := func(reverse bool) string {
		dir := t.TempDir()
		cfg, err := srv.WriteConfig(dir)
		if err != nil {
			t.Fatal(err)
		}
		if reverse {
			b, _ := os.ReadFile(cfg)
			head, list, _ := strings.Cut(string(b), "sources:\n")
			items := strings.Split(strings.TrimPrefix(list, "  - "), "\n  - ")
			for i, j := 0, len(items)-1; i < j; i, j = i+1, j-1 {
				items[i], items[j] = items[j], items[i]
			}
			for i := range items {
				items[i] = strings.TrimRight(items[i], "\n")
			}
			os.WriteFile(cfg, []byte(head+"sources:\n  - "+strings.Join(items, "\n  - ")+"\n"), 0o600)
		}
		if code, out, stderr := run(t, nil, "-c", cfg, "harvest"); code != 0 {
			t.Fatalf("harvest (reverse=%v) exit %d\n%s\n%s", reverse, code, out, stderr)
		}
		_, out, _ := run(t, nil, "-c", cfg, "export", "--format", "json")
		return out
	}
	if a, b := logFor(false), logFor(true); a != b {
		t.Errorf("the log depends on the order of the sources:\n%s\n---\n%s", a, b)
	}
}

// TestExportRebuildsAnOutOfDateLog: the stored log is rebuilt before it is
// read when what it is built from changed without a rebuild — here the
// config's areas; a harvest killed between its last save and its rebuild
// leaves the same kind of out-of-date log.
func TestExportRebuildsAnOutOfDateLog(t *testing.T) {
	srv, err := demo.Start(func() time.Time { return fixedNow })
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	dir := t.TempDir()
	cfg, err := srv.WriteConfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	if code, out, stderr := run(t, nil, "-c", cfg, "harvest"); code != 0 {
		t.Fatalf("harvest exit %d\n%s\n%s", code, out, stderr)
	}
	if _, out, _ := run(t, nil, "-c", cfg, "export"); strings.Contains(out, "Go Internals") {
		t.Fatal("the area exists before the config names it")
	}
	b, _ := os.ReadFile(cfg)
	os.WriteFile(cfg, []byte(strings.Replace(string(b), "areas:\n", "areas:\n  Go Internals: [\"net/http\"]\n", 1)), 0o600)
	code, out, stderr := run(t, nil, "-c", cfg, "export")
	if code != 0 || !strings.Contains(out, "Go Internals") {
		t.Errorf("export after the areas changed: exit %d, the new area is missing\n%s\n%s", code, out, stderr)
	}
	code, out, _ = run(t, nil, "-c", cfg, "list")
	if code != 0 || !strings.Contains(out, "ServeMux") {
		t.Errorf("list after the rebuild: exit %d\n%s", code, out)
	}
}

func TestHarvestUnknownSource(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "contriblog.yaml")
	os.WriteFile(filepath.Join(dir, "manual.yaml"), []byte("[]\n"), 0o600)
	os.WriteFile(cfg, []byte("person: P\ndatabase: ./c.db\nsources:\n  - {name: manual, type: file, path: ./manual.yaml}\n"), 0o600)
	code, _, stderr := run(t, nil, "-c", cfg, "harvest", "--source", "blgo")
	if code != 2 || !strings.Contains(stderr, `no source named "blgo"`) {
		t.Errorf("harvest --source blgo: exit %d, %s", code, stderr)
	}
}
