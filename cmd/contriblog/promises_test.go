package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/contriblog/contriblog/cmd/contriblog/demo"
	"github.com/contriblog/contriblog/harvester"
)

// harvestDemo harvests the demo's sample sources into a config in a temp
// directory and returns the config's path.
func harvestDemo(t *testing.T) string {
	t.Helper()
	srv, err := demo.Start(func() time.Time { return fixedNow })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	cfg, err := srv.WriteConfig(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if code, out, stderr := run(t, nil, "-c", cfg, "harvest"); code != 0 {
		t.Fatalf("harvest exit %d\n%s\n%s", code, out, stderr)
	}
	return cfg
}

// list --type and export --type take the table's labels (Talk, OSS) as
// well as full names, in any case, and refuse an unknown type with
// suggestions (exit 2) instead of printing nothing.
func TestTypeLabels(t *testing.T) {
	cfg := harvestDemo(t)
	for _, tt := range []struct{ typ, want string }{
		{"Talk", harvester.TypeThirdParty}, {"talk", harvester.TypeThirdParty}, {"OSS", harvester.TypeOpenSource},
		{"Mentoring", harvester.TypeMentorship}, {"speaker/presenter at third-party event", harvester.TypeThirdParty},
	} {
		code, out, stderr := run(t, nil, "-c", cfg, "export", "--format", "json", "--type", tt.typ)
		var rows []harvester.Contribution
		if code != 0 || json.Unmarshal([]byte(out), &rows) != nil || len(rows) == 0 {
			t.Fatalf("export --type %s: exit %d, %d rows\n%s", tt.typ, code, len(rows), stderr)
		}
		for _, r := range rows {
			if r.ActivityType != tt.want {
				t.Errorf("export --type %s: a row of %q", tt.typ, r.ActivityType)
			}
		}
		code, out, stderr = run(t, nil, "-c", cfg, "list", "--type", tt.typ)
		if code != 0 || strings.Count(out, "\n") < len(rows)+1 {
			t.Errorf("list --type %s: exit %d, want %d rows:\n%s\n%s", tt.typ, code, len(rows), out, stderr)
		}
	}
	for _, cmd := range []string{"list", "export"} {
		code, out, stderr := run(t, nil, "-c", cfg, cmd, "--type", "Tlak")
		if code != 2 || out != "" || !strings.Contains(stderr, `--type: unknown activity type "Tlak"; did you mean "Talk"?`) ||
			!strings.Contains(stderr, "types: Blog, Article, Book, Podcast, Video, Talk, Talk (MS), OSS,") {
			t.Errorf("%s --type Tlak: exit %d\nstdout:\n%s\nstderr:\n%s", cmd, code, out, stderr)
		}
	}
}

// validate checks hand-kept files with the file source's own parser and
// reports each problem with its file and line; it never creates the
// database.
func TestValidateHandKeptFile(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "contriblog.yaml")
	manual := filepath.Join(dir, "manual.yaml")
	db := filepath.Join(dir, "data", "contriblog.db")
	write(t, cfg, "person: Test Person\ndatabase: ./data/contriblog.db\nsources:\n  - {name: manual, type: file, path: ./manual.yaml}\n")

	// Not kept yet: a warning, not a broken config.
	code, out, stderr := run(t, nil, "-c", cfg, "validate")
	if code != 0 || !strings.Contains(stderr, "warning: manual: hand-kept file "+manual+" does not exist") ||
		!strings.Contains(out, "database "+db+": none yet") {
		t.Errorf("validate without the file: exit %d\n%s\n%s", code, out, stderr)
	}

	write(t, manual, "- title: Mentoring\n  date: 2026-02-30\n  activity_type: Mentorship/Coaching\n- title: Talk\n  date: 2026-03-01\n  activity_type: Tlak\n")
	code, out, stderr = run(t, nil, "-c", cfg, "validate")
	if code != 2 || !strings.Contains(stderr, "source manual: "+manual+":2: [0].date: no such day") ||
		!strings.Contains(stderr, manual+":6: [1].activity_type: unknown activity type") {
		t.Errorf("validate with a bad file: exit %d\n%s\n%s", code, out, stderr)
	}

	write(t, manual, "- title: Mentoring\n  date: 2026-02-03\n  activity_type: Mentorship/Coaching\n")
	code, out, stderr = run(t, nil, "-c", cfg, "validate")
	if code != 0 || !strings.Contains(out, cfg+": ok (1 sources, 1 enabled); database "+db+": none yet") {
		t.Errorf("validate with a good file: exit %d\n%s\n%s", code, out, stderr)
	}
	if _, err := os.Stat(filepath.Dir(db)); !os.IsNotExist(err) {
		t.Errorf("validate created the database or its directory: %v", err)
	}
	// Once harvested, validate checks the database as before.
	if code, _, stderr := run(t, nil, "-c", cfg, "harvest"); code != 0 {
		t.Fatalf("harvest exit %d\n%s", code, stderr)
	}
	if code, out, _ := run(t, nil, "-c", cfg, "validate"); code != 0 || !strings.Contains(out, "database "+db+": ok") {
		t.Errorf("validate after a harvest: exit %d\n%s", code, out)
	}
}

// Commands that contact no source run while the ${VAR}s of sources'
// tokens and URLs are unset; harvest fails only those sources, naming the
// variable; validate names them unless --no-env.
func TestUnsetVariablesOnlyFailTheirSources(t *testing.T) {
	good := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, goodFeed)
	})
	dir := t.TempDir()
	cfg := filepath.Join(dir, "contriblog.yaml")
	write(t, cfg, "person: Test Person\ndatabase: ./contriblog.db\nsince: 2020-01-01\ntimezone: UTC\nsources:\n"+
		"  - name: blog\n"+feedAt(good)+
		"  - name: github\n    type: github\n    user: priyar\n    token: ${GITHUB_TOKEN}\n"+
		"  - name: calendar\n    type: ics\n    url: ${CALENDAR_URL}\n")

	code, out, stderr := run(t, nil, "-c", cfg, "harvest")
	if code != 1 || !regexp.MustCompile(`(?m)^blog\s+3\s+0\s+0\s+3 of 3\s+ok$`).MatchString(out) ||
		!strings.Contains(out, "\ngithub: environment variable GITHUB_TOKEN is not set (sources[1].token at "+cfg+":12): set it, or comment out the key\n") ||
		!strings.Contains(out, "\ncalendar: environment variable CALENDAR_URL is not set (sources[2].url at "+cfg+":15)") {
		t.Fatalf("harvest: exit %d\n%s\n%s", code, out, stderr)
	}
	code, out, _ = run(t, nil, "-c", cfg, "export", "--format", "json")
	var rows []harvester.Contribution
	if code != 0 || json.Unmarshal([]byte(out), &rows) != nil || len(rows) != 3 {
		t.Fatalf("export: exit %d, %d rows\n%s", code, len(rows), out)
	}
	for _, args := range [][]string{
		{"list"}, {"sources"}, {"backup", "-o", filepath.Join(dir, "copy.db")},
		{"edit", rows[0].ID, "--exclude"}, {"validate", "--no-env"},
	} {
		code, out, stderr := run(t, nil, append([]string{"-c", cfg}, args...)...)
		if code != 0 || stderr != "" {
			t.Errorf("%q with the variables unset: exit %d\n%s\n%s", args, code, out, stderr)
		}
	}
	code, out, stderr = run(t, nil, "-c", cfg, "validate")
	if code != 2 || !strings.Contains(stderr, cfg+":12: sources[1].token: environment variable GITHUB_TOKEN is not set (or is empty): source github fails until it is") ||
		!strings.Contains(stderr, cfg+":15: sources[2].url: environment variable CALENDAR_URL is not set") {
		t.Errorf("validate: exit %d\n%s\n%s", code, out, stderr)
	}
	// --source github alone fails the same way, and only that source ran.
	code, out, _ = run(t, nil, "-c", cfg, "harvest", "--source", "github")
	if code != 1 || regexp.MustCompile(`(?m)^blog\s`).MatchString(out) || !strings.Contains(out, "GITHUB_TOKEN is not set") {
		t.Errorf("harvest --source github: exit %d\n%s", code, out)
	}
}

// config.example.yaml works as copied: validate passes with no variable
// set, the sources all build (harvest of the hand-kept one creates the
// database) and list shows the log.
func TestExampleConfigWorksAsCopied(t *testing.T) {
	dir := t.TempDir()
	example, err := os.ReadFile(filepath.Join("..", "..", "config.example.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "contriblog.yaml")
	write(t, cfg, string(example))
	code, out, stderr := run(t, nil, "-c", cfg, "validate")
	if code != 0 || !strings.Contains(out, ": ok (") || strings.Contains(stderr, "environment variable") {
		t.Fatalf("validate of the copied example: exit %d\n%s\n%s", code, out, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "contriblog.db")); !os.IsNotExist(err) {
		t.Errorf("validate created the database: %v", err)
	}
	// The hand-kept file the example names, from the documented example:
	// harvesting only it builds every source and touches no network.
	manual, err := os.ReadFile(filepath.Join("config", "testdata", "manual.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "manual.yaml"), string(manual))
	code, out, stderr = run(t, nil, "-c", cfg, "harvest", "--source", "manual")
	if code != 0 || !regexp.MustCompile(`(?m)^manual\s+(\d+)\s+0\s+0\s+\d+ of \d+\s+ok$`).MatchString(out) {
		t.Fatalf("harvest --source manual: exit %d\n%s\n%s", code, out, stderr)
	}
	code, out, stderr = run(t, nil, "-c", cfg, "list")
	if code != 0 || strings.Contains(out, "No contributions") {
		t.Errorf("list: exit %d\n%s\n%s", code, out, stderr)
	}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
