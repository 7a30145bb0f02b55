package portal

import (
	"os"
	"reflect"
	"testing"

	"github.com/contriblog/contriblog/harvester"
)

func rows() []harvester.Contribution {
	return []harvester.Contribution{
		{ID: "ca", Title: "Conditional Access policies you should have on day one", Date: "2026-11-13",
			URL: "https://priyaraman.dev/2026/11/conditional-access/", OtherURLs: []string{"https://dev.to/priya/ca"}},
		{ID: "bicep", Title: "Bicep modules for landing zones - the boring way", Date: "2026-09-19", URL: "https://priyaraman.dev/bicep"},
		{ID: "pk", Title: "Passkeys for admins: a rollout diary", Date: "2026-07-16", URL: "https://priyaraman.dev/passkeys",
			Observations: []harvester.ObservationRef{{Source: "blog", NativeID: "pk", URL: "https://priyaraman.dev/passkeys-de"}}},
		{ID: "zt1", Title: "Zero Trust in Practice", Date: "2026-03-20"},
		{ID: "zt2", Title: "Zero Trust in Practice", Date: "2026-10-24"},
		{ID: "meet", Title: "Monthly meetup talk", Date: "2026-05-03"},
		{ID: "left", Title: "Something not yet entered", Date: "2026-06-01"},
	}
}

func TestParseMVP(t *testing.T) {
	data, err := os.ReadFile("testdata/mvp-privacy.json")
	if err != nil {
		t.Fatal(err)
	}
	entries, deleted, err := ParseMVP(data)
	if err != nil {
		t.Fatal(err)
	}
	if deleted != 1 || len(entries) != 7 {
		t.Fatalf("%d entries, %d deleted; want 7 and 1", len(entries), deleted)
	}
	e := entries[0]
	want := Entry{RemoteID: "101", Title: "Conditional Access policies for day one (renamed in the portal)", Description: "Blog post.",
		URL: "http://www.priyaraman.dev/2026/11/conditional-access/?utm_source=mvp", Date: "2026-11-13", Type: "Blog",
		Areas: []string{"Identity & Access"}, Audience: []string{"IT Pro", "Developer"}, HighImpact: true, Reach: 1200}
	e.Raw = nil
	if !reflect.DeepEqual(e, want) {
		t.Errorf("entry 0:\n got %+v\nwant %+v", e, want)
	}
	if entries[1].Date != "2026-09-21" || entries[2].Title != "Passkeys für Admins: ein Rollout-Tagebuch ★" {
		t.Errorf("dates or titles: %+v %+v", entries[1].Date, entries[2].Title)
	}
	for _, bad := range []string{`[]`, `{"other": 1}`, `{"mostValuableProfessionalProgram": {"activities": [{"title": "x", "dateCreated": "yesterday"}]}}`} {
		if _, _, err := ParseMVP([]byte(bad)); err == nil {
			t.Errorf("ParseMVP(%s) read it", bad)
		}
	}
	if es, _, err := ParseMVP([]byte(`{"mostValuableProfessionalProgram": {}}`)); err != nil || len(es) != 0 {
		t.Errorf("no activities: %v %v", es, err)
	}
}

func TestMatches(t *testing.T) {
	data, _ := os.ReadFile("testdata/mvp-privacy.json")
	entries, _, err := ParseMVP(data)
	if err != nil {
		t.Fatal(err)
	}
	res := Matches(entries, rows())
	want := Result{
		Matched: []Match{
			{Entry: 0, Row: 0, How: "url"},            // renamed in the portal: found by its link
			{Entry: 1, Row: 1, How: "title and date"}, // no link; the dash and two days apart
			{Entry: 2, Row: 2, How: "url"},            // a non-ASCII title, the link of one of its observations
			{Entry: 6, Row: 5, How: "title"},          // two months apart, but the only row of that title
		},
		Doubts:           []Doubt{{Entry: 5, Rows: []int{3, 4}, Why: "2 rows have the same title"}},
		Duplicates:       []Match{{Entry: 3, Row: 0, How: "url"}}, // entered twice in the portal
		UnmatchedEntries: []int{4},
		UnmatchedRows:    []int{6},
	}
	if !reflect.DeepEqual(res, want) {
		t.Errorf("Matches:\n got %+v\nwant %+v", res, want)
	}
	// The title rule picks the row within a week over one further away.
	one := []Entry{{Title: "Zero Trust in Practice", Date: "2026-10-22"}}
	if res := Matches(one, rows()); len(res.Matched) != 1 || res.Matched[0].Row != 4 {
		t.Errorf("title and date: %+v", res)
	}
}
