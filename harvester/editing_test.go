package harvester

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

var editTime = day0.AddDate(1, 0, 0)

// curateLog is a small log to edit: a cross-posted post (two
// observations), a talk and a video.
func curateLog(t *testing.T) ([]Observation, LogOptions, []Contribution) {
	t.Helper()
	obs := []Observation{
		blogObs("blog", "1", "Zero Trust in Practice", "https://priya.dev/zt", 0),
		declares(blogObs("devto", "2", "Zero Trust in Practice", "https://dev.to/p/zt", 1), "https://priya.dev/zt"),
		talkObs("sz", "3", "Bicep modules at scale", "https://sessionize.com/s/3", 5),
		videoObs("yt", "4", "Bicep modules at scale (recording)", "https://youtube.com/watch?v=4", 9),
	}
	opts := LogOptions{Location: time.UTC, Areas: []Area{{"Identity & Access", []string{"zero trust"}}}}
	log := BuildLog(obs, nil, opts)
	if len(log) != 3 {
		t.Fatalf("fixture log has %d rows, want 3", len(log))
	}
	return obs, opts, log
}

func TestCurateFields(t *testing.T) {
	obs, opts, log := curateLog(t)
	post := rowWith(t, log, "blog\x001")
	req := EditRequest{Exclude: ptr(true), ActivityType: ptr("article"), Title: ptr("  Zero Trust,\tfor real "),
		Date: ptr("2025-01-31"), Role: ptr("Editor"), Area: ptr("identity & access"), Reach: ptr(int64(5000)), Quantity: ptr(2)}
	got, err := Curate(log, nil, strings.ToUpper(post.ID), req, opts, editTime)
	if err != nil {
		t.Fatalf("Curate: %v", err)
	}
	want := Edit{ID: post.ID, Anchors: []string{"blog\x001", "devto\x002"}, Exclude: ptr(true), ActivityType: ptr(TypeArticle),
		Title: ptr("Zero Trust, for real"), Date: ptr("2025-01-31"), Role: ptr("Editor"), Area: ptr("Identity & Access"),
		Reach: ptr(int64(5000)), Quantity: ptr(2), Updated: editTime}
	if !reflect.DeepEqual(got, []Edit{want}) {
		t.Fatalf("edits\n got %+v\nwant %+v", got, []Edit{want})
	}
	// A second request folds into the first; empty values and --include clear.
	got, err = Curate(log, got, post.ID, EditRequest{Exclude: ptr(false), Title: ptr(""), Reach: ptr(int64(0))}, opts, editTime.Add(time.Hour))
	if err != nil {
		t.Fatalf("Curate again: %v", err)
	}
	e := got[0]
	if e.Exclude != nil || e.Title != nil || *e.Reach != 0 || *e.Role != "Editor" || !e.Updated.Equal(editTime.Add(time.Hour)) {
		t.Errorf("folded edit = %+v", e)
	}
	row := rowWith(t, BuildLog(obs, got, opts), "blog\x001")
	if row.Title != "Zero Trust in Practice" || row.Excluded || row.Reach != 0 || row.ActivityType != TypeArticle || row.Date != "2025-01-31" {
		t.Errorf("row after edits = %+v", row)
	}
}

func TestCurateErrors(t *testing.T) {
	_, opts, log := curateLog(t)
	post := rowWith(t, log, "blog\x001")
	talk := rowWith(t, log, "sz\x003")
	tests := []struct {
		name string
		id   string
		req  EditRequest
		want error
		msg  string
	}{
		{"unknown id", "nosuchrow0", EditRequest{Title: ptr("x")}, ErrNotFound, "nosuchrow0"},
		{"nothing to change", post.ID, EditRequest{}, ErrInvalidEdit, "nothing to change"},
		{"bad date", post.ID, EditRequest{Date: ptr("2025-02-30")}, ErrInvalidEdit, `"2025-02-30"`},
		{"bad date format", post.ID, EditRequest{Date: ptr("31/01/2025")}, ErrInvalidEdit, "YYYY-MM-DD"},
		{"unknown type", post.ID, EditRequest{ActivityType: ptr("Tweet")}, ErrInvalidEdit, "known types: Blog"},
		{"negative reach", post.ID, EditRequest{Reach: ptr(int64(-1))}, ErrInvalidEdit, "reach -1"},
		{"zero quantity", post.ID, EditRequest{Quantity: ptr(0)}, ErrInvalidEdit, "quantity 0"},
		{"merge with itself", post.ID, EditRequest{Merge: []string{"blog\x001"}}, ErrNotFound, ""},
		{"merge with own row", post.ID, EditRequest{Merge: []string{ShortID("devto\x002")}}, ErrInvalidEdit, "already one row"},
		{"merge unknown", post.ID, EditRequest{Merge: []string{"zzzzzzzzzz"}}, ErrNotFound, "zzzzzzzzzz"},
		{"merge and split", post.ID, EditRequest{Merge: []string{talk.ID}, Split: true}, ErrInvalidEdit, "contradict"},
		{"split a single observation", talk.ID, EditRequest{Split: true}, ErrInvalidEdit, "nothing to split"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Curate(log, nil, tt.id, tt.req, opts, editTime)
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("err = %v, want %v containing %q", err, tt.want, tt.msg)
			}
		})
	}
}

func TestCurateMergeAndSplit(t *testing.T) {
	obs, opts, log := curateLog(t)
	talk := rowWith(t, log, "sz\x003")
	video := rowWith(t, log, "yt\x004")
	// Merged under the newer row's id, the row keeps the older row's id.
	edits, err := Curate(log, nil, video.ID, EditRequest{Merge: []string{talk.ID}}, opts, editTime)
	if err != nil {
		t.Fatalf("merge: %v", err)
	}
	log = BuildLog(obs, edits, opts)
	merged := rowWith(t, log, "sz\x003")
	if len(log) != 2 || len(merged.Observations) != 2 || merged.ID != talk.ID {
		t.Fatalf("after merge: %q, merged row %+v", groupsOf(log), merged)
	}
	// The old id of the merged-away row still finds the merged row.
	if c, ok := FindContribution(log, video.ID); !ok || c.ID != merged.ID {
		t.Errorf("FindContribution(%s) = %s, %v", video.ID, c.ID, ok)
	}
	// Splitting the row (under its id, so a new edit) clears the forced
	// merge the video's edit made.
	split, err := Curate(log, edits, talk.ID, EditRequest{Split: true, Title: ptr("Talk, split")}, opts, editTime.Add(time.Hour))
	if err != nil {
		t.Fatalf("split: %v", err)
	}
	if len(split) != 2 || split[0].ID != talk.ID || !split[0].Split || split[1].ID != video.ID ||
		split[1].MergeWith != nil || split[1].MergeAnchors != nil || !split[1].Updated.Equal(editTime) {
		t.Fatalf("split edits = %+v", split)
	}
	log = BuildLog(obs, split, opts) // the store replaces the video's edit by id
	if got := groupsOf(log); !reflect.DeepEqual(got, []string{"blog/1+devto/2", "sz/3", "yt/4"}) {
		t.Fatalf("after split: %q", got)
	}
	if r := rowWith(t, log, "sz\x003"); r.Title != "Talk, split" {
		t.Errorf("split row = %+v", r)
	}
	// Merging again joins the two rows across the split, which stays
	// (what else the rules would join stays apart).
	again, err := Curate(log, split, talk.ID, EditRequest{Merge: []string{video.ID}}, opts, editTime.Add(2*time.Hour))
	if err != nil {
		t.Fatalf("merge again: %v", err)
	}
	if !again[0].Split || !reflect.DeepEqual(again[0].MergeWith, []string{video.ID}) || *again[0].Title != "Talk, split" {
		t.Errorf("merge after split = %+v", again[0])
	}
	log = BuildLog(obs, []Edit{again[0], split[1]}, opts)
	if got := groupsOf(log); !reflect.DeepEqual(got, []string{"blog/1+devto/2", "sz/3+yt/4"}) {
		t.Fatalf("after merging again: %q", got)
	}
}

func TestNewEdit(t *testing.T) {
	c := Contribution{ID: "abc", Observations: []ObservationRef{{Source: "yt", NativeID: "2"}, {Source: "blog", NativeID: "1"}}}
	e := NewEdit(&c, time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("x", 3600)))
	want := Edit{ID: "abc", Anchors: []string{"blog\x001", "yt\x002"}, Updated: time.Date(2026, 1, 2, 2, 4, 5, 0, time.UTC)}
	if !reflect.DeepEqual(e, want) {
		t.Errorf("NewEdit = %+v, want %+v", e, want)
	}
}

// SetField reads a field as the `contriblog edit` flag and the daemon's
// form field of that name give it.
func TestEditRequestSetField(t *testing.T) {
	s := func(v string) *string { return &v }
	yes, no, reach, qty := true, false, int64(85), 3
	tests := []struct {
		fields  [][2]string
		want    EditRequest
		wantErr string
	}{
		{[][2]string{{"exclude", ""}}, EditRequest{Exclude: &yes}, ""},
		{[][2]string{{"exclude", "true"}, {"include", "false"}}, EditRequest{Exclude: &yes}, ""},
		{[][2]string{{"include", "1"}}, EditRequest{Exclude: &no}, ""},
		{[][2]string{{"exclude", "false"}}, EditRequest{}, ""},
		{[][2]string{{"exclude", ""}, {"include", ""}}, EditRequest{}, "exclude and include contradict each other"},
		{[][2]string{{"split", "maybe"}}, EditRequest{}, `split="maybe": expected true or false`},
		{[][2]string{{"title", ""}, {"type", "Blog"}, {"date", "2026-01-02"}, {"role", "Host"}, {"area", "Go"}},
			EditRequest{Title: s(""), ActivityType: s("Blog"), Date: s("2026-01-02"), Role: s("Host"), Area: s("Go")}, ""},
		{[][2]string{{"reach", " 85 "}, {"quantity", "3"}}, EditRequest{Reach: &reach, Quantity: &qty}, ""},
		{[][2]string{{"reach", "lots"}}, EditRequest{}, `reach "lots": expected a whole number`},
		{[][2]string{{"merge", " b2"}, {"merge", "c3 "}, {"split", ""}}, EditRequest{Merge: []string{"b2", "c3"}, Split: true}, ""},
		{[][2]string{{"colour", "red"}}, EditRequest{}, `unknown field "colour"`},
		{[][2]string{{"url", " https://priya.dev/zt "}, {"description", "About"}, {"audience", "IT Pro"}, {"audience", " Devs "},
			{"additional-area", "Security"}}, EditRequest{URL: s("https://priya.dev/zt"), Description: s("About"),
			TargetAudience: []string{"IT Pro", "Devs"}, AdditionalAreas: []string{"Security"}}, ""},
		{[][2]string{{"url", ""}, {"audience", ""}, {"additional-area", ""}}, EditRequest{URL: s(""), TargetAudience: []string{},
			AdditionalAreas: []string{}}, ""},
		{[][2]string{{"url", "mailto:p@example.com"}}, EditRequest{}, `url "mailto:p@example.com": want an http:// or https:// address`},
		{[][2]string{{"url", "https://exa mple.com"}}, EditRequest{}, `url "https://exa mple.com": a URL has no spaces or control characters`},
	}
	for _, tt := range tests {
		var got EditRequest
		var err error
		for _, f := range tt.fields {
			if err = got.SetField(f[0], f[1]); err != nil {
				break
			}
		}
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("%v: error %v; want %q", tt.fields, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%v: %+v, %v; want %+v", tt.fields, got, err, tt.want)
		}
	}
}
