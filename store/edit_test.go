package store

import (
	"context"
	"reflect"
	"testing"

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
