package program

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/contriblog/contriblog/harvester"
)

func TestBuiltinProfiles(t *testing.T) {
	if got := Names(); !slices.Equal(got, []string{"gde", "mvp", "stars"}) {
		t.Fatalf("Names() = %v", got)
	}
	mvp, _ := Builtin("mvp")
	if len(mvp.Types) != 11 || mvp.Limits.Title != 100 || mvp.Limits.Description != 1000 || mvp.Limits.WindowMonths != 12 {
		t.Errorf("mvp: %d types, limits %+v; want the 11 types of 2025–26 and 100/1000/12", len(mvp.Types), mvp.Limits)
	}
	if n := len(mvp.Areas); n != 95 {
		t.Errorf("mvp lists %d areas; want the whole 2025–26 list", n)
	}
	if a, ok := mvp.Area("identity & access"); !ok || a != "Identity & Access" {
		t.Errorf("Area(identity & access) = %q, %v", a, ok)
	}
	if _, ok := mvp.Area("Kubernetes"); ok {
		t.Error("an area the MVP list does not have is taken")
	}
	gde, _ := Builtin("gde")
	if _, ok := gde.Area("Flutter"); !ok {
		t.Error("gde lists no tags: any area must be taken")
	}
	// A copy: changing it changes no other caller's.
	mvp.Types[0].Name = "changed"
	if again, _ := Builtin("mvp"); again.Types[0].Name != "Blog" {
		t.Error("Builtin returns the shared profile, not a copy")
	}
	if _, ok := Builtin("aws"); ok {
		t.Error("Builtin(aws) found a profile")
	}
}

// TestMappings pins, for every contriblog type and program, the program
// type it maps onto ("" for none: left out of that program's export).
func TestMappings(t *testing.T) {
	want := map[string]map[string]string{
		harvester.TypeBlog:          {"mvp": "Blog", "stars": "BLOGPOST", "gde": "Articles"},
		harvester.TypeArticle:       {"mvp": "Blog", "stars": "ARTICLE_PUBLICATION", "gde": "Articles"},
		harvester.TypeBook:          {"mvp": "", "stars": "ARTICLE_PUBLICATION", "gde": "Books"},
		harvester.TypePodcast:       {"mvp": "Podcast", "stars": "VIDEO_PODCAST", "gde": "Podcasts"},
		harvester.TypeVideo:         {"mvp": harvester.TypeVideo, "stars": "VIDEO_PODCAST", "gde": "Videos"},
		harvester.TypeThirdParty:    {"mvp": harvester.TypeThirdParty, "stars": "SPEAKING", "gde": "Public speaking"},
		harvester.TypeMicrosoft:     {"mvp": harvester.TypeMicrosoft, "stars": "SPEAKING", "gde": "Public speaking"},
		harvester.TypeOpenSource:    {"mvp": harvester.TypeOpenSource, "stars": "OPEN_SOURCE_PROJECT", "gde": "Code contribution"},
		harvester.TypeOnlineSupport: {"mvp": "Online Support", "stars": "FORUM", "gde": ""},
		harvester.TypeMentorship:    {"mvp": "Mentorship/Coaching", "stars": "OTHER", "gde": "Mentoring"},
		harvester.TypeUserGroup:     {"mvp": "User Group Owner", "stars": "EVENT_ORGANIZATION", "gde": ""},
	}
	vocab := harvester.NewVocabulary(nil)
	for _, name := range vocab.Names() {
		if want[name] == nil {
			t.Errorf("no expectation for the type %q", name)
		}
	}
	for typ, byProgram := range want {
		for prog, w := range byProgram {
			p, _ := Builtin(prog)
			got := ""
			if pt, ok := p.TypeFor(typ); ok {
				got = pt.Name
			}
			if got != w {
				t.Errorf("%s: %q maps onto %q, want %q", prog, typ, got, w)
			}
		}
	}
	mvp, _ := Builtin("mvp")
	if got := mvp.Unmapped(vocab); !slices.Equal(got, []string{harvester.TypeBook}) {
		t.Errorf("mvp.Unmapped = %v", got)
	}
	gde, _ := Builtin("gde")
	speaking, _ := gde.TypeFor(harvester.TypeThirdParty)
	articles, _ := gde.TypeFor(harvester.TypeBlog)
	if speaking.Kind != "public-speaking" || articles.Kind != "content-creation" || articles.ContentType != "Articles" {
		t.Errorf("gde kinds: %+v %+v", speaking, articles)
	}
}

func TestRolesAndCounts(t *testing.T) {
	mvp, _ := Builtin("mvp")
	talk, _ := mvp.TypeFor(harvester.TypeThirdParty)
	for role, want := range map[string]string{"Speaker": "Author", "author": "Author", "Panelist": "Contributor", "Organizer": ""} {
		got, ok := mvp.Role(talk, role)
		if got != want || ok != (want != "") {
			t.Errorf("Role(talk, %q) = %q, %v; want %q", role, got, ok, want)
		}
	}
	if !talk.Asks("attendees") || !talk.Asks("sessions") || talk.Asks("views") {
		t.Errorf("a third-party talk asks %+v", talk.Counts)
	}
	ms, _ := mvp.TypeFor(harvester.TypeMicrosoft)
	if !ms.Asks("microsoft_event") {
		t.Error("a Microsoft event talk does not ask which event")
	}
	oss, _ := mvp.TypeFor(harvester.TypeOpenSource)
	for _, tt := range []struct {
		counts, metrics map[string]int64
		want            int64
		ok              bool
	}{
		{nil, map[string]int64{"stars": 42, "forks": 9}, 42, true},
		{map[string]int64{"views": 1200}, map[string]int64{"stars": 42}, 1200, true},
		{nil, map[string]int64{"forks": 9}, 0, false},
		{nil, map[string]int64{"stars": 0}, 0, true},
	} {
		if got, ok := oss.Count("views", tt.counts, tt.metrics); got != tt.want || ok != tt.ok {
			t.Errorf("Count(views, %v, %v) = %d, %v; want %d, %v", tt.counts, tt.metrics, got, ok, tt.want, tt.ok)
		}
	}
	if ev, ok := mvp.Event("ignite"); !ok || ev != "Ignite" {
		t.Errorf("Event(ignite) = %q, %v", ev, ok)
	}
	if Len("Ünïcödé ★") != 9 {
		t.Errorf("Len counts bytes")
	}
}

func TestOverride(t *testing.T) {
	data, err := os.ReadFile("testdata/mvp-2027.yaml")
	if err != nil {
		t.Fatal(err)
	}
	base, _ := Builtin("mvp")
	p, err := Parse(data, "mvp-2027.yaml", base)
	if err != nil {
		t.Fatal(err)
	}
	if p.Title != "Microsoft MVP (2026–27 activity form)" || p.Limits.Title != 120 || p.Limits.Description != 1000 {
		t.Errorf("title replaced, limits merged key by key: title %q, limits %+v", p.Title, p.Limits)
	}
	if len(p.Types) != 12 {
		t.Errorf("%d types; want the 11 with Blog replaced and Hackathon added", len(p.Types))
	}
	if bt, _ := p.TypeFor(harvester.TypeBook); bt == nil || bt.Name != "Blog" {
		t.Errorf("Book/E-book maps onto %+v; want the override's Blog", bt)
	}
	if len(p.Areas) != len(base.Areas) || !strings.Contains(p.Source, "mvp-2027.yaml") {
		t.Errorf("areas or source lost: %d areas, source %q", len(p.Areas), p.Source)
	}
}

func TestBrokenProfile(t *testing.T) {
	data, err := os.ReadFile("testdata/broken.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Parse(data, "broken.yaml", nil)
	if err == nil {
		t.Fatal("a broken profile parsed")
	}
	for _, want := range []string{
		`broken.yaml:3: limits.titel: unknown key (did you mean "title"?)`,
		`broken.yaml:4: limits.description: "lots": expected a whole number`,
		`broken.yaml:9: types[0].counts.veiws: unknown count (did you mean "views"?)`,
		`broken.yaml:10: types[1]: type "Blog" is listed twice`,
		`broken.yaml:11: types[2]: a type needs a name`,
		`broken.yaml:14: types[3].fields: unknown field "microsoft_events"`,
		`broken.yaml:15: colour: unknown key`,
		`activity type "Blog" is mapped onto both "Blog" and "Talks"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error lacks %q:\n%s", want, err)
		}
	}
	if _, err := Parse([]byte("name: [x\n"), "bad.yaml", nil); err == nil || !strings.HasPrefix(err.Error(), "bad.yaml:") {
		t.Errorf("YAML syntax error: %v", err)
	}
}

// TestFormatAndRequired: a profile's format (its export's shape) and the
// counts and fields a type requires are read, and checked, as data.
func TestFormatAndRequired(t *testing.T) {
	for name, want := range map[string]string{"mvp": FormatForm, "stars": FormatStars, "gde": FormatAdvocu} {
		if p, _ := Builtin(name); p.Format != want {
			t.Errorf("%s: format %q, want %q", name, p.Format, want)
		}
	}
	mvp, _ := Builtin("mvp")
	talk, _ := mvp.TypeFor(harvester.TypeThirdParty)
	ms, _ := mvp.TypeFor(harvester.TypeMicrosoft)
	blog, _ := mvp.TypeFor(harvester.TypeBlog)
	if !talk.Requires("attendees") || talk.Requires("sessions") || !ms.Requires("microsoft_event") || blog.Requires("views") {
		t.Errorf("required: talk %v, Microsoft event %v, blog %v", talk.Required, ms.Required, blog.Required)
	}
	// An override keeps the built-in's format; a program of one's own
	// without one is a form.
	p, err := Parse([]byte("title: GDE with my tags\nareas: [Flutter]\n"), "gde.yaml", builtin["gde"])
	if err != nil || p.Format != FormatAdvocu {
		t.Errorf("override: %v, format %q", err, p.Format)
	}
	own, err := Parse([]byte("name: aws\ntypes:\n  - name: Blog post\n    from: [Blog]\n"), "aws.yaml", nil)
	if err != nil || own.Format != FormatForm {
		t.Errorf("own profile: %v, format %+v", err, own)
	}
	_, err = Parse([]byte("name: aws\nformat: xlsx\ntypes:\n  - name: Talk\n    from: [Blog]\n    counts: {attendees: []}\n    required: [views]\n"), "aws.yaml", nil)
	for _, want := range []string{
		`aws.yaml:2: format: "xlsx": formats: form, stars, advocu`,
		`aws.yaml:7: types[0].required: "views" is neither a count nor a field of the type "Talk"`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("the error lacks %q:\n%v", want, err)
		}
	}
}
