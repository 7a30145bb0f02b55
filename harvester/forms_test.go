package harvester

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// formsLog is one talk kept by hand in two files (one row of two
// observations, b's file of higher priority) and a post.
func formsLog(t *testing.T) ([]Observation, LogOptions, []Contribution) {
	t.Helper()
	a := talkObs("a", "1", "Passkeys for admins", "https://conf.example/passkeys", 0)
	a.MicrosoftEvent, a.Counts = "Ignite", map[string]int64{"attendees": 80, "views": 10}
	b := talkObs("b", "2", "Passkeys for admins", "https://conf.example/passkeys", 0)
	b.PrivateDescription, b.MicrosoftEvent, b.HighImpact = "  Asked back for next year ", "Build", true
	b.Counts = map[string]int64{"attendees": 120}
	post := blogObs("blog", "3", "Zero Trust in Practice", "https://priya.dev/zt", 3)
	obs := []Observation{a, b, post}
	opts := LogOptions{Location: time.UTC, Priority: map[string]int{"b": 1}}
	log := BuildLog(obs, nil, opts)
	if len(log) != 2 {
		t.Fatalf("fixture log has %d rows, want 2", len(log))
	}
	return obs, opts, log
}

// A row's forms' fields come from its hand-kept members, best first; its
// counts are the largest of each; a row without any has none.
func TestFormsFieldsFromHandKept(t *testing.T) {
	_, _, log := formsLog(t)
	talk := rowWith(t, log, "a\x001")
	if talk.PrivateDescription != "Asked back for next year" || talk.MicrosoftEvent != "Build" || !talk.HighImpact {
		t.Errorf("talk = %q, %q, %v; want b's private description and event, high impact",
			talk.PrivateDescription, talk.MicrosoftEvent, talk.HighImpact)
	}
	if want := map[string]int64{"attendees": 120, "views": 10}; !reflect.DeepEqual(talk.Counts, want) {
		t.Errorf("talk counts = %v, want %v", talk.Counts, want)
	}
	if len(talk.Curated) != 0 {
		t.Errorf("hand-kept values marked curated: %v", talk.Curated)
	}
	post := rowWith(t, log, "blog\x003")
	if post.PrivateDescription != "" || post.MicrosoftEvent != "" || post.HighImpact || post.Counts != nil {
		t.Errorf("post = %+v, want no forms' fields", post)
	}
}

func TestCurateFormsFields(t *testing.T) {
	obs, opts, log := formsLog(t)
	talk := rowWith(t, log, "a\x001")
	req := EditRequest{PrivateDescription: ptr("  Only  for\tthe program "), MicrosoftEvent: ptr("MVP Summit"),
		HighImpact: ptr(false), Counts: map[string]*int64{"views": ptr(int64(1500)), "sessions": ptr(int64(0))}}
	edits, err := Curate(log, nil, talk.ID, req, opts, editTime)
	if err != nil {
		t.Fatal(err)
	}
	e := edits[0]
	if *e.PrivateDescription != "Only for the program" || *e.MicrosoftEvent != "MVP Summit" || *e.HighImpact ||
		*e.Counts["views"] != 1500 || *e.Counts["sessions"] != 0 {
		t.Errorf("edit = %+v", e)
	}
	row := rowWith(t, BuildLog(obs, edits, opts), "a\x001")
	if row.PrivateDescription != "Only for the program" || row.MicrosoftEvent != "MVP Summit" || row.HighImpact {
		t.Errorf("row = %+v", row)
	}
	if want := map[string]int64{"attendees": 120, "views": 1500, "sessions": 0}; !reflect.DeepEqual(row.Counts, want) {
		t.Errorf("counts = %v, want %v", row.Counts, want)
	}
	wantCurated := []string{"counts.sessions", "counts.views", "high_impact", "microsoft_event", "private_description"}
	if !reflect.DeepEqual(row.Curated, wantCurated) {
		t.Errorf("curated = %v, want %v", row.Curated, wantCurated)
	}

	// Through the row's other id, later: attendees set, then cleared,
	// and the hand-kept 120 shows again; views cleared there clears the
	// first edit's 1500 too. An empty text clears the curated one.
	other := ShortID("b\x002")
	edits2, err := Curate(log, edits, other, EditRequest{Counts: map[string]*int64{"attendees": ptr(int64(500))}}, opts, editTime.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	all := append(append([]Edit(nil), edits...), edits2...)
	if row := rowWith(t, BuildLog(obs, all, opts), "a\x001"); row.Counts["attendees"] != 500 {
		t.Errorf("attendees after the second edit = %d, want 500", row.Counts["attendees"])
	}
	edits2, err = Curate(log, all, other, EditRequest{Counts: map[string]*int64{"attendees": nil, "views": nil}}, opts, editTime.Add(2*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	all = []Edit{edits[0], edits2[0]}
	row = rowWith(t, BuildLog(obs, all, opts), "a\x001")
	if want := map[string]int64{"attendees": 120, "views": 10, "sessions": 0}; !reflect.DeepEqual(row.Counts, want) {
		t.Errorf("counts after clearing = %v, want %v", row.Counts, want)
	}
	if strings.Contains(strings.Join(row.Curated, " "), "counts.attendees") || strings.Contains(strings.Join(row.Curated, " "), "counts.views") {
		t.Errorf("cleared counts still curated: %v", row.Curated)
	}
	edits3, err := Curate(log, all, talk.ID, EditRequest{PrivateDescription: ptr(""), HighImpact: ptr(true)}, opts, editTime.Add(3*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	row = rowWith(t, BuildLog(obs, []Edit{edits3[0], edits2[0]}, opts), "a\x001")
	if row.PrivateDescription != "Asked back for next year" || !row.HighImpact {
		t.Errorf("after clearing the private description = %+v", row)
	}
}

// A merge records the first row's curated counts, so that they win over
// those curated on the row merged into it.
func TestMergeKeepsCuratedCounts(t *testing.T) {
	obs, opts, log := formsLog(t)
	talk, post := rowWith(t, log, "a\x001"), rowWith(t, log, "blog\x003")
	edits, err := Curate(log, nil, talk.ID, EditRequest{Counts: map[string]*int64{"views": ptr(int64(7))}, MicrosoftEvent: ptr("Ignite")}, opts, editTime)
	if err != nil {
		t.Fatal(err)
	}
	log = BuildLog(obs, edits, opts)
	more, err := Curate(log, edits, post.ID, EditRequest{Counts: map[string]*int64{"views": ptr(int64(99))}}, opts, editTime.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	edits = append(edits, more...)
	log = BuildLog(obs, edits, opts)
	merged, err := Curate(log, edits, talk.ID, EditRequest{Merge: []string{post.ID}}, opts, editTime.Add(2*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if e := merged[0]; e.Counts["views"] == nil || *e.Counts["views"] != 7 || *e.MicrosoftEvent != "Ignite" {
		t.Errorf("merge edit = %+v; want the talk's curated views and event recorded", e)
	}
	row := rowWith(t, BuildLog(obs, []Edit{merged[0], more[0]}, opts), "a\x001")
	if row.Counts["views"] != 7 || row.MicrosoftEvent != "Ignite" {
		t.Errorf("merged row = %+v", row)
	}
}

func TestCurateFormsErrors(t *testing.T) {
	_, opts, log := formsLog(t)
	id := log[0].ID
	for _, tt := range []struct {
		req  EditRequest
		want string
	}{
		{EditRequest{Counts: map[string]*int64{"vews": ptr(int64(1))}}, `did you mean "views"`},
		{EditRequest{Counts: map[string]*int64{"views": ptr(int64(-1))}}, "views=-1: want 0 or more"},
	} {
		_, err := Curate(log, nil, id, tt.req, opts, editTime)
		if !errors.Is(err, ErrInvalidEdit) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Curate(%+v) = %v; want ErrInvalidEdit saying %q", tt.req, err, tt.want)
		}
	}
}

func TestSetFieldForms(t *testing.T) {
	var r EditRequest
	for _, kv := range [][2]string{{"set", "views=1200"}, {"set", " Attendees = 80 "}, {"set", "sessions="},
		{"private-description", "secret"}, {"microsoft-event", "Ignite"}, {"high-impact", ""}} {
		if err := r.SetField(kv[0], kv[1]); err != nil {
			t.Fatalf("SetField(%q, %q): %v", kv[0], kv[1], err)
		}
	}
	want := EditRequest{PrivateDescription: ptr("secret"), MicrosoftEvent: ptr("Ignite"), HighImpact: ptr(true),
		Counts: map[string]*int64{"views": ptr(int64(1200)), "attendees": ptr(int64(80)), "sessions": nil}}
	if !reflect.DeepEqual(r, want) {
		t.Errorf("request = %+v, want %+v", r, want)
	}
	if err := r.SetField("high-impact", "false"); err != nil || *r.HighImpact {
		t.Errorf("high-impact=false: %v, %v", r.HighImpact, err)
	}
	for _, tt := range []struct{ name, value, want string }{
		{"set", "vews=1", `unknown count "vews" (did you mean "views"?); counts: views, sessions, live_views, ondemand_views, attendees`},
		{"set", "views", "want KEY=N"},
		{"set", "views=-3", "want 0 or more"},
		{"set", "views=1.5", "want a whole number"},
		{"set", "views=lots", "want a whole number"},
		{"set", "reach=5", `unknown count "reach"`},
		{"high-impact", "maybe", "expected true or false"},
	} {
		var r EditRequest
		if err := r.SetField(tt.name, tt.value); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("SetField(%q, %q) = %v; want %q", tt.name, tt.value, err, tt.want)
		}
	}
}
