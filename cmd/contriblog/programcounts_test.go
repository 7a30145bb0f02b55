package main

import (
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// countsConfig is a person with curated and hand-kept counts: a talk, a
// Microsoft event talk, a blog post and a video.
func countsConfig(t *testing.T) (cfg string, ids map[string]string) {
	t.Helper()
	dir := t.TempDir()
	write(t, filepath.Join(dir, "manual.yaml"), `
- {id: talk, title: "Passkeys for admins", date: 2026-10-01, activity_type: "Speaker/Presenter at Third-party Event", url: "https://example.org/talk", primary_area: "Identity & Access", counts: {attendees: 80, sessions: 2, views: 999}}
- {id: bare, title: "Zero Trust in Practice", date: 2026-10-02, activity_type: "Speaker/Presenter at Third-party Event", url: "https://example.org/zt", primary_area: "Identity & Access"}
- {id: ms, title: "Conditional Access at Ignite", date: 2026-11-18, activity_type: "Speaker/Presenter at Microsoft Event", url: "https://ignite.example/s1", primary_area: "Identity & Access", microsoft_event: Ignite, high_impact: true}
- {id: post, title: "Bicep modules at scale", date: 2026-09-01, activity_type: Blog, url: "https://priya.dev/bicep", primary_area: "Azure Infrastructure as Code", reach: 10}
- {id: video, title: "Entra ID in 15 minutes", date: 2026-08-01, activity_type: "Webinar/Online Training/Video/Livestream", url: "https://youtube.example/v", primary_area: "Identity & Access"}
`)
	cfg = filepath.Join(dir, "contriblog.yaml")
	write(t, cfg, "person: Priya Raman\ndatabase: ./contriblog.db\nsince: 2025-01-01\ntimezone: UTC\nsources:\n"+
		"  - name: manual\n    type: file\n    path: ./manual.yaml\n")
	mustRun(t, "-c", cfg, "harvest")
	var rows []struct{ ID, Title string }
	json.Unmarshal([]byte(mustRun(t, "-c", cfg, "export", "--format", "json")), &rows)
	ids = map[string]string{}
	for _, r := range rows {
		ids[r.Title] = r.ID
	}
	return cfg, ids
}

// mvpRows reads `export --program mvp` as CSV records by ID.
func mvpRows(t *testing.T, cfg string, extra ...string) map[string]map[string]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(mustRun(t, append([]string{"-c", cfg, "export", "--program", "mvp"}, extra...)...))).ReadAll()
	if err != nil || len(recs) < 2 {
		t.Fatalf("mvp export: %v %v", recs, err)
	}
	out := map[string]map[string]string{}
	for _, rec := range recs[1:] {
		row := map[string]string{}
		for i, h := range recs[0] {
			row[h] = rec[i]
		}
		out[row["ID"]] = row
	}
	return out
}

// TestProgramCounts: counts a person gave land in the columns the type
// asks for and nowhere else; a talk's required attendees satisfy check;
// the Microsoft event and high impact reach the form's columns; edits
// set, change and clear counts.
func TestProgramCounts(t *testing.T) {
	cfg, ids := countsConfig(t)
	talk, bare, ms, post, video := ids["Passkeys for admins"], ids["Zero Trust in Practice"], ids["Conditional Access at Ignite"], ids["Bicep modules at scale"], ids["Entra ID in 15 minutes"]
	rows := mvpRows(t, cfg)
	if r := rows[talk]; r["In-Person Attendees"] != "80" || r["Number of Sessions"] != "2" || r["Number of Views"] != "" {
		t.Errorf("talk: attendees %q sessions %q views %q; want 80, 2 and no views (a talk does not ask for them)", r["In-Person Attendees"], r["Number of Sessions"], r["Number of Views"])
	}
	if r := rows[ms]; r["Microsoft Event"] != "Ignite" || r["High Impact"] != "yes" {
		t.Errorf("Microsoft event talk: event %q, high impact %q", r["Microsoft Event"], r["High Impact"])
	}
	if r := rows[post]; r["Number of Views"] != "" || r["Microsoft Event"] != "" {
		t.Errorf("blog post: views %q (no source or person gave any), event %q", r["Number of Views"], r["Microsoft Event"])
	}

	// check: the talk with attendees passes, the bare one does not.
	code, out, _ := run(t, nil, "-c", cfg, "check", "--program", "mvp")
	if code != 1 || !strings.Contains(out, bare+"  error    no In-Person Attendees") || strings.Contains(out, talk+"  error") {
		t.Errorf("check: exit %d\n%s", code, out)
	}
	mustRun(t, "-c", cfg, "edit", bare, "--set", "attendees=45", "--set", "sessions=1")
	mustRun(t, "-c", cfg, "edit", post, "--set", "views=1200", "--high-impact")
	mustRun(t, "-c", cfg, "edit", video, "--set", "ondemand_views=3100", "--set", "live_views=220")
	code, out, _ = run(t, nil, "-c", cfg, "check", "--program", "mvp")
	if strings.Contains(out, "In-Person Attendees") || code != 0 {
		t.Errorf("check after the counts were set: exit %d\n%s", code, out)
	}
	rows = mvpRows(t, cfg)
	if r := rows[bare]; r["In-Person Attendees"] != "45" || r["Number of Sessions"] != "1" {
		t.Errorf("edited talk: %v", r)
	}
	if r := rows[post]; r["Number of Views"] != "1200" || r["High Impact"] != "yes" {
		t.Errorf("edited post: views %q, high impact %q", r["Number of Views"], r["High Impact"])
	}
	if r := rows[video]; r["On-demand Views"] != "3100" || r["Livestream Views"] != "220" || r["Number of Views"] != "" {
		t.Errorf("edited video: %v", r)
	}
	// Clearing a count brings back what the hand-kept entry said.
	mustRun(t, "-c", cfg, "edit", talk, "--set", "attendees=100")
	if r := mvpRows(t, cfg)[talk]; r["In-Person Attendees"] != "100" {
		t.Errorf("attendees after edit: %q", r["In-Person Attendees"])
	}
	mustRun(t, "-c", cfg, "edit", talk, "--set", "attendees=")
	if r := mvpRows(t, cfg)[talk]; r["In-Person Attendees"] != "80" {
		t.Errorf("attendees after clearing the edit: %q, want the hand-kept 80", r["In-Person Attendees"])
	}

	// A Microsoft event the form does not list: left out, with a warning.
	mustRun(t, "-c", cfg, "edit", ms, "--microsoft-event", "Tech Days")
	code, _, stderr := run(t, nil, "-c", cfg, "export", "--program", "mvp")
	if code != 0 || !strings.Contains(stderr, ms+" left out of the mvp export") || !strings.Contains(stderr, "Tech Days") {
		t.Errorf("an unknown Microsoft event: exit %d\n%s", code, stderr)
	}
	if _, ok := mvpRows(t, cfg)[ms]; ok {
		t.Error("the row with an unknown Microsoft event is in the mvp export")
	}

	// A private description over the form's 1,000 characters: check
	// says so; the export caps it as the description is capped.
	long := strings.Repeat("Notes for the program team. ", 50)
	mustRun(t, "-c", cfg, "edit", post, "--private-description", long)
	_, out, _ = run(t, nil, "-c", cfg, "check", "--program", "mvp")
	if !strings.Contains(out, post+"  error") || !strings.Contains(out, "private description") {
		t.Errorf("check of a long private description:\n%s", out)
	}
	if pd := mvpRows(t, cfg)[post]["Private Description"]; len([]rune(pd)) > 1000 || pd == "" {
		t.Errorf("exported private description: %d characters", len([]rune(pd)))
	}

	// Advocu: counts become metrics, only when at least 1.
	var drafts []struct {
		Kind string         `json:"kind"`
		Body map[string]any `json:"body"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, "-c", cfg, "export", "--program", "gde", "--format", "json")), &drafts); err != nil {
		t.Fatal(err)
	}
	var attendees float64
	for _, d := range drafts {
		if d.Body["title"] == "Zero Trust in Practice" {
			m, _ := d.Body["metrics"].(map[string]any)
			attendees, _ = m["attendees"].(float64)
		}
	}
	if attendees != 45 {
		t.Errorf("gde metrics of the talk: attendees %v, want 45: %+v", attendees, drafts)
	}
}
