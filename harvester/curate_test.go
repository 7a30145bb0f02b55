package harvester

import (
	"fmt"
	"reflect"
	"testing"
	"time"
)

func ptrTo[T any](v T) *T { return &v }

func rowWith(t *testing.T, log []Contribution, key string) Contribution {
	t.Helper()
	src, id := SplitObservationKey(key)
	for _, c := range log {
		for _, r := range c.Observations {
			if r.Source == src && r.NativeID == id {
				return c
			}
		}
	}
	t.Fatalf("no row holds %q", key)
	return Contribution{}
}

func anchorsOfRow(c Contribution) []string {
	var out []string
	for _, r := range c.Observations {
		out = append(out, ObservationKey(r.Source, r.NativeID))
	}
	return out
}

func TestEditsSurviveHarvests(t *testing.T) {
	opts := LogOptions{Location: time.UTC}
	obs := []Observation{blogObs("blog", "1", "Zero Trust in Practice", "https://priya.dev/zt", 0)}
	c := BuildLog(obs, nil, opts)[0]
	edit := Edit{ID: c.ID, Anchors: anchorsOfRow(c), Title: ptrTo("Zero Trust, for real"), Reach: ptrTo(int64(5000)),
		Exclude: ptrTo(true), ActivityType: ptrTo(TypeArticle), Date: ptrTo("2025-01-01"), Role: ptrTo("Editor"),
		Area: ptrTo("Security"), Quantity: ptrTo(3)}
	for pass := 0; pass < 10; pass++ {
		o := blogObs(fmt.Sprintf("mirror%d", pass), "x", "Zero Trust in Practice", fmt.Sprintf("https://mirror%d.example/zt", pass), pass%3)
		o.FirstSeen = day0.AddDate(0, 0, 1+pass)
		o.Metrics = map[string]int64{"views": 99999}
		obs = append(obs, o)
		log := BuildLog(obs, []Edit{edit}, opts)
		if len(log) != 1 {
			t.Fatalf("pass %d: %d rows, want 1", pass, len(log))
		}
		got := log[0]
		if got.ID != c.ID || got.Title != "Zero Trust, for real" || got.Reach != 5000 || !got.Excluded ||
			got.ActivityType != TypeArticle || got.Date != "2025-01-01" || got.Role != "Editor" ||
			got.PrimaryArea != "Security" || got.Quantity != 3 {
			t.Fatalf("pass %d: row = %+v", pass, got)
		}
		want := []string{"activity_type", "date", "excluded", "primary_area", "quantity", "reach", "role", "title"}
		if !reflect.DeepEqual(got.Curated, want) {
			t.Fatalf("curated = %q, want %q", got.Curated, want)
		}
	}
}

func TestEditFollowsMergeWithOlder(t *testing.T) {
	opts := LogOptions{Location: time.UTC}
	newer := blogObs("devto", "9", "Some title here", "https://dev.to/p/zt", 0)
	newer.FirstSeen = day0.AddDate(0, 0, 5)
	c := BuildLog([]Observation{newer}, nil, opts)[0]
	edit := Edit{ID: c.ID, Anchors: anchorsOfRow(c), Title: ptrTo("Curated")}
	older := blogObs("blog", "1", "Other title there", "https://priya.dev/zt", 0)
	newer.CanonicalURL = older.URL
	log := BuildLog([]Observation{newer, older}, []Edit{edit}, opts)
	if len(log) != 1 || log[0].ID != ShortID(older.Key()) || log[0].Title != "Curated" {
		t.Fatalf("log = %+v", log)
	}
}

func TestStructuralEdits(t *testing.T) {
	opts := LogOptions{Location: time.UTC}
	a := blogObs("blog", "1", "Zero Trust in Practice", "https://priya.dev/zt", 0)
	b := blogObs("devto", "2", "Zero Trust in Practice", "https://dev.to/p/zt", 1)
	other := blogObs("notes", "3", "Something else entirely", "https://notes.example/x", 2)
	merged := BuildLog([]Observation{a, b, other}, nil, opts)
	if len(merged) != 2 {
		t.Fatalf("%d rows, want 2", len(merged))
	}
	ab := rowWith(t, merged, a.Key())
	split := Edit{ID: ab.ID, Anchors: anchorsOfRow(ab), Split: true, Title: ptrTo("Mine")}
	// A later listing joining by rule does not undo the split.
	late := blogObs("medium", "4", "Zero Trust in Practice", "https://medium.com/p/zt", 2)
	log := BuildLog([]Observation{a, b, other, late}, []Edit{split}, opts)
	if got := groupsOf(log); !reflect.DeepEqual(got, []string{"blog/1", "devto/2", "medium/4", "notes/3"}) {
		t.Fatalf("after split groups = %q", got)
	}
	if r := rowWith(t, log, a.Key()); r.Title != "Mine" {
		t.Errorf("split edit's fields: %+v", r)
	}
	// A forced merge of two split rows holds; the split still holds for the rest.
	oc := rowWith(t, log, other.Key())
	bc := rowWith(t, log, b.Key())
	merge := Edit{ID: oc.ID, Anchors: anchorsOfRow(oc), MergeWith: []string{bc.ID}, MergeAnchors: anchorsOfRow(bc)}
	log = BuildLog([]Observation{a, b, other, late}, []Edit{split, merge}, opts)
	if got := groupsOf(log); !reflect.DeepEqual(got, []string{"blog/1", "devto/2+notes/3", "medium/4"}) {
		t.Fatalf("after merge groups = %q", got)
	}
	if r := rowWith(t, log, b.Key()); r.ID != oc.ID && r.ID != bc.ID {
		t.Errorf("merged row id %q is neither %q nor %q", r.ID, oc.ID, bc.ID)
	}
}

func TestEditFollowsItsObservationsOnSplit(t *testing.T) {
	opts := LogOptions{Location: time.UTC}
	a := blogObs("blog", "1", "Zero Trust in Practice", "https://priya.dev/zt", 0)
	b := blogObs("hashnode", "2", "Zero Trust in Practice", "https://p.hashnode.dev/zt", 1)
	b.FirstSeen = a.FirstSeen.Add(-time.Hour) // b is the anchor
	row := BuildLog([]Observation{a, b}, nil, opts)[0]
	if row.ID != ShortID(b.Key()) {
		t.Fatalf("row id %s, want the anchor's %s", row.ID, ShortID(b.Key()))
	}
	edit := NewEdit(&row, editTime)
	edit.Title = ptrTo("Curated title")
	// b is retitled at its source: the rules no longer join the two.
	b.Title = "Zero Trust in Practice, part two"
	log := BuildLog([]Observation{a, b}, []Edit{edit}, opts)
	if len(log) != 2 {
		t.Fatalf("%d rows, want 2", len(log))
	}
	ra, rb := rowWith(t, log, a.Key()), rowWith(t, log, b.Key())
	if rb.ID != row.ID || rb.Title != "Curated title" || ra.ID != ShortID(a.Key()) || ra.Title != a.Title || ra.Curated != nil {
		t.Errorf("after the split by data: a = %+v, b = %+v", ra, rb)
	}
	// When the observation the id was made from is gone, an anchor carries the edit.
	log = BuildLog([]Observation{a}, []Edit{edit}, opts)
	if log[0].Title != "Curated title" {
		t.Errorf("edit with its id's observation gone: %+v", log[0])
	}
}

func TestEditIgnoresValuesNoHelperStores(t *testing.T) {
	obs := []Observation{blogObs("blog", "1", "Zero Trust in Practice", "https://priya.dev/zt", 0)}
	c := BuildLog(obs, nil, LogOptions{Location: time.UTC})[0]
	e := NewEdit(&c, editTime)
	e.Date, e.Reach, e.Quantity = ptrTo("31/12/2025"), ptrTo(int64(-5)), ptrTo(0)
	got := BuildLog(obs, []Edit{e}, LogOptions{Location: time.UTC})[0]
	if got.Date != c.Date || got.Reach != c.Reach || got.Quantity != 1 || got.Curated != nil {
		t.Errorf("row = %+v", got)
	}
}
