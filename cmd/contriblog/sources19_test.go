package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/contriblog/contriblog/cmd/contriblog/demo"
	"github.com/contriblog/contriblog/sources/packages/packagestest"
	"github.com/contriblog/contriblog/sources/stackexchange/setest"
)

// TestStackExchangeAndPackagesThroughMain: a config with a Stack Exchange
// source (grouped by month, in Amsterdam's months), another per answer
// with an app key, and a packages source, harvested against the fakes and
// exported as JSON as a user would; a second harvest with a new answer
// and one deleted recounts the month.
func TestStackExchangeAndPackagesThroughMain(t *testing.T) {
	so := &setest.Fake{User: 4211, Questions: []setest.Question{
		{ID: 1, Title: "How do I &quot;pin&quot; a Bicep module?", Views: 1200},
		{ID: 2, Title: "Conditional Access & passkeys", Views: 300},
	}, Answers: []setest.Answer{
		{ID: 11, QuestionID: 1, Score: 7, Accepted: true, Created: time.Date(2026, 10, 31, 23, 30, 0, 0, time.UTC)}, // 1 November in Amsterdam
		{ID: 12, QuestionID: 2, Score: 2, Created: time.Date(2026, 10, 12, 8, 0, 0, 0, time.UTC)},
		{ID: 13, QuestionID: 2, Score: 1, Accepted: true, Created: time.Date(2026, 11, 3, 8, 0, 0, 0, time.UTC)},
	}}
	su := &setest.Fake{Site: "superuser", User: 77, Key: "su-app-key-0123456",
		Questions: []setest.Question{{ID: 5, Title: "Why is my fan loud?", Views: 55}},
		Answers:   []setest.Answer{{ID: 50, QuestionID: 5, Score: 3, Created: time.Date(2026, 9, 1, 10, 0, 0, 0, time.UTC)}}}
	pk := &packagestest.Fake{NPM: map[string]packagestest.NPM{
		"bicep-kit": {Daily: 2, Published: fixedNow.AddDate(0, 0, -9), Repository: "git+https://github.com/priyar/bicep-kit.git"}},
		NuGet: map[string]packagestest.NuGet{"priya.passkeys": {ID: "Priya.Passkeys", Total: 900, ProjectURL: "https://github.com/priyar/passkeys"}}}
	mux := http.NewServeMux()
	mux.Handle("/so/", http.StripPrefix("/so/2.3", so))
	mux.Handle("/su/", http.StripPrefix("/su/2.3", su))
	mux.Handle("/pk/", http.StripPrefix("/pk", pk))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	dir := t.TempDir()
	cfg := filepath.Join(dir, "contriblog.yaml")
	yaml := "person: Priya Raman\ndatabase: ./c.db\ntimezone: Europe/Amsterdam\nsince: 2026-01-01\nsources:\n" +
		"  - {name: so, type: stackexchange, user: \"4211\", base_url: \"" + srv.URL + "/so/2.3\"}\n" +
		"  - {name: su, type: stackexchange, site: superuser, user: \"77\", group: answer, key: \"${SU_KEY}\", base_url: \"" + srv.URL + "/su/2.3\"}\n" +
		"  - {name: libs, type: packages, npm: [bicep-kit], nuget: [Priya.Passkeys], npm_base_url: \"" + srv.URL + "/pk/npm\", npm_registry_url: \"" + srv.URL + "/pk/registry\", nuget_base_url: \"" + srv.URL + "/pk/nuget\"}\n"
	if err := os.WriteFile(cfg, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"SU_KEY": "su-app-key-0123456"}
	code, out, stderr := run(t, env, "-c", cfg, "harvest")
	if code != 0 {
		t.Fatalf("harvest exit %d\n%s\n%s", code, out, stderr)
	}
	rows := exportJSON(t, env, cfg)
	want := map[string]struct {
		typ            string
		quantity       int
		reach          int64
		url            string
		otherURLs      int
		metric, metval string
	}{
		"1 answer on Stack Overflow, 0 accepted":  {"Online Support", 1, 300, "https://stackoverflow.com/users/4211?tab=answers", 1, "", ""},
		"2 answers on Stack Overflow, 2 accepted": {"Online Support", 2, 1500, "https://stackoverflow.com/users/4211?tab=answers", 2, "", ""},
		"Why is my fan loud?":                     {"Online Support", 1, 55, "https://superuser.com/a/50", 0, "", ""},
		"bicep-kit":                               {"Open Source/Project/Sample code/Tools", 1, 20, "https://www.npmjs.com/package/bicep-kit", 1, "", ""},
		"Priya.Passkeys":                          {"Open Source/Project/Sample code/Tools", 1, 900, "https://www.nuget.org/packages/Priya.Passkeys", 1, "", ""},
	}
	if len(rows) != len(want) {
		t.Errorf("%d rows, want %d:\n%v", len(rows), len(want), rows)
	}
	for _, r := range rows {
		title, _ := r["title"].(string)
		w, ok := want[title]
		if !ok {
			t.Errorf("unexpected row %q", title)
			continue
		}
		others, _ := r["other_urls"].([]any)
		if r["activity_type"] != w.typ || int(r["quantity"].(float64)) != w.quantity || int64(r["reach"].(float64)) != w.reach ||
			r["url"] != w.url || len(others) != w.otherURLs {
			t.Errorf("row %q: %v", title, r)
		}
	}
	if strings.Contains(out+stderr, "su-app-key") {
		t.Error("the key was shown")
	}

	// A new answer in November, the October one deleted: November is
	// recounted whole, October keeps its stored row.
	so.Do(func(f *setest.Fake) {
		f.Answers = append(f.Answers[:1], f.Answers[2], setest.Answer{ID: 14, QuestionID: 1, Created: time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)})
	})
	if code, out, stderr := run(t, env, "-c", cfg, "harvest", "--source", "so"); code != 0 {
		t.Fatalf("second harvest exit %d\n%s\n%s", code, out, stderr)
	}
	titles := map[string]bool{}
	for _, r := range exportJSON(t, env, cfg) {
		titles[r["title"].(string)] = true
	}
	if !titles["3 answers on Stack Overflow, 2 accepted"] || !titles["1 answer on Stack Overflow, 0 accepted"] || titles["2 answers on Stack Overflow, 2 accepted"] {
		t.Errorf("after the second pass: %v", titles)
	}
}

func exportJSON(t *testing.T, env map[string]string, cfg string) []map[string]any {
	t.Helper()
	code, out, stderr := run(t, env, "-c", cfg, "export", "--format", "json")
	if code != 0 {
		t.Fatalf("export exit %d\n%s", code, stderr)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return rows
}

// TestDemoPackageMergesWithRepository: in the demo, the npm and the NuGet
// package of repositories the github source lists are each one row with
// the repository: its stars and the package's downloads.
func TestDemoPackageMergesWithRepository(t *testing.T) {
	srv, err := demo.Start(func() time.Time { return fixedNow })
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	cfg, err := srv.WriteConfig(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if code, out, stderr := run(t, nil, "-c", cfg, "harvest"); code != 0 {
		t.Fatalf("harvest exit %d\n%s\n%s", code, out, stderr)
	}
	merged := map[any]bool{}
	for _, r := range exportJSON(t, nil, cfg) {
		srcs, _ := r["sources"].([]any)
		m, _ := r["metrics"].(map[string]any)
		if len(srcs) == 2 && srcs[0] == "github" && srcs[1] == "packages" {
			merged[r["url"]] = true
			if m["stars"] == nil || m["downloads"] == nil {
				t.Errorf("merged row: %v", r)
			}
		}
	}
	if !merged["https://github.com/priyar/bicep-landing-zone"] || !merged["https://github.com/priyar/passkey-rollout-kit"] || len(merged) != 2 {
		t.Errorf("rows holding a repository and its package: %v", merged)
	}
}
