package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/contriblog/contriblog/cmd/contriblog/demo"
	"github.com/contriblog/contriblog/harvester"
)

// demoLog harvests the demo's sample sources into a new directory, with
// extra appended to its config and extraManual to its hand-kept file, and
// returns the config and the demo server's URL (which the goldens hold as
// {{URL}}).
func demoLog(t *testing.T, extra, extraManual string) (cfg, url string) {
	t.Helper()
	srv, err := demo.Start(func() time.Time { return fixedNow })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	dir := t.TempDir()
	if cfg, err = srv.WriteConfig(dir); err != nil {
		t.Fatal(err)
	}
	appendFile(t, cfg, extra)
	appendFile(t, filepath.Join(dir, "manual.yaml"), extraManual)
	if code, out, stderr := run(t, nil, "-c", cfg, "harvest"); code != 0 {
		t.Fatalf("harvest exit %d\n%s\n%s", code, out, stderr)
	}
	return cfg, srv.URL
}

func appendFile(t *testing.T, path, text string) {
	t.Helper()
	if text == "" {
		return
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
}

// TestExportProgram exports the demo person's log for each program as a
// user would type it, against reviewed goldens, and checks what the
// command refuses and that the general log stays as it was.
func TestExportProgram(t *testing.T) {
	cfg, url := demoLog(t, "", "")
	for _, name := range []string{"mvp", "stars", "gde"} {
		for _, format := range []string{"csv", "json"} {
			code, out, stderr := run(t, nil, "-c", cfg, "export", "--program", name, "--format", format)
			if code != 0 {
				t.Fatalf("export --program %s --format %s: exit %d\n%s", name, format, code, stderr)
			}
			golden(t, "e2e-"+name+"."+format, strings.ReplaceAll(out, url, "{{URL}}"))
			// The demo's user group and its four months of Stack
			// Overflow answers are no Advocu kind: left out of the gde
			// export, each said once; the others take every row.
			left := regexp.MustCompile(`(?m)^warning: (\S+) left out of the `+name+` export: (.*)$`).FindAllStringSubmatch(stderr, -1)
			kinds := map[string]int{}
			for _, l := range left {
				kinds[regexp.MustCompile(`the type "([^"]+)"`).FindStringSubmatch(l[2])[1]]++
				if strings.Contains(out, l[1]) {
					t.Errorf("the row left out %s is in the export", l[1])
				}
			}
			switch {
			case name != "gde" && stderr != "":
				t.Errorf("export --program %s warned:\n%s", name, stderr)
			case name == "gde" && (len(left) != 5 || kinds["User Group Owner"] != 1 || kinds["Online Support"] != 4 ||
				!strings.Contains(stderr, "warning: 5 rows left out of the gde export; `contriblog check --program gde` says what to fix")):
				t.Errorf("export --program gde, stderr:\n%s", stderr)
			}
		}
	}

	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--program", "mvq"}, `--program: unknown program "mvq" (did you mean "mvp"?)`},
		{[]string{"--program", "aws"}, `unknown program "aws"; programs: gde, mvp, stars`},
		{[]string{"--program", "gde", "--format", "md"}, "the gde export is csv or json, not md"},
		{[]string{"--program", "mvp", "--all"}, "excluded rows are never in it"},
		{[]string{"--program", "stars", "--format", "xlsx"}, `unknown export format "xlsx"`},
	} {
		code, out, stderr := run(t, nil, append([]string{"-c", cfg, "export"}, tt.args...)...)
		if code != 2 || out != "" || !strings.Contains(stderr, tt.want) {
			t.Errorf("export %v: exit %d, stdout %q, stderr %s; want 2 and %q", tt.args, code, out, stderr, tt.want)
		}
	}

	// program: in the config makes its export the default; --program none
	// is the general log, byte for byte.
	appendFile(t, cfg, "program: mvp\n")
	code, out, stderr := run(t, nil, "-c", cfg, "export")
	if code != 0 {
		t.Fatalf("export with program: mvp: exit %d\n%s", code, stderr)
	}
	golden(t, "e2e-mvp.csv", strings.ReplaceAll(out, url, "{{URL}}"))
	code, out, stderr = run(t, nil, "-c", cfg, "export", "--program", "none")
	if code != 0 {
		t.Fatalf("export --program none: exit %d\n%s", code, stderr)
	}
	golden(t, "e2e.csv", strings.ReplaceAll(out, url, "{{URL}}"))
}

// planted are hand-kept entries, each with one problem check must find
// (or, for the book, a type the MVP form does not take).
const planted = `- title: Zero Trust, the book
  date: "{{DAY:-60}}"
  activity_type: Book/E-book
  url: https://books.example/zero-trust
  primary_area: Identity & Access
- title: An old post about passkeys
  date: "2025-09-20"
  activity_type: Blog
  url: https://priyaraman.dev/2025/old-passkeys/
  primary_area: Identity & Access
- title: "Zéro confiance, passkeys et accès conditionnel : le guide complet pour les administrateurs d’Entra ID en 2026"
  date: "{{DAY:-20}}"
  activity_type: Blog
  url: https://priyaraman.dev/2026/zero-confiance/
  primary_area: Identity & Access
- title: Identity governance in twelve steps
  date: "{{DAY:-10}}"
  activity_type: Blog
  url: https://priyaraman.dev/2026/governance/
  primary_area: Identity and Access
`

// plantedLog is the demo's log with the planted entries, harvested from
// 2025 on so that the old one is kept, and the ids of the planted rows
// and of a talk without attendees by title.
func plantedLog(t *testing.T) (cfg string, ids map[string]string) {
	t.Helper()
	manual := strings.NewReplacer("{{DAY:-60}}", fixedNow.AddDate(0, 0, -60).Format(harvester.DateLayout),
		"{{DAY:-20}}", fixedNow.AddDate(0, 0, -20).Format(harvester.DateLayout),
		"{{DAY:-10}}", fixedNow.AddDate(0, 0, -10).Format(harvester.DateLayout)).Replace(planted)
	cfg, _ = demoLog(t, "since: 2025-01-01\n", manual)
	code, out, stderr := run(t, nil, "-c", cfg, "export", "--format", "json")
	var rows []harvester.Contribution
	if err := json.Unmarshal([]byte(out), &rows); code != 0 || err != nil {
		t.Fatalf("export: exit %d, %v\n%s", code, err, stderr)
	}
	ids = map[string]string{}
	for _, r := range rows {
		ids[r.Title] = r.ID
	}
	return cfg, ids
}

// TestCheckCommand runs check as a user would: the planted problems are
// found, each on its line with what to do, errors exit 1, warnings alone
// 0, usage errors 2; --format json is for scripts.
func TestCheckCommand(t *testing.T) {
	cfg, ids := plantedLog(t)
	book, old := ids["Zero Trust, the book"], ids["An old post about passkeys"]
	long := ids["Zéro confiance, passkeys et accès conditionnel : le guide complet pour les administrateurs d’Entra…"] // the export's cut
	area, talk := ids["Identity governance in twelve steps"], ids["Passkeys for admins"]
	for name, id := range map[string]string{"book": book, "old": old, "long": long, "area": area, "talk": talk} {
		if id == "" {
			t.Fatalf("no row for the %s in the log: %v", name, ids)
		}
	}

	code, out, stderr := run(t, nil, "-c", cfg, "check", "--program", "mvp")
	if code != 1 {
		t.Fatalf("check --program mvp: exit %d, want 1\n%s\n%s", code, out, stderr)
	}
	for _, want := range []string{
		book + `  error    the type "Book/E-book" is not one Microsoft MVP (2025–26 activity form) takes`,
		old + "  error    dated 2025-09-20, more than 12 months before 2026-11-22",
		long + "  error    the title is 109 characters, over the 100 mvp takes; cut at a word it reads \"Zéro confiance, passkeys et accès conditionnel : le guide complet pour les administrateurs d’Entra…\"",
		area + `  error    "Identity and Access" is not an area of Microsoft MVP (2025–26 activity form) (did you mean "Identity & Access"?)`,
		talk + "  error    no In-Person Attendees, which mvp requires for Speaker/Presenter at Third-party Event  →  `contriblog edit " + talk + " --set attendees=N`",
		"errors, 3 warnings for Microsoft MVP (2025–26 activity form): fix the errors before you submit.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("check lacks\n%s\nin\n%s", want, out)
		}
	}
	// One line per problem: the planted rows have one each.
	for _, id := range []string{book, old, long, area} {
		if n := strings.Count(out, id+"  "); n != 1 {
			t.Errorf("%d lines for %s:\n%s", n, id, out)
		}
	}
	// The export leaves out what check calls left out, and says so.
	code, exp, stderr := run(t, nil, "-c", cfg, "export", "--program", "mvp")
	if code != 0 || strings.Count(stderr, book+" left out") != 1 || strings.Count(stderr, area+" left out") != 1 ||
		!strings.Contains(stderr, "2 rows left out of the mvp export") || strings.Contains(exp, book) || strings.Contains(exp, area) {
		t.Errorf("export --program mvp: exit %d\n%s", code, stderr)
	}

	code, out, _ = run(t, nil, "-c", cfg, "check", "--program", "mvp", "--format", "json")
	var problems []harvester.Problem
	if err := json.Unmarshal([]byte(out), &problems); code != 1 || err != nil {
		t.Fatalf("check --format json: exit %d, %v\n%s", code, err, out)
	}
	fields := map[string]string{}
	for _, p := range problems {
		if p.ID == "" || p.Problem == "" || p.Fix == "" || p.Field == "" || (p.Severity != "error" && p.Severity != "warning") {
			t.Errorf("incomplete problem %+v", p)
		}
		fields[p.ID] += p.Field + " "
	}
	for id, want := range map[string]string{book: "activity_type ", old: "date ", long: "title ", area: "primary_area ", talk: "counts.attendees "} {
		if fields[id] != want {
			t.Errorf("json: %s has %q, want %q", id, fields[id], want)
		}
	}

	// Warnings alone do not fail: Stars has no field the demo lacks but
	// a page for events without one.
	if code, out, stderr := run(t, nil, "-c", cfg, "check", "--program", "stars", "--since", "2025-11-22"); code != 0 ||
		!strings.Contains(out, "0 errors, 3 warnings for GitHub Stars") || !strings.Contains(out, "warning  no Activity URL") {
		t.Errorf("check --program stars: exit %d\n%s\n%s", code, out, stderr)
	}
	if code, out, _ := run(t, nil, "-c", cfg, "check", "--program", "mvp", "--type", "Podcast", "--format", "json"); code != 0 || strings.TrimSpace(out) != "[]" {
		t.Errorf("check --type Podcast --format json: exit %d\n%s", code, out)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{nil, "check needs a program: --program NAME (gde, mvp, stars), or program: in the config"},
		{[]string{"--program", "mvq"}, `--program: unknown program "mvq" (did you mean "mvp"?)`},
		{[]string{"--program", "mvp", "--format", "xml"}, `--format "xml": check writes text or json`},
		{[]string{"--program", "mvp", "--since", "last year"}, "expected a date as YYYY-MM-DD"},
		{[]string{"--program", "mvp", "--person", "Nobody Here"}, "unknown person"},
		{[]string{"mvp"}, "check takes no arguments"},
	} {
		code, out, stderr := run(t, nil, append([]string{"-c", cfg, "check"}, tt.args...)...)
		if code != 2 || out != "" || !strings.Contains(stderr, tt.want) {
			t.Errorf("check %v: exit %d, stdout %q, stderr %s; want 2 and %q", tt.args, code, out, stderr, tt.want)
		}
	}
	// program: in the config is check's default.
	appendFile(t, cfg, "program: gde\n")
	if code, out, _ := run(t, nil, "-c", cfg, "check"); code != 1 || !strings.Contains(out, "for Google Developer Experts") {
		t.Errorf("check with program: gde: exit %d\n%s", code, out)
	}
}
