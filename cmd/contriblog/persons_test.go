package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// personsConfig writes a config whose hand-kept file holds two persons'
// work (testdata/persons.yaml), plus a source of a third person, Grace
// Hopper, with no entry yet, and returns its path. extra is appended.
func personsConfig(t *testing.T, extra string) string {
	t.Helper()
	dir := t.TempDir()
	entries, err := os.ReadFile(filepath.Join("testdata", "persons.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "manual.yaml"), entries, 0o600)
	os.WriteFile(filepath.Join(dir, "grace.yaml"), []byte("[]\n"), 0o600)
	cfg := filepath.Join(dir, "contriblog.yaml")
	os.WriteFile(cfg, []byte("person: Priya Raman\ndatabase: ./c.db\ntimezone: UTC\nsince: 2026-01-01\n"+
		"sources:\n  - {name: manual, type: file, path: ./manual.yaml}\n"+
		"  - {name: grace, type: file, path: ./grace.yaml, person: Grace Hopper}\n"+extra), 0o600)
	return cfg
}

// mustRun runs a command line that must succeed and returns its stdout.
func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	code, out, stderr := run(t, nil, args...)
	if code != 0 {
		t.Fatalf("%v: exit %d\n%s\n%s", args, code, out, stderr)
	}
	return out
}

// idOf is the id of the exported row titled title.
func idOf(t *testing.T, cfg, title string) string {
	t.Helper()
	var rows []struct{ ID, Title string }
	json.Unmarshal([]byte(mustRun(t, "-c", cfg, "export", "--program", "none", "--format", "json", "--all")), &rows)
	for _, r := range rows {
		if r.Title == title {
			return r.ID
		}
	}
	t.Fatalf("no row titled %q in %+v", title, rows)
	return ""
}

// TestSeveralPersons (issue 15, item 8): with two persons in the log,
// list has a PERSON column and the Markdown a section per person;
// --person filters list and export; one person's rows look as they
// always did; an unknown person is a usage error with a suggestion, and a
// person of the config without rows an empty result.
func TestSeveralPersons(t *testing.T) {
	cfg := personsConfig(t, "")
	mustRun(t, "-c", cfg, "harvest")

	out := mustRun(t, "-c", cfg, "list")
	if !regexp.MustCompile(`(?m)^ID +DATE +PERSON +TYPE +TITLE`).MatchString(out) ||
		!regexp.MustCompile(`(?m)^\S+ +2026-03-02 +Ada Lovelace +Article +Zero Trust`).MatchString(out) ||
		!regexp.MustCompile(`(?m)^\S+ +2026-04-10 +Priya Raman +Blog +Don’t panic`).MatchString(out) {
		t.Errorf("list of two persons:\n%s", out)
	}
	md := mustRun(t, "-c", cfg, "export", "--format", "md")
	for _, want := range []string{"\n## Ada Lovelace\n\n### 2026-03 — March 2026\n\n#### Article\n\n- 2026-03-02 — [Zero Trust",
		"\n## Priya Raman\n\n### 2026-04 — April 2026\n\n#### Blog\n"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	if strings.Index(md, "## Ada Lovelace") > strings.Index(md, "## Priya Raman") {
		t.Errorf("persons not in name order:\n%s", md)
	}

	// One person: the table and the Markdown as they always were.
	out = mustRun(t, "-c", cfg, "list", "--person", "priya raman")
	if strings.Contains(out, "PERSON") || strings.Contains(out, "Zero Trust") || !strings.Contains(out, "Don’t panic") ||
		!regexp.MustCompile(`^ID +DATE +TYPE +TITLE +REACH +SOURCES\n`).MatchString(out) {
		t.Errorf("list --person priya raman:\n%s", out)
	}
	md = mustRun(t, "-c", cfg, "export", "--format", "md", "--person", "Ada Lovelace")
	if strings.Contains(md, "Priya") || !strings.Contains(md, "\n## 2026-03 — March 2026\n\n### Article\n") {
		t.Errorf("markdown of one person:\n%s", md)
	}
	csvOut := mustRun(t, "-c", cfg, "export", "--person", "Ada Lovelace")
	if recs, err := csv.NewReader(strings.NewReader(csvOut)).ReadAll(); err != nil || len(recs) != 2 || recs[1][1] != "Ada Lovelace" {
		t.Errorf("export --person Ada Lovelace: %v\n%s", err, csvOut)
	}

	// A typo gets a suggestion among the log's and the config's persons.
	for _, args := range [][]string{{"list", "--person", "Ada Lovelce"}, {"export", "--person", "ada lovelce"},
		{"export", "--format", "json", "--person", "Ada Lovelce", "-o", filepath.Join(filepath.Dir(cfg), "out.json")}} {
		code, out, stderr := run(t, nil, append([]string{"-c", cfg}, args...)...)
		if code != exitUsage || out != "" || !strings.Contains(stderr, `unknown person "`) || !strings.Contains(stderr, `(did you mean "Ada Lovelace"?)`) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and a suggestion", args, code, out, stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(cfg), "out.json")); err == nil {
		t.Error("export -o of an unknown person wrote the file")
	}
	code, _, stderr := run(t, nil, "-c", cfg, "list", "--person", "Linus")
	if code != exitUsage || !strings.Contains(stderr, `persons: "Ada Lovelace", "Grace Hopper", "Priya Raman"`) {
		t.Errorf("list --person Linus: exit %d, %s; want the persons listed", code, stderr)
	}
	// Grace is in the config but has no row yet: nothing, and no error.
	if out := mustRun(t, "-c", cfg, "list", "--person", "Grace Hopper"); out != "No contributions.\n" {
		t.Errorf("list --person Grace Hopper = %q", out)
	}
	if out := mustRun(t, "-c", cfg, "export", "--format", "json", "--person", "grace hopper"); out != "[]\n" {
		t.Errorf("export --person grace hopper = %q", out)
	}
}

// TestExportJSONSaysWhatItMeans (issue 15, item 9): an unknown reach is
// null, a known one a number, arrays are [] and the CSV unchanged.
func TestExportJSONSaysWhatItMeans(t *testing.T) {
	cfg := personsConfig(t, "")
	mustRun(t, "-c", cfg, "harvest")
	var rows []map[string]json.RawMessage
	if err := json.Unmarshal([]byte(mustRun(t, "-c", cfg, "export", "--format", "json")), &rows); err != nil || len(rows) != 3 {
		t.Fatalf("json export: %v, %d rows", err, len(rows))
	}
	for _, r := range rows {
		want := "null"
		if strings.Contains(string(r["title"]), "Zero Trust") {
			want = "120"
		}
		if got := string(r["reach"]); got != want {
			t.Errorf("row %s: reach %s, want %s", r["title"], got, want)
		}
		for _, k := range []string{"additional_areas", "target_audience", "other_urls", "sources", "observations"} {
			if !strings.HasPrefix(string(r[k]), "[") {
				t.Errorf("row %s: %s = %s, want an array", r["title"], k, r[k])
			}
		}
	}
	recs, _ := csv.NewReader(strings.NewReader(mustRun(t, "-c", cfg, "export"))).ReadAll()
	for _, rec := range recs[1:] {
		if want := map[bool]string{true: "120", false: ""}[strings.HasPrefix(rec[5], "Zero Trust")]; rec[13] != want {
			t.Errorf("CSV Reach of %q = %q, want %q", rec[5], rec[13], want)
		}
	}
}

// TestHarvestCountsExportedRows (issue 15, item 9): with a row curated as
// excluded, harvest's count is the rows export writes, the excluded one
// said apart.
func TestHarvestCountsExportedRows(t *testing.T) {
	cfg := personsConfig(t, "")
	if out := mustRun(t, "-c", cfg, "harvest"); !strings.Contains(out, "\nlog: 3 contributions (changed)\n") {
		t.Errorf("first harvest:\n%s", out)
	}
	mustRun(t, "-c", cfg, "edit", idOf(t, cfg, "A draft nobody should see"), "--exclude")
	out := mustRun(t, "-c", cfg, "harvest")
	if !strings.HasSuffix(out, "\nlog: 2 contributions (1 more excluded, not exported)\n") {
		t.Errorf("harvest after an exclusion:\n%s", out)
	}
	recs, err := csv.NewReader(strings.NewReader(mustRun(t, "-c", cfg, "export"))).ReadAll()
	if err != nil || len(recs)-1 != 2 {
		t.Errorf("export has %d rows (%v), harvest said 2", len(recs)-1, err)
	}
	var all []json.RawMessage
	json.Unmarshal([]byte(mustRun(t, "-c", cfg, "export", "--format", "json", "--all")), &all)
	if len(all) != 3 {
		t.Errorf("export --all has %d rows, want 3", len(all))
	}
}

// TestExportExcel (issue 15, item 10): --excel and export.excel put a
// UTF-8 byte-order mark before the CSV, whose lines end CRLF; the default
// has none; --excel with another format is a usage error, and
// export.excel leaves other formats alone.
func TestExportExcel(t *testing.T) {
	cfg := personsConfig(t, "")
	mustRun(t, "-c", cfg, "harvest")
	plain := mustRun(t, "-c", cfg, "export")
	excel := mustRun(t, "-c", cfg, "export", "--excel")
	if !strings.HasPrefix(plain, "ID,Person,") {
		t.Errorf("default export starts %q, want the header and no BOM", plain[:12])
	}
	if !strings.HasPrefix(excel, "\xef\xbb\xbf") || excel[3:] != plain {
		t.Errorf("export --excel starts %q, want EF BB BF then the default bytes", excel[:12])
	}
	if n := strings.Count(excel, "\n"); n != 4 || strings.Count(excel, "\r\n") != n || !strings.Contains(excel, "Don’t panic ★") {
		t.Errorf("export --excel: %d lines, want 4, each ending CRLF, with ’ and ★ as UTF-8:\n%q", n, excel)
	}
	file := filepath.Join(filepath.Dir(cfg), "out.csv")
	mustRun(t, "-c", cfg, "export", "--excel", "-o", file)
	if b, _ := os.ReadFile(file); string(b) != excel {
		t.Errorf("export --excel -o: %q", b)
	}
	code, _, stderr := run(t, nil, "-c", cfg, "export", "--excel", "--format", "json")
	if code != exitUsage || !strings.Contains(stderr, "--excel is for CSV only") {
		t.Errorf("--excel --format json: exit %d, %s", code, stderr)
	}

	withExcel := personsConfig(t, "export: {path: ./out.csv, excel: true}\n")
	mustRun(t, "-c", withExcel, "harvest")
	if out := mustRun(t, "-c", withExcel, "export"); !strings.HasPrefix(out, "\xef\xbb\xbfID,Person,") {
		t.Errorf("export with export.excel: true starts %q", out[:12])
	}
	if out := mustRun(t, "-c", withExcel, "export", "--excel=false"); !strings.HasPrefix(out, "ID,Person,") {
		t.Errorf("export --excel=false starts %q", out[:12])
	}
	if out := mustRun(t, "-c", withExcel, "export", "--format", "json"); !strings.HasPrefix(out, "[") {
		t.Errorf("json export with export.excel: true starts %q", out[:3])
	}
}
