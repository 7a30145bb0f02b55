package file

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/contriblog/contriblog/harvester"
)

func day(s string) time.Time {
	t, err := time.Parse(harvester.DateLayout, s)
	if err != nil {
		panic(err) // test data only
	}
	return t
}

func readTestdata(tb testing.TB, name string) []byte {
	tb.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// wantValid is what testdata/valid.yaml and valid.json hold.
func wantValid() []harvester.Observation {
	return []harvester.Observation{
		{Source: "manual", NativeID: nativeID("", "Mentoring three first-time speakers", "2026-02-01"), Person: "Priya Raman",
			ActivityType: harvester.TypeMentorship, Title: "Mentoring three first-time speakers",
			Description: "Weekly sessions preparing talks for Global Azure in April.",
			Date:        day("2026-02-01"), EndDate: day("2026-06-30"), AllDay: true, Reach: 3,
			PrivateDescription: "Two of them spoke at Global Azure.", HighImpact: true,
			Counts: map[string]int64{"sessions": 12, "attendees": 0}},
		{Source: "manual", NativeID: "azure-mag-2025-11", Person: "Priya Raman", ActivityType: harvester.TypeArticle, Role: "Author",
			Title: "Zero Trust for Azure landing zones", URL: "https://azuremag.example/zero-trust-landing-zones",
			OtherURLs: []string{"https://priyaraman.dev/zero-trust-landing-zones/"}, Date: day("2025-11-12"), AllDay: true,
			PrimaryArea: "Identity & Access", AdditionalAreas: []string{"Azure Infrastructure as Code"},
			TargetAudience: []string{"IT Pro", "Developer"}, Quantity: 1, Reach: 12000},
		{Source: "manual", NativeID: nativeID("", "Cloud user group, monthly meetups", "2025-09-01"), Person: "Priya Raman & Tom Berg",
			ActivityType: harvester.TypeUserGroup, Title: "Cloud user group, monthly meetups", Date: day("2025-09-01"), AllDay: true,
			AdditionalAreas: []string{"Azure", "Security"}, TargetAudience: []string{"IT Pro"},
			MicrosoftEvent: "MVP Summit", Counts: map[string]int64{"views": 1200}},
	}
}

func TestParseValid(t *testing.T) {
	for _, name := range []string{"valid.yaml", "valid.json"} {
		t.Run(name, func(t *testing.T) {
			obs, err := Parse(readTestdata(t, name), Config{Name: "manual", Path: name, Person: "Priya Raman"})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			want := wantValid()
			if len(obs) != len(want) {
				t.Fatalf("%d observations, want %d", len(obs), len(want))
			}
			for i := range want {
				if !reflect.DeepEqual(obs[i], want[i]) {
					t.Errorf("entry %d:\n got %#v\nwant %#v", i, obs[i], want[i])
				}
			}
		})
	}
}

func TestParseEmpty(t *testing.T) {
	for _, src := range []string{"", "# nothing yet\n", "[]", "---\n", "~\n"} {
		obs, err := Parse([]byte(src), Config{Name: "m", Path: "m.yaml"})
		if err != nil || len(obs) != 0 {
			t.Errorf("Parse(%q) = %v, %v; want nothing", src, obs, err)
		}
	}
}

type wantErr struct {
	line int
	key  string
	msg  string
}

func TestParseErrorsFile(t *testing.T) {
	_, err := Parse(readTestdata(t, "errors.yaml"), Config{Name: "manual", Path: "manual.yaml"})
	want := []wantErr{
		{2, "[0].date", "no such month: 2026-13-01"},
		{6, "[1].activity_type", `unknown activity type "Blogpost"; known types: Blog, Article`},
		{10, "[2].reach", "must not be negative, got -5"},
		{11, "[2].quantity", "must not be negative, got -1"},
		{15, "[3].url", `not an absolute http(s) URL: "ftp://files.example/talk.pdf"`},
		{16, "[3].other_urls[1]", `not an absolute http(s) URL: "mailto:me@example.com"`},
		{17, "[4].titel", `unknown key "titel" (did you mean "title"?)`},
		{17, "[4].title", "title is required"},
		{20, "[5].date", "date is required (YYYY-MM-DD)"},
		{22, "[6].end_date", "end_date 2026-02-01 is before date 2026-03-01"},
		{26, "[6].sources", `"sources" belongs to the JSON export`},
		{27, "[7].title", "expected a string, got a list"},
		{33, "[9]", "same title and date as entry [8] at line 30; give one of them an id: to keep both"},
		{40, "[11]", `same id "talk-1" as entry [10] at line 36`},
		{49, "[12].counts.atendees", `unknown count "atendees" (did you mean "attendees"?); counts: views, sessions, live_views, ondemand_views, attendees`},
		{50, "[12].counts.sessions", "must not be negative, got -2"},
		{51, "[12].counts.live_views", `expected a whole number, got "1.5"`},
		{52, "[12].high_impact", `expected true or false, got "yes"`},
	}
	checkErrors(t, err, "manual.yaml", want)
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		cfg  Config
		want []wantErr
	}{
		{"not a list", "title: x\ndate: 2026-01-01\n", Config{}, []wantErr{{1, "", "expected a list of entries, each starting with \"- \", got a mapping"}}},
		{"entry not a mapping", "- just a title\n", Config{}, []wantErr{{1, "[0]", "expected an entry (key: value lines), got a string"}}},
		{"syntax", "- title: a\n  date: [2026\n", Config{}, []wantErr{{2, "", "invalid YAML"}}},
		{"json syntax", "[{\"title\": \"a\",}\n", Config{Path: "manual.json"}, []wantErr{{2, "", "invalid JSON"}}},
		{"json not an array", "{\"title\": \"a\"}", Config{Path: "manual.json"},
			[]wantErr{{1, "", `expected an array of entries: [{"title": ...}, ...], got a mapping`}}},
		{"two documents", "- {title: a, date: 2026-01-01, activity_type: Blog}\n---\n- {title: b}\n", Config{},
			[]wantErr{{2, "", "more than one YAML document"}}},
		{"duplicate key", "- title: a\n  title: b\n  date: 2026-01-01\n  activity_type: Blog\n", Config{},
			[]wantErr{{2, "[0].title", "duplicate key (first at line 1)"}}},
		{"no activity", "- {title: a, date: 2026-01-01}\n", Config{},
			[]wantErr{{1, "[0].activity_type", "activity_type is required (or set activity: on the source); known types: Blog"}}},
		{"no such day", "- {title: a, date: 2026-02-30, activity_type: Blog}\n", Config{},
			[]wantErr{{1, "[0].date", "no such day: 2026-02-30"}}},
		{"end_date no such day", "- {title: a, date: 2026-02-01, end_date: 2026-04-31, activity_type: Blog}\n", Config{},
			[]wantErr{{1, "[0].end_date", "no such day: 2026-04-31"}}},
		{"indentation hint", "- title: a\n  date: 2026-01-01\n   activity_type: Blog\n", Config{},
			[]wantErr{{3, "", "mapping values are not allowed in this context (check the indentation of this line"}}},
		{"no space after colon", "- title: a\n  date:2026-01-01\n  activity_type: Blog\n", Config{},
			[]wantErr{{2, "", "(likely line 2: ':' needs a space after it; check the indentation"}}},
		{"date with time", "- {title: a, date: \"2026-01-01T10:00:00Z\", activity_type: Blog}\n", Config{},
			[]wantErr{{1, "[0].date", "expected a date as YYYY-MM-DD"}}},
		{"reach not a number", "- {title: a, date: 2026-01-01, activity_type: Blog, reach: many}\n", Config{},
			[]wantErr{{1, "[0].reach", `expected a whole number, got "many"`}}},
		{"quantity too large", "- {title: a, date: 2026-01-01, activity_type: Blog, quantity: 99999999999}\n", Config{},
			[]wantErr{{1, "[0].quantity", "99999999999 is too large"}}},
		{"url relative", "- {title: a, date: 2026-01-01, activity_type: Blog, url: /talks/a}\n", Config{},
			[]wantErr{{1, "[0].url", "not an absolute http(s) URL"}}},
		{"other_urls mapping", "- {title: a, date: 2026-01-01, activity_type: Blog, other_urls: {a: b}}\n", Config{},
			[]wantErr{{1, "[0].other_urls", "expected a list, got a mapping"}}},
		{"empty title", "- {title: \"<b></b>\", date: 2026-01-01, activity_type: Blog}\n", Config{},
			[]wantErr{{1, "[0].title", "title is empty once its HTML is removed"}}},
		{"unknown key far off", "- {title: a, date: 2026-01-01, activity_type: Blog, colour: red}\n", Config{},
			[]wantErr{{1, "[0].colour", "unknown key \"colour\"; an entry takes id, title, date"}}},
		{"export metrics", "- {title: a, date: 2026-01-01, activity_type: Blog, metrics: {views: 3}}\n", Config{},
			[]wantErr{{1, "[0].metrics", "belongs to the JSON export"}}},
		{"counts a list", "- {title: a, date: 2026-01-01, activity_type: Blog, counts: [views, 3]}\n", Config{},
			[]wantErr{{1, "[0].counts", "expected counts as {KEY: N, ...}, KEY one of views, sessions"}}},
		{"count a list", "- {title: a, date: 2026-01-01, activity_type: Blog, counts: {views: [3]}}\n", Config{},
			[]wantErr{{1, "[0].counts.views", "expected a whole number, got a list"}}},
		{"count not a number", "- {title: a, date: 2026-01-01, activity_type: Blog, counts: {views: many}}\n", Config{},
			[]wantErr{{1, "[0].counts.views", `expected a whole number, got "many"`}}},
		{"count key in capitals", "- {title: a, date: 2026-01-01, activity_type: Blog, counts: {Views: 3}}\n", Config{},
			[]wantErr{{1, "[0].counts.Views", `unknown count "Views" (did you mean "views"?)`}}},
		{"count of the metrics", "- {title: a, date: 2026-01-01, activity_type: Blog, counts: {stars: 3}}\n", Config{},
			[]wantErr{{1, "[0].counts.stars", `unknown count "stars"; counts: views, sessions, live_views, ondemand_views, attendees`}}},
		{"high_impact a list", "- {title: a, date: 2026-01-01, activity_type: Blog, high_impact: [true]}\n", Config{},
			[]wantErr{{1, "[0].high_impact", "expected true or false, got a list"}}},
		{"private_description a mapping", "- {title: a, date: 2026-01-01, activity_type: Blog, private_description: {a: b}}\n", Config{},
			[]wantErr{{1, "[0].private_description", "expected a string, got a mapping"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.cfg.Path == "" {
				tc.cfg.Path = "manual.yaml"
			}
			_, err := Parse([]byte(tc.src), tc.cfg)
			checkErrors(t, err, tc.cfg.Path, tc.want)
		})
	}
}

func checkErrors(t *testing.T, err error, file string, want []wantErr) {
	t.Helper()
	if err == nil {
		t.Fatal("Parse succeeded, want errors")
	}
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		t.Fatalf("error %T is not joined", err)
	}
	got := joined.Unwrap()
	if len(got) != len(want) {
		t.Fatalf("got %d errors, want %d:\n%v", len(got), len(want), err)
	}
	for i, w := range want {
		var fe *Error
		if !errors.As(got[i], &fe) {
			t.Fatalf("error %d %T is not an *Error", i, got[i])
		}
		if fe.File != file || fe.Line != w.line || fe.Key != w.key || !strings.Contains(fe.Msg, w.msg) {
			t.Errorf("error %d = %q\nwant line %d key %q msg containing %q", i, fe.Error(), w.line, w.key, w.msg)
		}
	}
}

func TestActivityDefault(t *testing.T) {
	vocab := harvester.NewVocabulary([]harvester.ActivityType{{Name: "Hackathon judge", Family: "mentoring", Role: "Judge"}})
	src := "- {title: a, date: 2026-01-01}\n- {title: b, date: 2026-01-02, activity_type: hackathon JUDGE}\n"
	obs, err := Parse([]byte(src), Config{Name: "m", Path: "m.yaml", Activity: "mentorship/coaching", Vocabulary: vocab})
	if err != nil {
		t.Fatal(err)
	}
	if obs[0].ActivityType != harvester.TypeMentorship || obs[1].ActivityType != "Hackathon judge" {
		t.Errorf("activity types %q, %q", obs[0].ActivityType, obs[1].ActivityType)
	}
}

func TestNativeID(t *testing.T) {
	base := nativeID("", "Zero Trust in Practice", "2026-01-10")
	same := []string{
		nativeID("", "zero trust in practice", "2026-01-10"),
		nativeID("", "Zero Trust — in practice!", "2026-01-10"),
		nativeID("", "  Zero  Trust in Practice ", "2026-01-10"),
	}
	for i, id := range same {
		if id != base {
			t.Errorf("variant %d: %s != %s", i, id, base)
		}
	}
	for i, id := range []string{
		nativeID("", "Zero Trust in Practice", "2026-03-10"),
		nativeID("", "Zero Trust in Production", "2026-01-10"),
		nativeID("", "Zéro Trust in Practice", "2026-01-10"), // accents are kept
	} {
		if id == base {
			t.Errorf("different entry %d has the same id %s", i, id)
		}
	}
	if got := nativeID("my-id", "x", "2026-01-10"); got != "my-id" {
		t.Errorf("given id: %s", got)
	}
	// Editing the description or URL keeps the id.
	a, _ := Parse([]byte("- {title: T, date: 2026-01-01, activity_type: Blog, description: one}\n"), Config{})
	b, _ := Parse([]byte("- {title: T, date: 2026-01-01, activity_type: Blog, description: two, url: \"https://x.example/\"}\n"), Config{})
	if len(a) != 1 || len(b) != 1 || a[0].NativeID != b[0].NativeID {
		t.Errorf("ids differ after editing the description: %v %v", a, b)
	}
}
