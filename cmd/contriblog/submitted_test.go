package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/contriblog/contriblog/harvester"
)

// submittedFixture is a config whose hand-kept file holds the rows the
// portal export of testdata/mvp-privacy.json is matched against.
func submittedFixture(t *testing.T) (cfg, export string) {
	t.Helper()
	dir := t.TempDir()
	write(t, filepath.Join(dir, "manual.yaml"), `
- {id: ca, title: "Conditional Access policies you should have on day one", date: 2026-11-13, activity_type: Blog, url: "https://priyaraman.dev/2026/11/conditional-access/"}
- {id: bicep, title: "Bicep modules for landing zones - the boring way", date: 2026-09-19, activity_type: Blog, url: "https://priyaraman.dev/bicep"}
- {id: pk, title: "Passkeys for admins: a rollout diary", date: 2026-07-16, activity_type: Blog, url: "https://priyaraman.dev/passkeys", other_urls: ["https://priyaraman.dev/passkeys-de"]}
- {id: zt1, title: "Zero Trust in Practice", date: 2026-03-20, activity_type: "Speaker/Presenter at Third-party Event"}
- {id: zt2, title: "Zero Trust in Practice", date: 2026-10-24, activity_type: "Speaker/Presenter at Third-party Event"}
- {id: meet, title: "Monthly meetup talk", date: 2026-05-03, activity_type: "Speaker/Presenter at Third-party Event"}
- {id: left, title: "Something not yet entered", date: 2026-06-01, activity_type: Blog}
`)
	cfg = filepath.Join(dir, "contriblog.yaml")
	write(t, cfg, "person: Priya Raman\ndatabase: ./contriblog.db\nsince: 2025-01-01\ntimezone: UTC\nprogram: mvp\nsources:\n"+
		"  - name: manual\n    type: file\n    path: ./manual.yaml\n")
	data, err := os.ReadFile(filepath.Join("testdata", "mvp-privacy.json"))
	if err != nil {
		t.Fatal(err)
	}
	export = filepath.Join(dir, "MVP Account Privacy Data.json")
	write(t, export, string(data))
	mustRun(t, "-c", cfg, "harvest")
	return cfg, export
}

func TestSubmittedImportMVP(t *testing.T) {
	cfg, export := submittedFixture(t)
	out := mustRun(t, "-c", cfg, "submitted", "import", "mvp", export, "--dry-run")
	if !strings.Contains(out, "Dry run: 4 rows would be recorded; nothing changed.") {
		t.Fatalf("dry run:\n%s", out)
	}
	if strings.Contains(mustRun(t, "-c", cfg, "submitted", "list"), "imported") {
		t.Fatal("a dry run recorded something")
	}
	out = mustRun(t, "-c", cfg, "submitted", "import", "mvp", export)
	for _, want := range []string{
		"(and 1 deleted, skipped)",
		"In the portal and in the log: 4",
		`"Conditional Access policies for day one (renamed in the portal)" (by url)`,
		"Not sure — nothing recorded",
		"Entered twice in the portal (delete one there): 1",
		"In the portal, not in the log (--add-missing adds them to the log): 1",
		"In the log, not in the portal — still to enter: 1",
		"Something not yet entered",
		"Recorded 4 rows as in the mvp portal.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("import lacks %q:\n%s", want, out)
		}
	}
	if out := mustRun(t, "-c", cfg, "submitted", "import", "mvp", export); !strings.Contains(out, "Nothing new to record") {
		t.Errorf("import again:\n%s", out)
	}
	out = mustRun(t, "-c", cfg, "submitted", "import", "mvp", export, "--add-missing")
	if !strings.Contains(out, "Added to the log from the portal (source mvp-portal): 1") || !strings.Contains(out, "Recorded 1 row") {
		t.Errorf("--add-missing:\n%s", out)
	}
	var rows []harvester.Contribution
	json.Unmarshal([]byte(mustRun(t, "-c", cfg, "export", "--format", "json")), &rows)
	found := false
	for _, r := range rows {
		found = found || r.Title == "Keynote at a conference no source knows" && r.Sources[0] == "mvp-portal"
	}
	if !found {
		t.Errorf("the portal's keynote is not in the log: %+v", rows)
	}
	if out := mustRun(t, "-c", cfg, "submitted", "import", "mvp", export, "--add-missing"); !strings.Contains(out, "Nothing new to record") {
		t.Errorf("--add-missing again:\n%s", out)
	}
	list := mustRun(t, "-c", cfg, "submitted", "list", "--program", "mvp")
	if n := strings.Count(list, " imported "); n != 5 {
		t.Errorf("list shows %d imported records, want 5:\n%s", n, list)
	}

	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"submitted", "import", "stars", export}, "submitted import stars reads from the Stars API and takes no file"},
		{[]string{"submitted", "import", "mvp", filepath.Join(filepath.Dir(export), "nope.json")}, "nope.json"},
		{[]string{"submitted", "import", "mvp", cfg}, "not the MVP portal's JSON export"},
		{[]string{"submitted", "imprt"}, `did you mean "import"?`},
	} {
		code, _, stderr := run(t, nil, append([]string{"-c", cfg}, tt.args...)...)
		if code != 2 || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, %s; want 2 and %q", tt.args, code, stderr, tt.want)
		}
	}
}

func TestSubmittedMarkAndUnmark(t *testing.T) {
	cfg, _ := submittedFixture(t)
	id := rowID(t, cfg, "Something not yet entered")
	zt := regexp.MustCompile(`(?m)^(\w+) +2026-03-20 `).FindStringSubmatch(mustRun(t, "-c", cfg, "list"))
	if zt == nil {
		t.Fatal("no Zero Trust row of March")
	}
	out := mustRun(t, "-c", cfg, "submitted", "mark", id, zt[1])
	if !strings.Contains(out, "Marked 2 rows as in the mvp portal.") {
		t.Fatalf("mark:\n%s", out)
	}
	if out := mustRun(t, "-c", cfg, "submitted", "mark", id, "--program", "mvp"); !strings.Contains(out, "already recorded as in the mvp portal (marked") {
		t.Errorf("mark again:\n%s", out)
	}
	if out := mustRun(t, "-c", cfg, "submitted", "mark", id, "--program", "stars"); !strings.Contains(out, "Marked 1 row as in the stars portal.") {
		t.Errorf("mark for stars:\n%s", out)
	}
	if out := mustRun(t, "-c", cfg, "submitted", "unmark", id); !strings.Contains(out, "1 record no longer recorded as in the mvp portal") {
		t.Errorf("unmark:\n%s", out)
	}
	list := mustRun(t, "-c", cfg, "submitted", "list")
	if strings.Count(list, " marked ") != 2 || !strings.Contains(list, "stars") {
		t.Errorf("list after unmark:\n%s", list)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"submitted", "mark", "nosuch"}, `contribution "nosuch": not found`},
		{[]string{"submitted", "mark", id, "--program", "mpv"}, `unknown program "mpv" (did you mean "mvp"?)`},
		{[]string{"submitted", "mark"}, "takes the ids"},
	} {
		code, _, stderr := run(t, nil, append([]string{"-c", cfg}, tt.args...)...)
		if code != 2 || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, %s; want 2 and %q", tt.args, code, stderr, tt.want)
		}
	}
}

// list and export --unsubmitted leave out what the program has, and
// list says, in a SUBMITTED column, which programs each row is in.
func TestUnsubmitted(t *testing.T) {
	cfg, export := submittedFixture(t)
	before := mustRun(t, "-c", cfg, "list")
	if strings.Contains(before, "SUBMITTED") {
		t.Errorf("a SUBMITTED column before any record:\n%s", before)
	}
	mustRun(t, "-c", cfg, "submitted", "import", "mvp", export)
	left := rowID(t, cfg, "Something not yet entered")
	mustRun(t, "-c", cfg, "submitted", "mark", left, "--program", "stars")

	list := mustRun(t, "-c", cfg, "list")
	if !regexp.MustCompile(`(?m)^ID +DATE +TYPE +TITLE +REACH +SOURCES +SUBMITTED$`).MatchString(list) ||
		!regexp.MustCompile(`(?m)^`+left+` .* manual +stars$`).MatchString(list) ||
		!regexp.MustCompile(`(?m) manual +mvp$`).MatchString(list) {
		t.Errorf("list with records:\n%s", list)
	}
	un := mustRun(t, "-c", cfg, "list", "--unsubmitted")
	// The config's program is mvp: 4 rows imported, the doubtful two and
	// the one left stay.
	if n := strings.Count(un, " manual "); n != 3 || !strings.Contains(un, "Something not yet entered") || strings.Contains(un, "Bicep") {
		t.Errorf("list --unsubmitted: %d rows\n%s", n, un)
	}
	if s := mustRun(t, "-c", cfg, "list", "--unsubmitted", "--program", "stars"); strings.Contains(s, "Something not yet entered") || strings.Count(s, " manual ") != 6 {
		t.Errorf("list --unsubmitted --program stars:\n%s", s)
	}
	csv := mustRun(t, "-c", cfg, "export", "--program", "none", "--unsubmitted")
	if strings.Count(csv, "\n") != 4 || strings.Contains(csv, "Bicep") {
		t.Errorf("export --unsubmitted (general log, the config's program):\n%s", csv)
	}
	noProgram := filepath.Join(filepath.Dir(cfg), "noprogram.yaml")
	base, _ := os.ReadFile(cfg)
	write(t, noProgram, strings.Replace(string(base), "program: mvp\n", "", 1))
	if code, _, stderr := run(t, nil, "-c", noProgram, "list", "--unsubmitted"); code != 2 || !strings.Contains(stderr, "not submitted to which program?") {
		t.Errorf("--unsubmitted without a program: exit %d, %s", code, stderr)
	}
}
