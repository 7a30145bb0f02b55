package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// reportConfig is a config whose hand-kept file holds two persons' work,
// one row older than the program's twelve-month window (fixedNow is
// 2026-11-22), with the program line given by program ("" for none).
func reportConfig(t *testing.T, program string) string {
	t.Helper()
	dir := t.TempDir()
	write(t, filepath.Join(dir, "manual.yaml"), `
- {title: "Conditional Access policies you should have on day one", date: 2026-01-10, activity_type: Blog, url: "https://priya.example/ca", primary_area: Identity & Access, reach: 1200}
- {title: "Zero Trust in Practice", date: 2026-03-20, activity_type: "Speaker/Presenter at Third-party Event", url: "https://cloudsummit.example/zt"}
- {title: "Less-than < and ampersand & \"quotes\"", date: 2026-05-03, activity_type: "Open Source/Project/Sample code/Tools", url: "https://github.example/x/y", reach: 45}
- {title: "Zero Trust for landing zones", date: 2026-03-02, activity_type: Article, person: Ada Lovelace, url: "https://ada.example/zt"}
- {title: "An old post", date: 2025-06-01, activity_type: Blog, url: "https://priya.example/old"}
`)
	cfg := filepath.Join(dir, "contriblog.yaml")
	write(t, cfg, "person: Priya Raman\ndatabase: ./contriblog.db\nsince: 2025-01-01\ntimezone: UTC\n"+program+
		"sources:\n  - name: manual\n    type: file\n    path: ./manual.yaml\n")
	mustRun(t, "-c", cfg, "harvest")
	return cfg
}

// reportRows parses a report and returns the text of each row of its
// full table, cells joined by " | ".
func reportRows(t *testing.T, page string) []string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	var walk func(n *html.Node, in bool)
	walk = func(n *html.Node, in bool) {
		if n.Type == html.ElementNode && n.Data == "section" {
			for _, a := range n.Attr {
				in = in || a.Key == "id" && a.Val == "contributions"
			}
		}
		if in && n.Type == html.ElementNode && n.Data == "tr" && n.Parent.Data == "tbody" {
			var cells []string
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				cells = append(cells, strings.Join(strings.Fields(nodeText(c)), " "))
			}
			rows = append(rows, strings.Join(cells, " | "))
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, in)
		}
	}
	walk(doc, false)
	return rows
}

func nodeText(n *html.Node) string {
	if n.Type == html.TextNode {
		return n.Data
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.WriteString(nodeText(c))
	}
	return b.String()
}

// TestReportCommand (issue 18, item 1): `contriblog report -o FILE`
// writes the program window's rows with what is still to submit, the
// same page as on stdout; the flags narrow it.
func TestReportCommand(t *testing.T) {
	cfg := reportConfig(t, "program: mvp\n")
	id := idOf(t, cfg, "Zero Trust in Practice")
	mustRun(t, "-c", cfg, "submitted", "mark", id)
	out := filepath.Join(filepath.Dir(cfg), "report.html")
	code, stdout, stderr := run(t, nil, "-c", cfg, "report", "-o", out)
	if code != 0 || stdout != "" {
		t.Fatalf("report -o: exit %d\n%s\n%s", code, stdout, stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	page := string(data)
	rows := reportRows(t, page)
	want := []string{
		"2026-01-10 | Priya Raman | Blog | Conditional Access policies you should have on day one",
		"2026-03-02 | Ada Lovelace | Article | Zero Trust for landing zones",
		"2026-03-20 | Priya Raman | Talk | Zero Trust in Practice",
		`2026-05-03 | Priya Raman | OSS | Less-than < and ampersand & "quotes"`,
	}
	if len(rows) != len(want) {
		t.Fatalf("the report's table has %d rows, want the %d of the window (not the old post):\n%s", len(rows), len(want), strings.Join(rows, "\n"))
	}
	for i, r := range rows {
		if !strings.HasPrefix(r, want[i]) {
			t.Errorf("row %d:\n got %s\nwant %s ...", i, r, want[i])
		}
		status := "to submit"
		if strings.Contains(r, "Zero Trust in Practice") {
			status = "submitted 2026-11-22 (marked)"
		}
		if !strings.Contains(r, "| "+status) {
			t.Errorf("row %d: %s\nwant its status %q", i, r, status)
		}
	}
	// What check finds is under the status: the talk lacks its attendees.
	if !strings.Contains(page, `<li class="error"><strong>error:</strong> no In-Person Attendees, which mvp requires for Speaker/Presenter at Third-party Event</li>`) {
		t.Error("the table does not say what check finds")
	}
	for _, s := range []string{"22 November 2025 – 22 November 2026", "Microsoft MVP", `id="p2"`, "Talks given (1)"} {
		if !strings.Contains(page, s) {
			t.Errorf("the report lacks %q", s)
		}
	}
	if strings.Contains(page, "An old post") {
		t.Error("the report holds a row older than the program's window")
	}
	if _, stdout, _ := run(t, nil, "-c", cfg, "report"); stdout != page {
		t.Error("the report on stdout is not the one -o wrote")
	}

	narrow := func(args ...string) []string {
		t.Helper()
		return reportRows(t, mustRun(t, append([]string{"-c", cfg, "report"}, args...)...))
	}
	if rows := narrow("--since", "2025-01-01"); len(rows) != 5 {
		t.Errorf("--since 2025-01-01: %d rows, want 5", len(rows))
	}
	if rows := narrow("--until", "2026-03-05"); len(rows) != 2 {
		t.Errorf("--until 2026-03-05: %d rows, want 2", len(rows))
	}
	if rows := narrow("--person", "ada lovelace"); len(rows) != 1 || !strings.Contains(rows[0], "landing zones") {
		t.Errorf("--person: %v", rows)
	}
	if page := mustRun(t, "-c", cfg, "report", "--person", "Ada Lovelace"); strings.Contains(page, `id="p1"`) {
		t.Error("one person's report has sections per person")
	}
}

// TestReportNoProgram: without a program the report covers twelve
// months and has no status column, and says how to get one.
func TestReportNoProgram(t *testing.T) {
	cfg := reportConfig(t, "")
	page := mustRun(t, "-c", cfg, "report")
	rows := reportRows(t, page)
	if len(rows) != 4 || strings.Contains(page, "to submit</td>") || !strings.Contains(page, "No program chosen") {
		t.Errorf("no program: %d rows\n%s", len(rows), strings.Join(rows, "\n"))
	}
	if rows := reportRows(t, mustRun(t, "-c", cfg, "report", "--program", "mvp")); !strings.HasSuffix(rows[0], "| to submit") {
		t.Errorf("--program mvp: %v", rows)
	}
}

func TestReportBadUse(t *testing.T) {
	cfg := reportConfig(t, "program: mvp\n")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--since", "2026-13-01"}, `--since "2026-13-01": expected a date as YYYY-MM-DD`},
		{[]string{"--since", "2026-06-01", "--until", "2026-01-01"}, "--since 2026-06-01 is after --until 2026-01-01"},
		{[]string{"--since", "2027-01-01"}, "would start on 2027-01-01, after it ends on 2026-11-22"},
		{[]string{"--program", "mvpp"}, `unknown program "mvpp" (did you mean "mvp"?)`},
		{[]string{"--person", "Grace Hopper"}, "Grace Hopper"},
		{[]string{"-o", filepath.Join(t.TempDir(), "no", "such", "dir", "r.html")}, "-o "},
		{[]string{"extra"}, `report takes no arguments (got "extra")`},
	} {
		code, stdout, stderr := run(t, nil, append([]string{"-c", cfg, "report"}, c.args...)...)
		if code != exitUsage || !strings.Contains(stderr, c.want) || stdout != "" {
			t.Errorf("report %v: exit %d, stderr %q, %d bytes on stdout; want exit 2 saying %q", c.args, code, stderr, len(stdout), c.want)
		}
	}
	if code, stdout, _ := run(t, nil, "report", "-h"); code != 0 || !strings.Contains(stdout, "usage: contriblog report [-o report.html]") {
		t.Errorf("report -h: exit %d\n%s", code, stdout)
	}
}

// TestReportBesideTheDaemon: with `run` holding the database, the report
// comes through its API (rows and submission records) and is the same.
func TestReportBesideTheDaemon(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the daemon")
	}
	cfg := reportConfig(t, "program: mvp\n")
	mustRun(t, "-c", cfg, "submitted", "mark", idOf(t, cfg, "Zero Trust in Practice"))
	local := mustRun(t, "-c", cfg, "report")
	base, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	write(t, cfg, string(base)+"schedule: \"@every 1h\"\nlisten: "+addr+"\n")
	_, stop := runInProcess(t, cfg, addr)
	remote := mustRun(t, "-c", cfg, "report")
	if code := stop(); code != 0 {
		t.Fatalf("run exit %d", code)
	}
	if remote != local || !strings.Contains(remote, "submitted 2026-11-22 (marked)") {
		t.Errorf("the report through the daemon differs from the one on the database:\n%s\n---\n%s", remote, local)
	}
}
