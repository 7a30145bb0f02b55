package harvester

import (
	"reflect"
	"testing"
	"time"
)

func TestMergeRow(t *testing.T) {
	devto := declares(blogObs("devto", "9", "Zero Trust in Practice", "https://dev.to/priya/zt?utm_source=x", 0), "https://priya.dev/zt")
	devto.Metrics = map[string]int64{"views": 900, "reactions": 12}
	devto.Description = "Cross-post."
	devto.Categories = []string{"azure"}
	blog := withFeed(blogObs("blog", "1", "Zero Trust in Practice | Priya's Blog", "https://priya.dev/zt/", 2), "Priya's Blog")
	blog.OtherURLs = []string{"https://youtube.com/watch?v=1", "https://priya.dev/zt"}
	blog.Metrics = map[string]int64{"views": 40}
	blog.Description = "How we rolled out zero trust."
	blog.Role = "Co-author"
	blog.EndDate = blog.Date.AddDate(0, 0, 1)
	opts := LogOptions{Location: time.UTC,
		Areas:       []Area{{"Security", []string{"zero trust", "identity"}}, {"Azure", []string{"azure"}}},
		SourceAreas: map[string][]string{"devto": {"Developer Tools"}}}
	log := BuildLog([]Observation{devto, blog}, nil, opts)
	if len(log) != 1 {
		t.Fatalf("got %d rows, want 1", len(log))
	}
	want := Contribution{ID: ShortID(devto.Key()), Person: "Priya Raman", ActivityType: TypeBlog,
		Date: "2025-03-10", EndDate: "2025-03-13", Title: "Zero Trust in Practice", Description: blog.Description, DescriptionOf: blog.Key(),
		URL: "https://priya.dev/zt/", Role: "Co-author", PrimaryArea: "Security",
		AdditionalAreas: []string{"Azure", "Developer Tools"}, Quantity: 1, Reach: 900,
		OtherURLs: []string{"https://dev.to/priya/zt", "https://youtube.com/watch?v=1"},
		Sources:   []string{"blog", "devto"}, Metrics: map[string]int64{"views": 900, "reactions": 12},
		Observations: []ObservationRef{
			{Source: "blog", NativeID: "1", URL: blog.URL, Title: blog.Title, Date: "2025-03-12", FirstSeen: blog.FirstSeen, LastSeen: blog.LastSeen},
			{Source: "devto", NativeID: "9", URL: devto.URL, Title: devto.Title, Date: "2025-03-10", FirstSeen: devto.FirstSeen, LastSeen: devto.LastSeen}}}
	if !reflect.DeepEqual(log[0], want) {
		t.Errorf("merged row\n got %+v\nwant %+v", log[0], want)
	}
}

func TestMergeActivityURL(t *testing.T) {
	own := blogObs("blog", "1", "Zero Trust in Practice", "https://priya.dev/zt", 3)
	devto := blogObs("devto", "2", "Zero Trust in Practice", "https://dev.to/p/zt", 0)
	medium := blogObs("medium", "3", "Zero Trust in Practice", "https://medium.com/@p/zt", 1)
	other := blogObs("mirror", "4", "Zero Trust in Practice", "https://mirror.example/zt", 1)
	crossOnly := declares(devto, "https://priya.dev/zt?utm_source=devto")
	tests := []struct {
		name     string
		obs      []Observation
		priority map[string]int
		want     string
	}{
		{"own site over earlier syndication", []Observation{devto, own, medium}, nil, own.URL},
		{"priority over own site", []Observation{devto, own}, map[string]int{"devto": 1}, devto.URL},
		{"priority among own sites", []Observation{own, other}, map[string]int{"mirror": 2}, other.URL},
		{"earliest among own sites", []Observation{own, other}, nil, other.URL},
		{"earliest among syndication", []Observation{medium, devto}, nil, devto.URL},
		{"declared canonical when only syndication is harvested", []Observation{crossOnly, medium}, nil, "https://priya.dev/zt"},
		{"declared canonical even with priority", []Observation{crossOnly}, map[string]int{"devto": 5}, "https://priya.dev/zt"},
		{"a listing is never the URL", []Observation{
			listing(talkObs("cal", "1", "Zero Trust in Practice", "https://priya.dev/cal.ics", 0)),
			talkObs("sz", "2", "Zero Trust in Practice", "https://sessionize.com/s/2", 0)},
			map[string]int{"cal": 9}, "https://sessionize.com/s/2"},
		{"YouTube loses for writing", []Observation{
			blogObs("yt", "1", "Zero Trust in Practice", "https://youtube.com/watch?v=1", 0),
			blogObs("mag", "2", "Zero Trust in Practice", "https://mag.example/zt", 2)},
			nil, "https://mag.example/zt"},
		{"YouTube is the work for video", []Observation{
			videoObs("yt", "1", "Zero Trust in Practice", "https://youtube.com/watch?v=1", 0),
			videoObs("li", "2", "Zero Trust in Practice", "https://linkedin.com/posts/p-1", 0)},
			nil, "https://youtube.com/watch?v=1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log := BuildLog(tt.obs, nil, LogOptions{Location: time.UTC, Priority: tt.priority})
			if len(log) != 1 {
				t.Fatalf("got %d rows, want 1", len(log))
			}
			if log[0].URL != tt.want {
				t.Errorf("URL = %q, want %q", log[0].URL, tt.want)
			}
			for _, u := range log[0].OtherURLs {
				if urlKey(u) == urlKey(log[0].URL) {
					t.Errorf("other URLs %q repeat the activity URL", log[0].OtherURLs)
				}
			}
		})
	}
}

func TestMergeTitleFromWinner(t *testing.T) {
	hand := talkObs("file", "1", "Zero trust in practice", "", 0)
	hand.Description = "My notes."
	sz := talkObs("sz", "2", "Cloud Summit: Zero Trust in Practice", "https://sessionize.com/s/2", 0)
	sz.Description = "Session abstract."
	log := BuildLog([]Observation{hand, sz}, nil, LogOptions{Location: time.UTC, Priority: map[string]int{"file": 10}})
	if len(log) != 1 || log[0].Title != hand.Title || log[0].Description != hand.Description || log[0].URL != sz.URL {
		t.Errorf("log = %+v, want the hand-kept title and description with the Sessionize URL", log)
	}
}

func TestMergeRoleQuantityReach(t *testing.T) {
	cal := listing(talkObs("cal", "1", "Cloud Summit: Zero Trust in Practice", "https://cloudsummit.example/agenda", 0))
	sz := talkObs("sz", "2", "Zero Trust in Practice", "https://sessionize.com/s/2", 0)
	sz.Role = "Panelist"
	hand := talkObs("file", "3", "Zero Trust in Practice", "", 0)
	hand.Quantity, hand.Reach, hand.PrimaryArea, hand.TargetAudience = 2, 300, "Security", []string{"Developers", "IT Pros"}
	hand.Role = "Speaker"
	opts := LogOptions{Location: time.UTC, Areas: []Area{{"Azure", []string{"zero trust"}}}}
	c := BuildLog([]Observation{cal, sz, hand}, nil, opts)
	if len(c) != 1 {
		t.Fatalf("got %d rows, want 1", len(c))
	}
	got := c[0]
	if got.Role != "Panelist" || got.URL != sz.URL || got.Quantity != 2 || got.Reach != 300 ||
		got.PrimaryArea != "Security" || got.AdditionalAreas != nil ||
		!reflect.DeepEqual(got.TargetAudience, hand.TargetAudience) || len(got.OtherURLs) != 0 {
		t.Errorf("row = %+v", got)
	}
	// Issue 15: a listing (an observation stored before issue 15 with its
	// calendar's URL) is never a row's Activity URL nor one of its other
	// URLs, nor its observation's URL: a talk with no page of its own has
	// none.
	only := BuildLog([]Observation{cal}, nil, opts)[0]
	if only.URL != "" || len(only.OtherURLs) != 0 || only.Observations[0].URL != "" || only.Role != "Speaker" ||
		only.Quantity != 1 || only.Reach != 0 || only.PrimaryArea != "Azure" {
		t.Errorf("listing-only row = %+v", only)
	}
}

func TestTagAreas(t *testing.T) {
	areas := []Area{
		{"Identity & Access", []string{"entra", "conditional access", "fido2"}},
		{"Infrastructure as Code", []string{"bicep", "terraform"}},
		{"Developer Tools", []string{"go", ".net", "c#"}},
	}
	tests := []struct {
		text    string
		primary string
		others  []string
	}{
		{"bicep and terraform modules for entra", "Infrastructure as Code", []string{"Identity & Access"}},
		{"entra conditional access with bicep", "Identity & Access", []string{"Infrastructure as Code"}},
		{"entra and bicep", "Identity & Access", []string{"Infrastructure as Code"}}, // tie: config order
		{"a good gopher", "", nil}, // "go" is not in "good"
		{"what's new in .net 9 (c#)", "Developer Tools", nil},
		{"terraforming mars", "", nil},
		{"", "", nil},
	}
	for _, tt := range tests {
		p, o := tagAreas(areas, tt.text)
		if p != tt.primary || !reflect.DeepEqual(o, tt.others) {
			t.Errorf("tagAreas(%q) = %q, %q; want %q, %q", tt.text, p, o, tt.primary, tt.others)
		}
	}
}

func TestAreasFromObservations(t *testing.T) {
	opts := LogOptions{Location: time.UTC,
		Areas:       []Area{{"Identity & Access", []string{"entra"}}, {"Infrastructure as Code", []string{"bicep"}}},
		SourceAreas: map[string][]string{"yt": {"Video Tools"}}}
	post := blogObs("blog", "1", "Rolling out Entra ID", "https://priya.dev/entra", 0)
	post.Categories = []string{"Bicep", "bicep"}
	video := videoObs("yt", "2", "Something unrelated", "https://youtube.com/watch?v=2", 0)
	log := BuildLog([]Observation{post, video}, nil, opts)
	byTitle := map[string]Contribution{}
	for _, c := range log {
		byTitle[c.Title] = c
	}
	if c := byTitle[post.Title]; c.PrimaryArea != "Infrastructure as Code" || !reflect.DeepEqual(c.AdditionalAreas, []string{"Identity & Access"}) {
		t.Errorf("post areas = %q, %q", c.PrimaryArea, c.AdditionalAreas)
	}
	if c := byTitle[video.Title]; c.PrimaryArea != "Video Tools" || c.AdditionalAreas != nil {
		t.Errorf("video areas = %q, %q (a source's areas stand in for a primary area)", c.PrimaryArea, c.AdditionalAreas)
	}
}

// TestSourceAudience: a source's target_audience fills the rows of its
// observations that state none; an entry's own audience wins over every
// member source's default; the options' fingerprint follows the defaults,
// so that a config change rebuilds the stored log.
func TestSourceAudience(t *testing.T) {
	cal := talkObs("cal", "1", "Zero Trust in Practice", "https://cal.example/zt", 0)
	hand := talkObs("file", "2", "Zero Trust in Practice", "https://cal.example/zt", 0)
	hand.TargetAudience = []string{"IT Pros"}
	other := talkObs("cal", "3", "Passkeys for everyone", "https://cal.example/pk", 3)
	blog := obsAt("blog", "4", TypeBlog, "A post", "https://blog.example/p", day0)
	opts := LogOptions{Location: time.UTC, SourceAudience: map[string][]string{"cal": {"Developers", "developers", "Students"}}}
	byTitle := map[string]Contribution{}
	for _, c := range BuildLog([]Observation{cal, hand, other, blog}, nil, opts) {
		byTitle[c.Title] = c
	}
	for title, want := range map[string][]string{
		"Zero Trust in Practice": {"IT Pros"},                // the hand-kept entry's own
		"Passkeys for everyone":  {"Developers", "Students"}, // the source's, without repeats
		"A post":                 nil,                        // a source without one
	} {
		if got := byTitle[title].TargetAudience; !reflect.DeepEqual(got, want) {
			t.Errorf("%s: target audience %q, want %q", title, got, want)
		}
	}
	if optionsFingerprint(opts) == optionsFingerprint(LogOptions{Location: time.UTC}) {
		t.Error("the fingerprint ignores SourceAudience")
	}
}
