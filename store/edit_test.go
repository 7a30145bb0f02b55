package store

import (
	"context"
	"reflect"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/contriblog/contriblog/harvester"
)

func ptr[T any](v T) *T { return &v }

func TestEdits(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	if got, err := db.Edits(ctx); err != nil || len(got) != 0 {
		t.Fatalf("empty store: %v %v", got, err)
	}
	b := harvester.Edit{ID: "bbbbbbbbbb", Anchors: []string{"blog\x00x"}, Exclude: ptr(true), Updated: pass(0)}
	a := harvester.Edit{ID: "aaaaaaaaaa", Anchors: []string{"gh\x00y"}, Title: ptr("Better title"), Reach: ptr(int64(300)),
		MergeWith: []string{"cccccccccc"}, MergeAnchors: []string{"gh\x00z"}, Updated: pass(1)}
	for _, e := range []harvester.Edit{b, a} {
		if err := db.SaveEdit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.Edits(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, []harvester.Edit{a, b}) {
		t.Errorf("got %+v, want a then b", got)
	}

	// A returned edit is a copy.
	*got[0].Title = "mutated"
	got[0].Anchors[0] = "mutated"

	a.Title = ptr("Even better")
	if err := db.SaveEdit(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteEdit(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteEdit(ctx, "nonexistent"); err != nil {
		t.Errorf("deleting a missing edit: %v", err)
	}
	got, err = db.Edits(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || *got[0].Title != "Even better" || got[0].Anchors[0] != "gh\x00y" {
		t.Errorf("after replace and delete: %+v", got)
	}
	if err := db.SaveEdit(ctx, harvester.Edit{}); err == nil {
		t.Error("an edit without id was stored")
	}
}

func TestEditsSurviveHarvestAndRebuild(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	e := harvester.Edit{ID: "aaaaaaaaaa", Exclude: ptr(true)}
	if err := db.SaveEdit(ctx, e); err != nil {
		t.Fatal(err)
	}
	mustSave(t, db, "blog", batchOf("blog", 3), pass(0))
	if err := db.ReplaceLog(ctx, []harvester.Contribution{{ID: "x", Date: "2026-01-01"}}); err != nil {
		t.Fatal(err)
	}
	got, err := db.Edits(ctx)
	if err != nil || len(got) != 1 || !*got[0].Exclude {
		t.Errorf("edits after a harvest and a rebuild: %+v %v", got, err)
	}
}

// An edit stored before the fields of issue 15 (url, description,
// audience, additional areas, split anchors, merged) decodes with them
// unset, and one with them round-trips.
func TestEditCodecOldAndNewFields(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	old := `{"id":"aaaaaaaaaa","anchors":["blog\u0000x","devto\u0000y"],"title":"Kept","merge_with":["bbbbbbbbbb"],` +
		`"merge_anchors":["gh\u0000z"],"split":true,"updated":"2026-01-02T03:04:05Z"}`
	if err := db.bolt.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketEdits).Put([]byte("aaaaaaaaaa"), []byte(old))
	}); err != nil {
		t.Fatal(err)
	}
	got, err := db.Edits(ctx)
	if err != nil || len(got) != 1 {
		t.Fatalf("edits %+v, %v", got, err)
	}
	e := got[0]
	if *e.Title != "Kept" || !e.Split || e.URL != nil || e.Description != nil || e.TargetAudience != nil ||
		e.AdditionalAreas != nil || e.SplitAnchors != nil || !e.Merged.IsZero() || len(e.Anchors) != 2 {
		t.Errorf("old edit decoded as %+v", e)
	}
	e.URL, e.Description = ptr("https://priya.dev/zt"), ptr("About zero trust")
	e.TargetAudience, e.AdditionalAreas = []string{"IT Pro"}, []string{"Security"}
	e.SplitAnchors, e.Merged = []string{"blog\x00x"}, pass(3)
	if err := db.SaveEdit(ctx, e); err != nil {
		t.Fatal(err)
	}
	if got, err := db.Edits(ctx); err != nil || !reflect.DeepEqual(got[0].TargetAudience, e.TargetAudience) ||
		*got[0].URL != *e.URL || *got[0].Description != *e.Description || !got[0].Merged.Equal(e.Merged) ||
		!reflect.DeepEqual(got[0].SplitAnchors, e.SplitAnchors) || !reflect.DeepEqual(got[0].AdditionalAreas, e.AdditionalAreas) {
		t.Errorf("round trip: %+v, %v; want %+v", got, err, e)
	}
}

// The fields of issue 16 round-trip, a count cleared (nil) included, and
// an edit stored before them decodes with them unset.
func TestEditCodecFormsFields(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	old := `{"id":"aaaaaaaaaa","anchors":["blog\u0000x"],"reach":5,"updated":"2026-01-02T03:04:05Z"}`
	if err := db.bolt.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketEdits).Put([]byte("aaaaaaaaaa"), []byte(old))
	}); err != nil {
		t.Fatal(err)
	}
	got, err := db.Edits(ctx)
	if err != nil || len(got) != 1 {
		t.Fatalf("edits %+v, %v", got, err)
	}
	e := got[0]
	if e.PrivateDescription != nil || e.MicrosoftEvent != nil || e.HighImpact != nil || e.Counts != nil || *e.Reach != 5 {
		t.Errorf("old edit decoded as %+v", e)
	}
	e.PrivateDescription, e.MicrosoftEvent, e.HighImpact = ptr("Only for the program"), ptr("Ignite"), ptr(false)
	e.Counts = map[string]*int64{"views": ptr(int64(1200)), "attendees": nil}
	if err := db.SaveEdit(ctx, e); err != nil {
		t.Fatal(err)
	}
	got, err = db.Edits(ctx)
	if err != nil || !reflect.DeepEqual(got[0], e) {
		t.Errorf("round trip: %+v, %v; want %+v", got, err, e)
	}
	if c, ok := got[0].Counts["attendees"]; !ok || c != nil {
		t.Errorf("a cleared count came back as %v, %v", c, ok)
	}
}
