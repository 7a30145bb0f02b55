package program

import (
	"fmt"
	"strings"
	"testing"

	"github.com/contriblog/contriblog/harvester"
)

// today is the day the check tests judge dates from.
const today = "2026-11-22"

// goodRow is a row the MVP form takes as it is: every test case changes
// one thing of it.
func goodRow() harvester.Contribution {
	return harvester.Contribution{ID: "aaaaaaaaaa", Person: "Priya Raman", ActivityType: harvester.TypeThirdParty,
		Date: "2026-10-13", Title: "Zero Trust in Practice", Description: "Conditional Access in a real tenant.",
		URL: "https://conf.example/zt", Role: "Speaker", PrimaryArea: "Identity & Access",
		AdditionalAreas: []string{"Microsoft Intune"}, TargetAudience: []string{"IT Pro"},
		Counts:       map[string]int64{"attendees": 80},
		Observations: []harvester.ObservationRef{{Source: "talks", NativeID: "zt@conf"}}}
}

// TestCheck runs the checker over one row per problem kind and pins what
// it reports: the field, the severity and a telling part of the message
// and of the fix. A row with no problem reports nothing, whatever the
// program.
func TestCheck(t *testing.T) {
	e := strings.Repeat("é", 101) // 101 characters, 202 bytes
	merged := goodRow()
	merged.ID, merged.Excluded = "mmmmmmmmmm", true
	mergedKey := harvester.ObservationKey("talks", "zt@conf")
	edits := []harvester.Edit{{ID: "llllllllll", MergeWith: []string{"mmmmmmmmmm"}, MergeAnchors: []string{mergedKey}}}

	type want struct{ field, severity, problem, fix string }
	for _, tt := range []struct {
		name    string
		program string
		change  func(c *harvester.Contribution)
		all     bool
		want    []want
	}{
		{name: "a good row", program: "mvp", change: func(*harvester.Contribution) {}},
		{name: "a good row for stars", program: "stars", change: func(*harvester.Contribution) {}},
		{name: "a good row for gde", program: "gde", change: func(*harvester.Contribution) {}},
		{name: "100 characters of é fit", program: "mvp", change: func(c *harvester.Contribution) { c.Title = e[:200] }},
		{name: "title over the limit, in characters", program: "mvp",
			change: func(c *harvester.Contribution) { c.Title = e },
			want:   []want{{"title", "error", "the title is 101 characters, over the 100 mvp takes", "--title '" + strings.Repeat("é", 99) + "'"}}},
		{name: "title cut at a word", program: "mvp",
			change: func(c *harvester.Contribution) { c.Title = strings.Repeat("Zéro confiance ", 8) }, // 119 characters once trimmed
			want: []want{{"title", "error", `cut at a word it reads "Zéro confiance Zéro confiance Zéro confiance Zéro confiance Zéro confiance Zéro confiance Zéro…"`,
				"--title 'Zéro confiance Zéro confiance Zéro confiance Zéro confiance Zéro confiance Zéro confiance Zéro'"}}},
		{name: "a quote in the suggested title", program: "mvp",
			change: func(c *harvester.Contribution) { c.Title = "It's " + strings.Repeat("x", 120) },
			want:   []want{{"title", "error", "over the 100", `--title 'It'\''s `}}},
		{name: "no title", program: "stars", change: func(c *harvester.Contribution) { c.Title = "<p></p>" },
			want: []want{{"title", "error", "no title", "--title TITLE"}}},
		{name: "title under Advocu's minimum", program: "gde", change: func(c *harvester.Contribution) { c.Title = "Go" },
			want: []want{{"title", "error", "the title is 2 characters; gde takes at least 3", "--title"}}},
		{name: "description over the limit, in characters", program: "mvp",
			change: func(c *harvester.Contribution) { c.Description = "<p>" + strings.Repeat("日本", 501) + "</p>" },
			want:   []want{{"description", "error", "the description is 1002 characters, over the 1000 mvp takes", "--description TEXT` with at most 1000"}}},
		{name: "1000 characters of description fit", program: "mvp",
			change: func(c *harvester.Contribution) { c.Description = strings.Repeat("日本", 500) }},
		{name: "private description over the limit", program: "mvp",
			change: func(c *harvester.Contribution) { c.PrivateDescription = strings.Repeat("ü", 1001) },
			want:   []want{{"private_description", "error", "the private description is 1001 characters", "--private-description"}}},
		{name: "no primary area on a form", program: "mvp", change: func(c *harvester.Contribution) { c.PrimaryArea = "" },
			want: []want{{"primary_area", "error", "no Primary Technology Area", "--area AREA"}}},
		{name: "no area for Advocu's tags", program: "gde", change: func(c *harvester.Contribution) { c.PrimaryArea = "" },
			want: []want{{"primary_area", "warning", "no tags", "--area TAG"}}},
		{name: "no area: Stars has none", program: "stars", change: func(c *harvester.Contribution) { c.PrimaryArea = "" }},
		{name: "an area the program does not list", program: "mvp", change: func(c *harvester.Contribution) { c.PrimaryArea = "Identity and Access" },
			want: []want{{"primary_area", "error", `"Identity and Access" is not an area of Microsoft MVP (2025–26 activity form) (did you mean "Identity & Access"?): the row is left out`,
				`config's areas: to "Identity & Access", or ` + "`contriblog edit aaaaaaaaaa --area \"Identity & Access\"`"}}},
		{name: "an additional area the program does not list", program: "mvp",
			change: func(c *harvester.Contribution) { c.AdditionalAreas = []string{"Kubernetes"} },
			want:   []want{{"additional_areas", "error", `"Kubernetes" is not an area`, "--additional-area AREA"}}},
		{name: "a type the program does not take", program: "mvp", change: func(c *harvester.Contribution) { c.ActivityType = harvester.TypeBook },
			want: []want{{"activity_type", "error", `the type "Book/E-book" is not one Microsoft MVP (2025–26 activity form) takes: the row is left out`, "--type TYPE"}}},
		{name: "older than the window", program: "mvp", change: func(c *harvester.Contribution) { c.Date = "2025-09-22" },
			want: []want{{"date", "error", "dated 2025-09-22, more than 12 months before 2026-11-22: mvp takes nothing older than 2025-11-22", "--since 2025-11-22"}}},
		{name: "the window's first day is in", program: "mvp", change: func(c *harvester.Contribution) { c.Date = "2025-11-22" }},
		{name: "in the future", program: "stars", change: func(c *harvester.Contribution) { c.Date = "2026-12-01" },
			want: []want{{"date", "warning", "dated 2026-12-01, after today (2026-11-22)", "--until 2026-11-22"}}},
		{name: "no date", program: "gde", change: func(c *harvester.Contribution) { c.Date = "" },
			want: []want{{"date", "error", "no date", "--date YYYY-MM-DD"}}},
		{name: "a speaker without attendees", program: "mvp", change: func(c *harvester.Contribution) { c.Counts = nil },
			want: []want{{"counts.attendees", "error", "no In-Person Attendees, which mvp requires for Speaker/Presenter at Third-party Event", "--set attendees=N"}}},
		{name: "attendees from a source's metric", program: "mvp",
			change: func(c *harvester.Contribution) { c.Counts, c.Metrics = nil, map[string]int64{"attendees": 45} }},
		{name: "attendees Advocu does not require", program: "gde", change: func(c *harvester.Contribution) { c.Counts = nil }},
		{name: "a role the type does not offer", program: "mvp", change: func(c *harvester.Contribution) { c.Role = "Keynote" },
			want: []want{{"role", "error", `the role "Keynote" is not one mvp offers for Speaker/Presenter at Third-party Event (Author, Contributor)`, "--role ROLE"}}},
		{name: "a role mapped by the profile", program: "mvp", change: func(c *harvester.Contribution) { c.Role = "Panelist" }},
		{name: "no role", program: "mvp", change: func(c *harvester.Contribution) { c.Role = "" },
			want: []want{{"role", "error", "no role; mvp offers Author, Contributor", "--role ROLE"}}},
		{name: "an audience the program does not list", program: "mvp", change: func(c *harvester.Contribution) { c.TargetAudience = []string{"Gamers"} },
			want: []want{{"target_audience", "error", `the audience "Gamers" is not one of mvp's`, "--audience AUDIENCE"}}},
		{name: "a Microsoft event without its event", program: "mvp", change: func(c *harvester.Contribution) { c.ActivityType = harvester.TypeMicrosoft },
			want: []want{{"microsoft_event", "error", "no Microsoft Event, which mvp requires", "--microsoft-event EVENT` (MLSA Summit"}}},
		{name: "an event the program does not list", program: "mvp",
			change: func(c *harvester.Contribution) {
				c.ActivityType, c.MicrosoftEvent = harvester.TypeMicrosoft, "Tech Days"
			},
			want: []want{{"microsoft_event", "error", `the event "Tech Days" is not one of mvp's`, "--microsoft-event EVENT"}}},
		{name: "no Activity URL", program: "mvp", change: func(c *harvester.Contribution) { c.URL = "" },
			want: []want{{"url", "warning", "no Activity URL", "--url URL"}}},
		{name: "an Activity URL over Advocu's limit", program: "gde", change: func(c *harvester.Contribution) { c.URL = "https://x.example/" + strings.Repeat("a", 490) },
			want: []want{{"url", "error", "the Activity URL is 508 characters, over the 500 gde takes", "--url URL"}}},
		{name: "an excluded row still cited as merged", program: "mvp", change: func(c *harvester.Contribution) { *c = merged },
			want: []want{{"excluded", "warning", "excluded, yet rows forced into it with --merge are still cited as merged", "edit mmmmmmmmmm --include"}}},
		{name: "an excluded row without merge is not checked", program: "mvp",
			change: func(c *harvester.Contribution) { c.Excluded, c.Observations, c.Title = true, nil, e }},
		{name: "with --all, an excluded row is checked", program: "mvp", all: true,
			change: func(c *harvester.Contribution) { c.Excluded, c.Observations, c.Counts = true, nil, nil },
			want:   []want{{"counts.attendees", "error", "no In-Person Attendees", "--set attendees=N"}}},
		{name: "problems come in the order of the fields", program: "mvp",
			change: func(c *harvester.Contribution) { c.Date, c.Title, c.URL, c.PrimaryArea = "2024-01-01", e, "", "" },
			want: []want{{"date", "error", "dated 2024-01-01", ""}, {"title", "error", "101 characters", ""},
				{"url", "warning", "no Activity URL", ""}, {"primary_area", "error", "no Primary Technology Area", ""}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, _ := Builtin(tt.program)
			k, err := NewChecker(p, edits, today, tt.all)
			if err != nil {
				t.Fatal(err)
			}
			c := goodRow()
			tt.change(&c)
			got := k.Check(&c)
			if len(got) != len(tt.want) {
				t.Fatalf("%d problems, want %d:\n%s", len(got), len(tt.want), describe(got))
			}
			for i, w := range tt.want {
				g := got[i]
				if g.ID != c.ID || g.Field != w.field || g.Severity != w.severity || !strings.Contains(g.Problem, w.problem) || !strings.Contains(g.Fix, w.fix) {
					t.Errorf("problem %d:\n%s\nwant field %s, %s, problem with %q, fix with %q", i, describe(got[i:i+1]), w.field, w.severity, w.problem, w.fix)
				}
			}
		})
	}
}

func describe(ps []harvester.Problem) string {
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "  %s %s [%s] %s → %s\n", p.ID, p.Severity, p.Field, p.Problem, p.Fix)
	}
	return b.String()
}

func TestNewCheckerRefusesABadDay(t *testing.T) {
	p, _ := Builtin("mvp")
	if _, err := NewChecker(p, nil, "22/11/2026", false); err == nil || !strings.Contains(err.Error(), "YYYY-MM-DD") {
		t.Errorf("NewChecker(22/11/2026) = %v", err)
	}
}

// TestPlace pins what a program export writes of a row: the program's
// spellings, the profile's role mapping, and each value it does not take
// refused, none guessed.
func TestPlace(t *testing.T) {
	mvp, _ := Builtin("mvp")
	c := goodRow()
	c.ActivityType, c.Role, c.PrimaryArea = harvester.TypeMicrosoft, "speaker", "identity & access"
	c.AdditionalAreas, c.TargetAudience, c.MicrosoftEvent = []string{"powershell", " "}, []string{"developer"}, "ignite"
	e, refused := mvp.Place(&c)
	if len(refused) != 0 {
		t.Fatalf("refused %+v", refused)
	}
	if e.Type.Name != harvester.TypeMicrosoft || e.Role != "Author" || e.PrimaryArea != "Identity & Access" ||
		strings.Join(e.AdditionalAreas, ";") != "PowerShell" || strings.Join(e.Audiences, ";") != "Developer" || e.Event != "Ignite" {
		t.Errorf("placed as %+v", e)
	}
	c.Role, c.PrimaryArea, c.TargetAudience, c.MicrosoftEvent = "Host", "Cloud", []string{"Kids"}, "Tech Days"
	_, refused = mvp.Place(&c)
	var fields []string
	for _, r := range refused {
		fields = append(fields, r.Field)
	}
	if strings.Join(fields, ",") != "role,primary_area,target_audience,microsoft_event" {
		t.Errorf("refused %v", fields)
	}
	// Stars lists no areas, roles or audiences: any is taken as it is.
	stars, _ := Builtin("stars")
	if e, refused := stars.Place(&c); len(refused) != 0 || e.Type.Name != "SPEAKING" || e.PrimaryArea != "Cloud" {
		t.Errorf("stars: %+v, refused %+v", e, refused)
	}
	if got := mvp.NearestArea("Identity and Access"); got != "Identity & Access" {
		t.Errorf("NearestArea(Identity and Access) = %q", got)
	}
	if got := mvp.NearestArea("Powershel"); got != "PowerShell" {
		t.Errorf("NearestArea(Powershel) = %q", got)
	}
}
