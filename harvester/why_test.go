package harvester

import (
	"reflect"
	"testing"
	"time"
)

func TestExplainAreas(t *testing.T) {
	areas := []Area{{"Developer Tools", []string{"go", "vs code"}}, {"Security", []string{"zero trust", "entra"}}, {"DevOps", []string{"ci"}}}
	post := blogObs("blog", "1", "Zero Trust for Go services", "https://priya.dev/zt", 0)
	post.Description = "Zero-trust checks with Entra in Go: going further than Google's BeyondCorp."
	post.Categories = []string{"entra", "golang"}
	mirror := declares(blogObs("devto", "2", "Zero Trust for Go services", "https://dev.to/p/zt", 1), "https://priya.dev/zt")
	mirror.Categories = []string{"security", "go"}
	talk := talkObs("manual", "3", "Passkeys with Entra", "https://conf.example/passkeys", 5)
	talk.PrimaryArea, talk.AdditionalAreas = "Identity & Access", []string{"Security"}
	other := blogObs("blog", "4", "Nothing to tag here", "https://priya.dev/n", 9)
	opts := LogOptions{Location: time.UTC, Areas: areas, SourceAreas: map[string][]string{"devto": {"Community"}, "manual": {"Speaking"}}}
	obs := []Observation{post, mirror, talk, other}
	log := BuildLog(obs, nil, opts)

	row := rowWith(t, log, "blog\x001")
	ex := ExplainAreas(&row, obs, opts)
	blog, devto := AreaReason{Source: "blog", NativeID: "1"}, AreaReason{Source: "devto", NativeID: "2"}
	kw := func(k, field string, hits int, at AreaReason) AreaReason {
		return AreaReason{Kind: ReasonKeyword, Keyword: k, Hits: hits, Field: field, Source: at.Source, NativeID: at.NativeID}
	}
	want := AreaExplanation{ID: row.ID, Title: row.Title, Keywords: true, Areas: []AreaWhy{
		{Area: "Security", Primary: true, Reasons: []AreaReason{
			kw("zero trust", "title", 1, blog), kw("zero trust", "description", 1, blog), kw("entra", "description", 1, blog),
			kw("entra", "categories", 1, blog)}},
		{Area: "Developer Tools", Reasons: []AreaReason{
			kw("go", "title", 1, blog), kw("go", "description", 1, blog), kw("go", "categories", 1, devto)}},
		{Area: "Community", Reasons: []AreaReason{{Kind: ReasonSource, Source: "devto"}}},
	}}
	if row.PrimaryArea != "Security" || !reflect.DeepEqual(row.AdditionalAreas, []string{"Developer Tools", "Community"}) {
		t.Fatalf("fixture row areas %q %v", row.PrimaryArea, row.AdditionalAreas)
	}
	if !reflect.DeepEqual(ex, want) {
		t.Errorf("explanation\n got %+v\nwant %+v", ex, want)
	}

	// Hand-kept areas: no keywords looked for.
	row = rowWith(t, log, "manual\x003")
	ex = ExplainAreas(&row, obs, opts)
	manual := AreaReason{Kind: ReasonHandKept, Source: "manual", NativeID: "3"}
	primary, additional := manual, manual
	primary.Field, additional.Field = "primary_area", "additional_areas"
	want = AreaExplanation{ID: row.ID, Title: row.Title, Areas: []AreaWhy{
		{Area: "Identity & Access", Primary: true, Reasons: []AreaReason{primary}},
		{Area: "Security", Reasons: []AreaReason{additional}},
		{Area: "Speaking", Reasons: []AreaReason{{Kind: ReasonSource, Source: "manual"}}},
	}}
	if !reflect.DeepEqual(ex, want) {
		t.Errorf("hand-kept explanation\n got %+v\nwant %+v", ex, want)
	}

	// Curated areas, and a row with none.
	edits, err := Curate(log, nil, row.ID, EditRequest{Area: ptr("DevOps"), AdditionalAreas: []string{"Security"}}, opts, editTime)
	if err != nil {
		t.Fatal(err)
	}
	row = rowWith(t, BuildLog(obs, edits, opts), "manual\x003")
	ex = ExplainAreas(&row, obs, opts)
	curated := []AreaReason{{Kind: ReasonCurated}}
	if want := []AreaWhy{{Area: "DevOps", Primary: true, Reasons: curated}, {Area: "Security", Reasons: curated}}; !reflect.DeepEqual(ex.Areas, want) {
		t.Errorf("curated explanation %+v, want %+v", ex.Areas, want)
	}
	row = rowWith(t, log, "blog\x004")
	if ex := ExplainAreas(&row, obs, opts); len(ex.Areas) != 0 || !ex.Keywords {
		t.Errorf("untagged row explained as %+v", ex)
	}
	// A stored log older than the config: an area nothing explains.
	row.PrimaryArea = "Azure"
	if ex := ExplainAreas(&row, obs, opts); len(ex.Areas) != 1 || ex.Areas[0].Reasons[0].Kind != ReasonUnknown {
		t.Errorf("stale row explained as %+v", ex)
	}
}
