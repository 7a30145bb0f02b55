package harvester

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"
	_ "time/tzdata" // the fixture person lives in Amsterdam, whatever the machine has
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json from the current output")

// TestGoldenLog builds the log of a fixture person with a blog, its
// dev.to, Medium and Hashnode copies, a calendar, a Meetup group, a
// Sessionize event, YouTube, GitHub, two podcast feeds and a hand-kept
// file, curated with a few edits, and compares it with the reviewed
// testdata/person.golden.json (go test -run Golden -update rewrites it).
func TestGoldenLog(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "person.json"))
	if err != nil {
		t.Fatal(err)
	}
	var obs []Observation
	if err := json.Unmarshal(raw, &obs); err != nil {
		t.Fatalf("decode person.json: %v", err)
	}
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	opts := LogOptions{Location: ams, Priority: map[string]int{"manual": 10},
		Areas: []Area{
			{"Identity & Access", []string{"entra", "zero trust", "conditional access", "passwordless", "fido2"}},
			{"Infrastructure as Code", []string{"bicep", "terraform"}},
			{"Cloud Native", []string{"kubernetes", "cloud native"}},
		},
		SourceAreas: map[string][]string{"github": {"Developer Tools"}}}
	edits := goldenEdits(t, obs, opts)
	log := BuildLog(obs, edits, opts)
	got, err := json.MarshalIndent(log, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	golden := filepath.Join("testdata", "person.golden.json")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -run Golden -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("log differs from %s; review the difference and run go test -run Golden -update\n%s", golden, got)
	}
}

// goldenEdits curates the fixture as a person would with `contriblog edit`.
func goldenEdits(t *testing.T, obs []Observation, opts LogOptions) []Edit {
	t.Helper()
	id := func(src, native string) string { return ShortID(ObservationKey(src, native)) }
	steps := []struct {
		id  string
		req EditRequest
	}{
		{id("hashnode", "66f1a2b3c4"), EditRequest{Exclude: ptr(true)}},
		{id("github", "https://github.com/priyar/bicep-modules/releases/tag/v1.0.0"),
			EditRequest{Title: ptr("bicep-modules 1.0: the first stable release")}},
		{id("usergroup", "305112233@meetup.com"), EditRequest{Reach: ptr(int64(45))}},
		{id("github", "https://github.com/contoso/tool/pull/42"),
			EditRequest{Merge: []string{id("github", "https://github.com/contoso/tool/issues/41")}}},
	}
	var edits []Edit
	at := time.Date(2025, 10, 21, 9, 0, 0, 0, time.UTC)
	for i, s := range steps {
		save, err := Curate(BuildLog(obs, edits, opts), edits, s.id, s.req, opts, at.Add(time.Duration(i)*time.Minute))
		if err != nil {
			t.Fatalf("edit %s: %v", s.id, err)
		}
		for _, e := range save {
			edits = replaceEdit(edits, e)
		}
	}
	return edits
}

// replaceEdit stores e the way the store does: by id.
func replaceEdit(edits []Edit, e Edit) []Edit {
	for i := range edits {
		if edits[i].ID == e.ID {
			edits[i] = e
			return edits
		}
	}
	return append(edits, e)
}
