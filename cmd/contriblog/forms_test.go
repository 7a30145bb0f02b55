package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/contriblog/contriblog/harvester"
)

// formsFixture is a harvested log of two hand-kept files: talks with the
// forms' fields (one row of both files' entries for the Passkeys talk)
// and posts tagged by keyword; source blog adds the area Community.
func formsFixture(t *testing.T) (cfg, dir string) {
	t.Helper()
	dir = t.TempDir()
	files := map[string]string{
		"contriblog.yaml": "person: Priya Raman\ndatabase: ./contriblog.db\ntimezone: UTC\n" +
			"areas:\n  Developer Tools: [go]\n  .NET: [.net, \"c#\"]\n  Security: [\"zero trust\"]\n" +
			"sources:\n  - {name: talks, type: file, path: ./talks.yaml}\n  - {name: extra, type: file, path: ./extra.yaml}\n" +
			"  - {name: blog, type: file, path: ./blog.yaml, areas: [Community]}\n",
		"talks.yaml": "- id: passkeys\n  title: Passkeys for admins\n  date: \"2026-03-12\"\n  url: https://conf.example/passkeys\n" +
			"  activity_type: Speaker/Presenter at Third-party Event\n  primary_area: Identity & Access\n" +
			"  counts: {attendees: 80, views: 10}\n  microsoft_event: Ignite\n",
		"extra.yaml": "- id: passkeys-again\n  title: Passkeys for admins\n  date: \"2026-03-12\"\n  url: https://conf.example/passkeys\n" +
			"  activity_type: Speaker/Presenter at Third-party Event\n  counts: {attendees: 120}\n" +
			"  private_description: Invited back as keynote.\n  high_impact: true\n",
		"blog.yaml": "- {id: go, title: \"Going further with Go and C#\", date: \"2026-02-01\", url: \"https://priya.dev/go\", activity_type: Blog," +
			" description: \"Zero-trust services, and nothing about Google or MongoDB.\"}\n" +
			"- {id: algo, title: \"Algorithms in MongoDB\", date: \"2026-02-05\", url: \"https://priya.dev/algo\", activity_type: Blog}\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cfg = filepath.Join(dir, "contriblog.yaml")
	mustRun(t, "-c", cfg, "harvest")
	return cfg, dir
}

// TestFormsFields (issue 16 item 2): hand-kept entries and `edit` fill
// private description, Microsoft event, high impact and counts; the JSON
// export has them, the CSV does not change.
func TestFormsFields(t *testing.T) {
	cfg, _ := formsFixture(t)
	rows := exportRows(t, cfg)
	talk := mustHold(t, rows, "talks", "passkeys")
	if talk.PrivateDescription != "Invited back as keynote." || talk.MicrosoftEvent != "Ignite" || !talk.HighImpact ||
		!reflect.DeepEqual(talk.Counts, map[string]int64{"attendees": 120, "views": 10}) || len(talk.Observations) != 2 {
		t.Fatalf("hand-kept talk = %+v", talk)
	}
	post := mustHold(t, rows, "blog", "go")
	if post.Counts == nil || len(post.Counts) != 0 || post.PrivateDescription != "" || post.HighImpact {
		t.Errorf("a post without counts: %+v; want counts {}", post)
	}

	out := mustRun(t, "-c", cfg, "edit", talk.ID, "--set", "views=1200", "--set", "Sessions=2", "--private-description",
		"  For the  program only ", "--microsoft-event", "MVP Summit", "--high-impact=false")
	if !strings.Contains(out, talk.ID) {
		t.Errorf("edit printed:\n%s", out)
	}
	talk = mustHold(t, exportRows(t, cfg), "talks", "passkeys")
	if talk.PrivateDescription != "For the program only" || talk.MicrosoftEvent != "MVP Summit" || talk.HighImpact ||
		!reflect.DeepEqual(talk.Counts, map[string]int64{"attendees": 120, "views": 1200, "sessions": 2}) {
		t.Errorf("edited talk = %+v", talk)
	}
	wantCurated := []string{"counts.sessions", "counts.views", "high_impact", "microsoft_event", "private_description"}
	if !reflect.DeepEqual(talk.Curated, wantCurated) {
		t.Errorf("curated %v, want %v", talk.Curated, wantCurated)
	}
	// KEY= restores the hand-kept count; a count of 0 is a count.
	mustRun(t, "-c", cfg, "edit", talk.ID, "--set", "views=", "--set", "attendees=0", "--high-impact")
	talk = mustHold(t, exportRows(t, cfg), "talks", "passkeys")
	if !reflect.DeepEqual(talk.Counts, map[string]int64{"attendees": 0, "views": 10, "sessions": 2}) || !talk.HighImpact {
		t.Errorf("after --set views= attendees=0: %+v", talk)
	}

	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--set", "vews=1"}, `contriblog: --set "vews=1": unknown count "vews" (did you mean "views"?); counts: views, sessions, live_views, ondemand_views, attendees`},
		{[]string{"--set", "views=-5"}, "contriblog: --set views=-5: -5: want 0 or more"},
		{[]string{"--set", "views=12.5"}, `contriblog: --set views=12.5: "12.5": want a whole number`},
		{[]string{"--set", "views"}, `contriblog: --set "views": want KEY=N, KEY one of views, sessions, live_views, ondemand_views, attendees`},
		{[]string{"--high-impact=maybe"}, `contriblog: --high-impact="maybe": expected true or false`},
	} {
		code, _, stderr := run(t, nil, append([]string{"-c", cfg, "edit", talk.ID}, tt.args...)...)
		if code != exitUsage || strings.TrimSpace(stderr) != tt.want {
			t.Errorf("edit %v: exit %d, %q; want 2, %q", tt.args, code, stderr, tt.want)
		}
	}

	// The general CSV has its 16 columns and none of the new values.
	csvOut := mustRun(t, "-c", cfg, "export")
	recs, err := csv.NewReader(strings.NewReader(csvOut)).ReadAll()
	if err != nil || strings.Join(recs[0], ",") != "ID,Person,Activity Type,Published Date,End Date,Title,Description,Activity URL,Role,"+
		"Primary Technology Area,Additional Technology Areas,Target Audience,Quantity,Reach,Other URLs,Sources" {
		t.Errorf("CSV header %v, %v", recs[0], err)
	}
	if strings.Contains(csvOut, "program only") || strings.Contains(csvOut, "MVP Summit") {
		t.Errorf("the CSV shows the forms' fields:\n%s", csvOut)
	}
}

// A hand-kept file with a wrong count is refused with its file, line and
// a suggestion, by validate and by harvest; what was stored stays.
func TestFormsFieldsHandKeptErrors(t *testing.T) {
	cfg, dir := formsFixture(t)
	bad := "- id: passkeys\n  title: Passkeys for admins\n  date: \"2026-03-12\"\n" +
		"  activity_type: Speaker/Presenter at Third-party Event\n  counts:\n    atendees: 80\n    views: -3\n    sessions: 1.5\n" +
		"  high_impact: yes\n"
	if err := os.WriteFile(filepath.Join(dir, "talks.yaml"), []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	want := []string{
		`talks.yaml:6: [0].counts.atendees: unknown count "atendees" (did you mean "attendees"?)`,
		"talks.yaml:7: [0].counts.views: must not be negative, got -3",
		`talks.yaml:8: [0].counts.sessions: expected a whole number, got "1.5"`,
		`talks.yaml:9: [0].high_impact: expected true or false, got "yes"`,
	}
	code, out, stderr := run(t, nil, "-c", cfg, "validate")
	for _, w := range want {
		if code != exitUsage || !strings.Contains(out+stderr, w) {
			t.Errorf("validate: exit %d, output lacks %q:\n%s%s", code, w, out, stderr)
		}
	}
	code, out, stderr = run(t, nil, "-c", cfg, "harvest")
	if code == 0 || !strings.Contains(out+stderr, want[0]) {
		t.Errorf("harvest: exit %d\n%s%s", code, out, stderr)
	}
	if talk := mustHold(t, exportRows(t, cfg), "talks", "passkeys"); talk.MicrosoftEvent != "Ignite" {
		t.Errorf("the stored entry changed: %+v", talk)
	}
}

// TestListWhy (issue 16 item 2): `list --why ID` says, per area, which
// keyword in which field, or curated, hand-kept or the source's areas.
func TestListWhy(t *testing.T) {
	cfg, _ := formsFixture(t)
	rows := exportRows(t, cfg)
	post, talk, algo := mustHold(t, rows, "blog", "go"), mustHold(t, rows, "talks", "passkeys"), mustHold(t, rows, "blog", "algo")

	out := mustRun(t, "-c", cfg, "list", "--why", post.ID)
	want := post.ID + "  Going further with Go and C#\n" +
		"  Developer Tools (primary)\n" +
		"    keyword \"go\" in the title of blog go\n" +
		"  .NET (additional)\n" +
		"    keyword \"c#\" in the title of blog go\n" +
		"  Security (additional)\n" +
		"    keyword \"zero trust\" in the description of blog go\n" +
		"  Community (additional)\n" +
		"    source default (areas: of source blog)\n"
	if out != want {
		t.Errorf("list --why %s:\n%s\nwant:\n%s", post.ID, out, want)
	}
	// Through the id of another of its observations too.
	out = mustRun(t, "-c", cfg, "list", "--why", harvester.ShortID(harvester.ObservationKey("extra", "passkeys-again")))
	want = talk.ID + "  Passkeys for admins\n  Identity & Access (primary)\n    hand-kept: primary_area of talks passkeys\n"
	if out != want {
		t.Errorf("list --why of the talk:\n%s\nwant:\n%s", out, want)
	}
	mustRun(t, "-c", cfg, "edit", talk.ID, "--area", "Security")
	if out := mustRun(t, "-c", cfg, "list", "--why", talk.ID); !strings.Contains(out, "  Security (primary)\n    curated (contriblog edit)\n") {
		t.Errorf("list --why after edit --area:\n%s", out)
	}
	out = mustRun(t, "-c", cfg, "list", "--why", algo.ID)
	if want := algo.ID + "  Algorithms in MongoDB\n  Community (primary)\n    source default (areas: of source blog)\n" +
		"  no keyword of the config's areas: is in its title, description or categories\n"; out != want {
		t.Errorf("list --why of a post no keyword matches (go is not in algorithm nor mongodb):\n%s", out)
	}

	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--why", "nosuchrow0"}, `contriblog: --why: contribution "nosuchrow0": not found; ` + "`contriblog list --all` shows the ids"},
		{[]string{"--why", post.ID, "--all"}, "contriblog: --why ID takes no --all: it explains one row"},
		{[]string{"--why", " "}, "contriblog: --why takes the ID of a contribution (see `contriblog list --all`)"},
	} {
		code, _, stderr := run(t, nil, append([]string{"-c", cfg, "list"}, tt.args...)...)
		if code != exitUsage || strings.TrimSpace(stderr) != tt.want {
			t.Errorf("list %v: exit %d, %q; want 2, %q", tt.args, code, stderr, tt.want)
		}
	}
}
