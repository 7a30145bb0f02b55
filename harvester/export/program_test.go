package export_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/export"
	"github.com/contriblog/contriblog/harvester/program"
)

// programFixture is a log with what the programs' exports must get right:
// counts given and from metrics, a count of 0, a private description, a
// high-impact row, a Microsoft event, roles the MVP form calls otherwise,
// a type, an area and a role a program does not take, an excluded row,
// formula-looking and over-long text, CJK.
func programFixture() []harvester.Contribution {
	return []harvester.Contribution{
		{ID: "blog000001", Person: "Priya Raman", ActivityType: harvester.TypeBlog, Date: "2026-03-02",
			Title: "Conditional Access <em>day one</em>", Description: "<p>Five policies &amp; more.</p>",
			PrivateDescription: "Linked from the Entra docs.", HighImpact: true,
			URL: "https://priyaraman.dev/ca/", Role: "Author", PrimaryArea: "identity & access",
			AdditionalAreas: []string{"Microsoft Intune"}, TargetAudience: []string{"IT Pro", "Developer"},
			OtherURLs: []string{"https://dev.to/priya/ca"}, Sources: []string{"blog", "devto"},
			Counts: map[string]int64{"views": 1200}, Metrics: map[string]int64{"reactions": 31}},
		{ID: "video00002", Person: "Priya Raman", ActivityType: harvester.TypeVideo, Date: "2026-04-01",
			Title: strings.Repeat("Deploying Bicep modules at scale ", 10), URL: "https://www.youtube.com/watch?v=abc123",
			Role: "Presenter", PrimaryArea: "Azure Infrastructure as Code", Sources: []string{"youtube"},
			Counts: map[string]int64{"live_views": 300}, Metrics: map[string]int64{"views": 5400}},
		{ID: "talk000003", Person: "Priya Raman", ActivityType: harvester.TypeThirdParty, Date: "2026-04-15", EndDate: "2026-04-16",
			Title: "=SUM(A1) of Zero Trust", Description: "-starts with a minus", URL: "https://conf.example/zt",
			Role: "Speaker", PrimaryArea: "Identity & Access", Sources: []string{"sessionize"},
			Counts: map[string]int64{"attendees": 80, "sessions": 2, "views": 999}},
		{ID: "msevent004", Person: "Priya Raman", ActivityType: harvester.TypeMicrosoft, Date: "2026-05-19",
			Title: "Passkeys at Build", URL: "https://build.example/s1", Role: "Speaker", PrimaryArea: "Identity & Access",
			MicrosoftEvent: "build", Counts: map[string]int64{"sessions": 1}, Sources: []string{"talks"}},
		{ID: "book000005", Person: "Priya Raman", ActivityType: harvester.TypeBook, Date: "2026-05-20",
			Title: "Zero Trust, the book", URL: "https://books.example/zt", Role: "Author", PrimaryArea: "Identity & Access",
			Sources: []string{"manual"}},
		{ID: "oss0000006", Person: "Priya Raman", ActivityType: harvester.TypeOpenSource, Date: "2026-06-01",
			Title: "priyar/bicep-landing-zone", URL: "https://github.com/priyar/bicep-landing-zone", Role: "Maintainer",
			PrimaryArea: "Azure Infrastructure as Code", Metrics: map[string]int64{"stars": 42, "forks": 3}, Sources: []string{"github"}},
		{ID: "group00007", Person: "Priya Raman", ActivityType: harvester.TypeUserGroup, Date: "2026-06-10", EndDate: "2026-09-30",
			Title: "Organised the Amsterdam Cloud User Group", Role: "Organizer", PrimaryArea: "Azure Hybrid & Migration", Quantity: 4,
			Metrics: map[string]int64{"attendees": 70}, Sources: []string{"manual"}},
		{ID: "kube000008", Person: "Priya Raman", ActivityType: harvester.TypeBlog, Date: "2026-06-20",
			Title: "Kubernetes for identity people", URL: "https://priyaraman.dev/k8s/", Role: "Author",
			PrimaryArea: "Kubernetes", Sources: []string{"blog"}},
		{ID: "excl000009", Person: "Priya Raman", ActivityType: harvester.TypeBlog, Date: "2026-07-01",
			Title: "A duplicate", URL: "https://priyaraman.dev/dup/", Role: "Author", Excluded: true, Sources: []string{"blog"}},
		{ID: "mentor0010", Person: "Priya Raman", ActivityType: harvester.TypeMentorship, Date: "2026-07-25", EndDate: "2026-10-23",
			Title: "日本語のタイトル：ゼロトラスト入門", Description: "週次のメンタリング", Role: "Mentor",
			PrimaryArea: "Identity & Access", Counts: map[string]int64{"sessions": 12}, Sources: []string{"manual"}},
		{ID: "podcast011", Person: "Priya Raman", ActivityType: harvester.TypePodcast, Date: "2026-09-23",
			Title: "Episode 88: Identity is the new perimeter", URL: "https://cloudcafe.example.fm/88", Role: "Speaker",
			PrimaryArea: "Identity & Access", Metrics: map[string]int64{"listeners": 2300}, Sources: []string{"cloud-cafe"}},
		{ID: "host000012", Person: "Priya Raman", ActivityType: harvester.TypeBlog, Date: "2026-10-01",
			Title: "Hosting a panel", URL: "https://priyaraman.dev/panel/", Role: "Host", PrimaryArea: "Identity & Access",
			Sources: []string{"blog"}},
		{ID: "zero000013", Person: "Priya Raman", ActivityType: harvester.TypeBlog, Date: "2026-10-02",
			Title: "Nobody read this", URL: "https://priyaraman.dev/zero/", Role: "Author", PrimaryArea: "Identity & Access",
			Counts: map[string]int64{"views": 0}, Sources: []string{"blog"}},
	}
}

// encodeProgram exports rows as the program name in format, and returns
// the document and the rows it left out.
func encodeProgram(t *testing.T, name, format string, rows []harvester.Contribution) (string, []harvester.LeftOut) {
	t.Helper()
	p, ok := program.Builtin(name)
	if !ok {
		t.Fatalf("no program %s", name)
	}
	var buf bytes.Buffer
	enc, err := export.NewProgram(p, format, &buf, export.Options{})
	if err != nil {
		t.Fatal(err)
	}
	out := encode(t, enc, &buf, rows)
	return out, enc.LeftOut()
}

// TestProgramExports compares each program's export of the fixture with
// its reviewed golden (go test -update rewrites them), and pins the rows
// each leaves out and why.
func TestProgramExports(t *testing.T) {
	leftOut := map[string]string{
		"mvp": `book000005: the type "Book/E-book" is not one Microsoft MVP (2025–26 activity form) takes` +
			`|kube000008: "Kubernetes" is not an area of Microsoft MVP (2025–26 activity form)` +
			`|host000012: the role "Host" is not one mvp offers for Blog (Author, Contributor)`,
		"stars": "",
		"gde":   `group00007: the type "User Group Owner" is not one Google Developer Experts (Advocu activity drafts) takes`,
	}
	for _, name := range []string{"mvp", "stars", "gde"} {
		for _, format := range []string{"csv", "json"} {
			out, left := encodeProgram(t, name, format, programFixture())
			golden(t, "program-"+name+"."+format, out)
			var got []string
			for _, l := range left {
				got = append(got, l.ID+": "+l.Why)
			}
			want := strings.Split(leftOut[name], "|")
			if leftOut[name] == "" {
				want = nil
			}
			if len(got) != len(want) {
				t.Fatalf("%s %s left out %d rows, want %d:\n%s", name, format, len(got), len(want), strings.Join(got, "\n"))
			}
			for i := range want {
				if !strings.HasPrefix(got[i], want[i]) {
					t.Errorf("%s %s left out\n %s\nwant\n %s…", name, format, got[i], want[i])
				}
			}
			if strings.Contains(out, "excl000009") || strings.Contains(out, "A duplicate") {
				t.Errorf("%s %s holds the excluded row", name, format)
			}
		}
	}
}

// TestMVPExport checks the MVP export's promises cell by cell: the
// form's columns, a count only where the type asks for it, the Microsoft
// event only where asked, the roles as the form shows them.
func TestMVPExport(t *testing.T) {
	out, _ := encodeProgram(t, "mvp", "csv", programFixture())
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := "ID, Person, Activity Type, Published Date, End Date, Title, Description, Private Description, Activity URL, Role, " +
		"Primary Technology Area, Additional Technology Areas, Target Audience, Quantity, Number of Views, Number of Sessions, " +
		"Livestream Views, On-demand Views, In-Person Attendees, Microsoft Event, High Impact, Other URLs, Sources"
	if got := strings.Join(recs[0], ", "); got != want {
		t.Fatalf("header\n got %s\nwant %s", got, want)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	rows := map[string][]string{}
	for _, r := range recs[1:] {
		if len(r) != len(recs[0]) {
			t.Fatalf("row %s has %d cells", r[0], len(r))
		}
		rows[r[0]] = r
	}
	for _, tt := range []struct{ id, column, want string }{
		{"blog000001", "Number of Views", "1200"},
		{"blog000001", "Primary Technology Area", "Identity & Access"}, // the program's spelling
		{"blog000001", "Private Description", "Linked from the Entra docs."},
		{"blog000001", "High Impact", "yes"},
		{"blog000001", "Target Audience", "IT Pro;Developer"},
		{"video00002", "On-demand Views", "5400"}, // from the views metric
		{"video00002", "Livestream Views", "300"},
		{"video00002", "Number of Views", ""}, // not asked of a video
		{"video00002", "Role", "Author"},      // Presenter, as the form calls it
		{"talk000003", "In-Person Attendees", "80"},
		{"talk000003", "Number of Sessions", "2"},
		{"talk000003", "Number of Views", ""}, // given, but a talk is not asked for views
		{"talk000003", "Title", "'=SUM(A1) of Zero Trust"},
		{"talk000003", "High Impact", ""},
		{"talk000003", "Microsoft Event", ""},
		{"msevent004", "Microsoft Event", "Build"},
		{"oss0000006", "Number of Views", "42"}, // from stars, as the profile says
		{"oss0000006", "Role", "Contributor"},
		{"group00007", "Number of Views", "70"}, // a user group's attendees
		{"group00007", "Quantity", "4"},
		{"podcast011", "On-demand Views", "2300"},
		{"podcast011", "Number of Sessions", ""},
		{"zero000013", "Number of Views", "0"}, // 0 given is known
	} {
		r, ok := rows[tt.id]
		if !ok {
			t.Errorf("%s is not in the export", tt.id)
			continue
		}
		if got := r[col[tt.column]]; got != tt.want {
			t.Errorf("%s %s = %q, want %q", tt.id, tt.column, got, tt.want)
		}
	}
	if n := program.Len(rows["video00002"][col["Title"]]); n > 100 {
		t.Errorf("a title of %d characters", n)
	}

	js, _ := encodeProgram(t, "mvp", "json", programFixture())
	var objs []map[string]any
	if err := json.Unmarshal([]byte(js), &objs); err != nil {
		t.Fatalf("json: %v\n%s", err, js)
	}
	if len(objs) != len(recs)-1 {
		t.Errorf("json has %d rows, csv %d", len(objs), len(recs)-1)
	}
	first := objs[0]
	for _, k := range []string{"id", "person", "activity_type", "published_date", "end_date", "title", "description",
		"private_description", "activity_url", "role", "primary_technology_area", "additional_technology_areas",
		"target_audience", "quantity", "number_of_views", "number_of_sessions", "livestream_views", "on_demand_views",
		"in_person_attendees", "microsoft_event", "high_impact", "other_urls", "sources"} {
		if _, ok := first[k]; !ok {
			t.Errorf("json lacks %q", k)
		}
	}
	if first["number_of_views"] != 1200.0 || first["number_of_sessions"] != nil || first["high_impact"] != true {
		t.Errorf("json counts: %v", first)
	}
}

// TestStarsAndAdvocuShapes checks the API bodies: Stars' {"data": [...]}
// with ISO 8601 dates, Advocu's drafts with metrics of at least 1 only
// and each kind's own keys.
func TestStarsAndAdvocuShapes(t *testing.T) {
	out, _ := encodeProgram(t, "stars", "json", programFixture())
	var stars struct {
		Data []map[string]string `json:"data"`
	}
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&stars); err != nil {
		t.Fatalf("stars json: %v\n%s", err, out)
	}
	if len(stars.Data) != 12 {
		t.Errorf("stars: %d contributions, want the 12 not excluded", len(stars.Data))
	}
	for _, c := range stars.Data {
		if len(c) != 5 || c["type"] == "" || !strings.HasSuffix(c["date"], "T00:00:00Z") {
			t.Errorf("stars contribution %v", c)
		}
	}
	if stars.Data[4]["type"] != "ARTICLE_PUBLICATION" || stars.Data[4]["date"] != "2026-05-20T00:00:00Z" {
		t.Errorf("the book: %v", stars.Data[4])
	}

	out, _ = encodeProgram(t, "gde", "json", programFixture())
	var drafts []struct {
		Kind string         `json:"kind"`
		Body map[string]any `json:"body"`
	}
	if err := json.Unmarshal([]byte(out), &drafts); err != nil {
		t.Fatalf("gde json: %v\n%s", err, out)
	}
	byTitle := map[string]map[string]any{}
	kinds := map[string]string{}
	for _, d := range drafts {
		title, _ := d.Body["title"].(string)
		byTitle[title], kinds[title] = d.Body, d.Kind
	}
	blog := byTitle["Conditional Access day one"]
	if kinds["Conditional Access day one"] != "content-creation" || blog["contentType"] != "Articles" || blog["activityDate"] != "2026-03-02" ||
		blog["additionalInfo"] != "Linked from the Entra docs." || blog["private"] != false {
		t.Errorf("blog draft: %v", blog)
	}
	if m, _ := blog["metrics"].(map[string]any); m["readers"] != 1200.0 {
		t.Errorf("blog metrics: %v", blog["metrics"])
	}
	if tags := blog["tags"].([]any); len(tags) != 2 || tags[0] != "identity & access" {
		// gde lists no tags: the row's areas go as they are.
		t.Errorf("blog tags: %v", tags)
	}
	talk := byTitle["=SUM(A1) of Zero Trust"] // JSON is no spreadsheet: nothing defused
	if kinds["=SUM(A1) of Zero Trust"] != "public-speaking" || talk["contentType"] != nil || talk["activityUrl"] != "https://conf.example/zt" {
		t.Errorf("talk draft: %v", talk)
	}
	if m, _ := talk["metrics"].(map[string]any); m["attendees"] != 80.0 || m["readers"] != nil {
		t.Errorf("talk metrics: %v", talk["metrics"])
	}
	if _, ok := byTitle["Nobody read this"]["metrics"]; ok {
		t.Error("a metric of 0 was sent; Advocu takes each at least 1")
	}
	if kinds["日本語のタイトル：ゼロトラスト入門"] != "mentoring" {
		t.Errorf("mentoring kind %q", kinds["日本語のタイトル：ゼロトラスト入門"])
	}
}

// TestProgramFormats: a program's export is csv or json; md is the
// general log's.
func TestProgramFormats(t *testing.T) {
	p, _ := program.Builtin("mvp")
	if _, err := export.NewProgram(p, "md", &bytes.Buffer{}, export.Options{}); err == nil || !strings.Contains(err.Error(), "csv or json") {
		t.Errorf("md: %v", err)
	}
	var buf bytes.Buffer
	enc, _ := export.NewProgram(p, "CSV", &buf, export.Options{Excel: true})
	if err := enc.Close(); err != nil || !strings.HasPrefix(buf.String(), export.BOM+"ID,Person,Activity Type") {
		t.Errorf("excel csv: %v %q", err, buf.String())
	}
	for _, name := range []string{"mvp", "stars", "gde"} {
		out, _ := encodeProgram(t, name, "json", nil)
		if !json.Valid([]byte(out)) {
			t.Errorf("%s: an empty export is not JSON: %q", name, out)
		}
	}
}
