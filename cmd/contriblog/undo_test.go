package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/contriblog/contriblog/harvester"
)

// undoFixture is a harvested log of three hand-kept sources: a post on
// the blog and cross-posted to dev.to (one row, blog/zt+devto/zt), a
// blog post on its own (blog/bicep), a dev.to post on its own
// (devto/only) and a talk (talks/t1).
func undoFixture(t *testing.T) (cfg string) {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"contriblog.yaml": "person: Priya Raman\ndatabase: ./contriblog.db\ntimezone: UTC\n" +
			"areas:\n  Security: [\"zero trust\"]\n  Developer Tools: [vscode]\n" +
			"sources:\n  - {name: blog, type: file, path: ./blog.yaml}\n  - {name: devto, type: file, path: ./devto.yaml}\n" +
			"  - {name: talks, type: file, path: ./talks.yaml}\n",
		"blog.yaml": "- {id: zt, title: Zero Trust in Practice, date: \"2026-01-10\", url: \"https://priya.dev/zt\", activity_type: Blog}\n" +
			"- {id: bicep, title: Bicep modules at scale, date: \"2026-02-01\", url: \"https://priya.dev/bicep\", activity_type: Blog}\n",
		"devto.yaml": "- {id: zt, title: Zero Trust in Practice, date: \"2026-01-11\", url: \"https://priya.dev/zt\", activity_type: Blog}\n" +
			"- {id: only, title: Notes from KubeCon, date: \"2026-03-01\", url: \"https://dev.to/priya/kubecon\", activity_type: Blog}\n",
		"talks.yaml": "- {id: t1, title: Bicep at scale, date: \"2026-02-20\", url: \"https://conf.example/bicep\", activity_type: \"Speaker/Presenter at Third-party Event\"}\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cfg = filepath.Join(dir, "contriblog.yaml")
	if code, out, stderr := run(t, nil, "-c", cfg, "harvest"); code != 0 {
		t.Fatalf("harvest exit %d\n%s\n%s", code, out, stderr)
	}
	if got := len(exportRows(t, cfg)); got != 4 {
		t.Fatalf("the fixture's log has %d rows, want 4", got)
	}
	return cfg
}

// exportRows is the whole log, excluded rows too, as `export` gives it.
func exportRows(t *testing.T, cfg string) []harvester.Contribution {
	t.Helper()
	code, out, stderr := run(t, nil, "-c", cfg, "export", "--format", "json", "--all")
	var rows []harvester.Contribution
	if err := json.Unmarshal([]byte(out), &rows); code != 0 || err != nil {
		t.Fatalf("export exit %d, %v\n%s", code, err, stderr)
	}
	return rows
}

// holding is the row that holds the observation source/id, if any.
func holding(rows []harvester.Contribution, source, id string) (harvester.Contribution, bool) {
	for _, c := range rows {
		for _, o := range c.Observations {
			if o.Source == source && o.NativeID == id {
				return c, true
			}
		}
	}
	return harvester.Contribution{}, false
}

func mustHold(t *testing.T, rows []harvester.Contribution, source, id string) harvester.Contribution {
	t.Helper()
	c, ok := holding(rows, source, id)
	if !ok {
		t.Fatalf("no row holds %s/%s", source, id)
	}
	return c
}

func TestForget(t *testing.T) {
	cfg := undoFixture(t)
	rows := exportRows(t, cfg)
	zt, only := mustHold(t, rows, "blog", "zt"), mustHold(t, rows, "devto", "only")
	// Curation of a row that survives: set through the row's id.
	mustRun(t, "-c", cfg, "edit", zt.ID, "--title", "Zero Trust, curated")
	before := exportRows(t, cfg)

	// Off a terminal without --yes: the preview, then a refusal.
	code, out, stderr := run(t, nil, "-c", cfg, "forget", "devto")
	for _, want := range []string{"Forgetting source devto removes 2 stored observations", "1 row of the log disappears: " + only.ID,
		"1 row keeps other sources' observations and changes: " + zt.ID} {
		if !strings.Contains(out, want) {
			t.Errorf("preview lacks %q:\n%s", want, out)
		}
	}
	if code != exitUsage || !strings.Contains(stderr, "not a terminal") || !strings.Contains(stderr, "--yes") {
		t.Errorf("forget without --yes off a terminal: exit %d, %s", code, stderr)
	}
	// At a terminal, anything but yes keeps everything.
	tm := newTestMain(nil)
	tm.Stdin, tm.StdinIsTerminal = strings.NewReader("n\n"), func() bool { return true }
	if code := tm.Run(context.Background(), []string{"-c", cfg, "forget", "devto"}); code != 0 ||
		!strings.Contains(tm.stderr.String(), "[y/N]") || !strings.Contains(tm.stdout.String(), "Nothing forgotten") {
		t.Errorf("declined at a terminal: exit %d\n%s\n%s", code, tm.stdout.String(), tm.stderr.String())
	}
	if after := exportRows(t, cfg); !slices.EqualFunc(after, before, func(a, b harvester.Contribution) bool {
		return a.ID == b.ID && len(a.Observations) == len(b.Observations)
	}) {
		t.Fatalf("a refused forget changed the log: %+v", after)
	}
	// An unknown name: did you mean.
	code, _, stderr = run(t, nil, "-c", cfg, "forget", "devtoo", "--yes")
	if code != exitUsage || !strings.Contains(stderr, `(did you mean "devto"?)`) || !strings.Contains(stderr, "known sources: blog, devto, talks") {
		t.Errorf("unknown source: exit %d, %s", code, stderr)
	}

	// At a terminal, yes removes.
	tm = newTestMain(nil)
	tm.Stdin, tm.StdinIsTerminal = strings.NewReader("y\n"), func() bool { return true }
	if code := tm.Run(context.Background(), []string{"-c", cfg, "forget", "devto"}); code != 0 ||
		!strings.Contains(tm.stdout.String(), "Forgot source devto: 2 observations removed; the log has 1 row fewer and 1 row changed") ||
		!strings.Contains(tm.stdout.String(), "its next harvest fetches it again") {
		t.Fatalf("forget at a terminal: exit %d\n%s\n%s", code, tm.stdout.String(), tm.stderr.String())
	}
	after := exportRows(t, cfg)
	if _, ok := holding(after, "devto", "only"); ok || len(after) != 3 {
		t.Errorf("after forget %d rows; devto/only still there: %v", len(after), ok)
	}
	kept := mustHold(t, after, "blog", "zt")
	if kept.Title != "Zero Trust, curated" || len(kept.Observations) != 1 || slices.Contains(kept.Sources, "devto") {
		t.Errorf("the surviving row: %+v", kept)
	}
	// The source is still configured: a harvest brings it back, and the
	// curation stays with its row.
	mustRun(t, "-c", cfg, "harvest")
	again := exportRows(t, cfg)
	if r := mustHold(t, again, "devto", "zt"); r.ID != zt.ID || r.Title != "Zero Trust, curated" || len(again) != 4 {
		t.Errorf("harvested again: %+v (%d rows)", r, len(again))
	}
	// --yes removes without asking, off a terminal too.
	if out := mustRun(t, "-c", cfg, "forget", "devto", "--yes"); !strings.Contains(out, "Forgot source devto") {
		t.Errorf("forget --yes:\n%s", out)
	}
}

func TestEditSeveralIDsAndBySource(t *testing.T) {
	cfg := undoFixture(t)
	rows := exportRows(t, cfg)
	zt, bicep, only, talk := mustHold(t, rows, "blog", "zt"), mustHold(t, rows, "blog", "bicep"),
		mustHold(t, rows, "devto", "only"), mustHold(t, rows, "talks", "t1")

	out := mustRun(t, "-c", cfg, "edit", zt.ID, talk.ID, "--exclude")
	if !strings.Contains(out, zt.ID) || !strings.Contains(out, talk.ID) || strings.Contains(out, bicep.ID) {
		t.Errorf("edit of two ids prints:\n%s", out)
	}
	after := exportRows(t, cfg)
	for _, c := range after {
		if want := c.ID == zt.ID || c.ID == talk.ID; c.Excluded != want {
			t.Errorf("row %s excluded %v, want %v", c.ID, c.Excluded, want)
		}
	}
	// --source: every row holding one of its observations.
	out = mustRun(t, "-c", cfg, "edit", "--source", "devto", "--exclude")
	if !strings.Contains(out, zt.ID) || !strings.Contains(out, only.ID) || strings.Contains(out, talk.ID) {
		t.Errorf("edit --source devto prints:\n%s", out)
	}
	mustRun(t, "-c", cfg, "edit", "--source", "talks", "--include")
	for _, c := range exportRows(t, cfg) {
		if want := c.ID == zt.ID || c.ID == only.ID; c.Excluded != want {
			t.Errorf("after --source: row %s excluded %v, want %v", c.ID, c.Excluded, want)
		}
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"edit", "--source", "devtoo", "--exclude"}, `(did you mean "devto"?)`},
		{[]string{"edit", "--source", "devto", "--title", "x"}, "--source takes only --exclude or --include"},
		{[]string{"edit", zt.ID, "--source", "devto", "--exclude"}, "not both"},
		{[]string{"edit", zt.ID, bicep.ID, "--merge", talk.ID}, "give one id"},
		{[]string{"edit", zt.ID, "nosuchrow0", "--exclude"}, `"nosuchrow0": not found`},
		{[]string{"edit", "--exclude"}, "one or more contribution IDs"},
	} {
		code, _, stderr := run(t, nil, append([]string{"-c", cfg}, tt.args...)...)
		if code != exitUsage || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, %s; want 2 and %q", tt.args, code, stderr, tt.want)
		}
	}
	// A refused request with several ids changed nothing.
	if c := mustHold(t, exportRows(t, cfg), "blog", "bicep"); c.Excluded {
		t.Error("a refused edit of several ids excluded a row")
	}
}

func TestEditMergeKeepsTheFirstRowsTitleAndURL(t *testing.T) {
	cfg := undoFixture(t)
	rows := exportRows(t, cfg)
	bicep, only := mustHold(t, rows, "blog", "bicep"), mustHold(t, rows, "devto", "only")
	// The blog post is older and on the person's own site: it would lead
	// a merge by the rules. Named first, the dev.to post leads.
	out := mustRun(t, "-c", cfg, "edit", only.ID, "--merge", bicep.ID)
	merged := mustHold(t, exportRows(t, cfg), "devto", "only")
	if len(merged.Observations) != 2 || merged.Title != "Notes from KubeCon" || merged.URL != "https://dev.to/priya/kubecon" ||
		!slices.Contains(merged.OtherURLs, "https://priya.dev/bicep") || merged.Date != "2026-02-01" {
		t.Errorf("merged row %+v; want the first row's title and URL, the earliest date", merged)
	}
	if !strings.Contains(out, "Notes from KubeCon") {
		t.Errorf("edit --merge prints:\n%s", out)
	}
	// The other way round, the blog post leads.
	cfg = undoFixture(t)
	mustRun(t, "-c", cfg, "edit", bicep.ID, "--merge", only.ID)
	if m := mustHold(t, exportRows(t, cfg), "devto", "only"); m.Title != "Bicep modules at scale" || m.URL != "https://priya.dev/bicep" {
		t.Errorf("merged the other way: %+v", m)
	}
}

func TestEditSplitPrintsEveryRow(t *testing.T) {
	cfg := undoFixture(t)
	zt := mustHold(t, exportRows(t, cfg), "blog", "zt")
	if len(zt.Observations) != 2 {
		t.Fatalf("the cross-posted row holds %d observations", len(zt.Observations))
	}
	// Retitled through the id of its dev.to listing, then split: the
	// title stays with that listing (issue 15 item 2).
	devtoID := harvester.ShortID(harvester.ObservationKey("devto", "zt"))
	mustRun(t, "-c", cfg, "edit", devtoID, "--title", "Cross-posted")
	out := mustRun(t, "-c", cfg, "edit", zt.ID, "--split")
	rows := exportRows(t, cfg)
	blog, devto := mustHold(t, rows, "blog", "zt"), mustHold(t, rows, "devto", "zt")
	if blog.ID == devto.ID || !strings.Contains(out, blog.ID) || !strings.Contains(out, devto.ID) {
		t.Errorf("split prints:\n%s\nwant rows %s and %s", out, blog.ID, devto.ID)
	}
	if devto.Title != "Cross-posted" || blog.Title != "Zero Trust in Practice" {
		t.Errorf("after the split: blog row %q, dev.to row %q", blog.Title, devto.Title)
	}
}

func TestEditURLDescriptionAudienceAreas(t *testing.T) {
	cfg := undoFixture(t)
	bicep := mustHold(t, exportRows(t, cfg), "blog", "bicep")
	mustRun(t, "-c", cfg, "edit", bicep.ID, "--url", "https://learn.example/bicep", "--description", "  How we  scale Bicep ",
		"--audience", "IT Pro", "--audience", "Developers", "--additional-area", "security", "--additional-area", "Cloud")
	c := mustHold(t, exportRows(t, cfg), "blog", "bicep")
	if c.URL != "https://learn.example/bicep" || !slices.Contains(c.OtherURLs, "https://priya.dev/bicep") ||
		c.Description != "How we scale Bicep" || !slices.Equal(c.TargetAudience, []string{"IT Pro", "Developers"}) ||
		!slices.Equal(c.AdditionalAreas, []string{"Security", "Cloud"}) {
		t.Errorf("after the edit: %+v", c)
	}
	for _, f := range []string{"url", "description", "target_audience", "additional_areas"} {
		if !slices.Contains(c.Curated, f) {
			t.Errorf("curated %q lacks %s", c.Curated, f)
		}
	}
	for _, bad := range []string{"ftp://example.com/x", "javascript:alert(1)", "https://", "not a url", "https://user:pw@example.com/"} {
		code, _, stderr := run(t, nil, "-c", cfg, "edit", bicep.ID, "--url", bad)
		if code != exitUsage || !strings.Contains(stderr, "--url") {
			t.Errorf("--url %q: exit %d, %s; want 2 naming --url", bad, code, stderr)
		}
	}
	// Empty values restore the harvested ones.
	mustRun(t, "-c", cfg, "edit", bicep.ID, "--url", "", "--description", "", "--audience", "", "--additional-area", "")
	c = mustHold(t, exportRows(t, cfg), "blog", "bicep")
	if c.URL != "https://priya.dev/bicep" || c.Description != "" || len(c.TargetAudience) != 0 || len(c.AdditionalAreas) != 0 || len(c.Curated) != 0 {
		t.Errorf("after clearing: %+v", c)
	}
}
