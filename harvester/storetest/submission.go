package storetest

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/contriblog/contriblog/harvester"
)

// submissionCases pin Submissions, SaveSubmissions and DeleteSubmissions.
var submissionCases = []testCase{
	{"Submissions/are ordered by program and id; SaveSubmissions replaces the record of its program and id", func(t *testing.T, s harvester.Store) {
		ctx := context.Background()
		if got, err := s.Submissions(ctx); err != nil || len(got) != 0 {
			t.Fatalf("an empty store's submissions: %+v, %v", got, err)
		}
		imported := harvester.Submission{Program: "mvp", ID: "b", Anchors: []string{"blog\x00b"}, At: pass(1),
			How: harvester.SubmittedImported, Title: "Zero Trust in Practice ★", Values: json.RawMessage(`{"title":"Zero Trust in Practice ★"}`)}
		if err := s.SaveSubmissions(ctx, []harvester.Submission{
			imported,
			{Program: "stars", ID: "a", Anchors: []string{"blog\x00a"}, At: pass(1), How: harvester.SubmittedPushed, RemoteID: "a"},
			{Program: "mvp", ID: "a", At: pass(1), How: harvester.SubmittedMarked},
		}); err != nil {
			t.Fatal(err)
		}
		again := harvester.Submission{Program: "mvp", ID: "a", Anchors: []string{"blog\x00a"}, At: pass(2), How: harvester.SubmittedMarked}
		if err := s.SaveSubmissions(ctx, []harvester.Submission{again}); err != nil {
			t.Fatal(err)
		}
		got, err := s.Submissions(ctx)
		want := []harvester.Submission{again, imported,
			{Program: "stars", ID: "a", Anchors: []string{"blog\x00a"}, At: pass(1), How: harvester.SubmittedPushed, RemoteID: "a"}}
		if err != nil || !same(got, want) {
			t.Errorf("submissions %+v, %v; want %+v", got, err, want)
		}
		if n, err := s.DeleteSubmissions(ctx, "mvp", []string{"a", "zz"}); n != 1 || err != nil {
			t.Errorf("DeleteSubmissions = %d, %v; want 1", n, err)
		}
		if got, _ := s.Submissions(ctx); len(got) != 2 || got[0].ID != "b" {
			t.Errorf("after the delete: %+v", got)
		}
	}},
	{"SaveSubmissions/is all or nothing and refuses a record Check refuses", func(t *testing.T, s harvester.Store) {
		ctx := context.Background()
		for _, bad := range []harvester.Submission{{ID: "a", How: harvester.SubmittedMarked}, {Program: "mvp", How: harvester.SubmittedMarked},
			{Program: "mvp", ID: "a", How: "guessed"}} {
			err := s.SaveSubmissions(ctx, []harvester.Submission{{Program: "mvp", ID: "ok", How: harvester.SubmittedMarked}, bad})
			if err == nil {
				t.Errorf("stored %+v", bad)
			}
		}
		if got, _ := s.Submissions(ctx); len(got) != 0 {
			t.Errorf("a refused call stored %+v", got)
		}
	}},
	{"SaveSubmissions and Submissions/share nothing with their callers", func(t *testing.T, s harvester.Store) {
		ctx := context.Background()
		r := harvester.Submission{Program: "gde", ID: "a", Anchors: []string{"blog\x00a"}, At: pass(1), How: harvester.SubmittedPushed,
			Values: json.RawMessage(`{"k":1}`)}
		if err := s.SaveSubmissions(ctx, []harvester.Submission{r}); err != nil {
			t.Fatal(err)
		}
		r.Anchors[0], r.Values[1] = "scribbled", 'x'
		got, _ := s.Submissions(ctx)
		got[0].Anchors[0] = "scribbled"
		if again, _ := s.Submissions(ctx); again[0].Anchors[0] != "blog\x00a" || string(again[0].Values) != `{"k":1}` {
			t.Errorf("the stored record changed: %+v", again[0])
		}
	}},
}
