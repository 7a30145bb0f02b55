package store

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/contriblog/contriblog/harvester"
)

func row(id, date string) harvester.Contribution {
	return harvester.Contribution{
		ID: id, Person: "Priya Raman", ActivityType: "Blog", Date: date, Title: "Title " + id,
		URL: "https://priyaraman.dev/" + id, Role: "Author", Quantity: 1,
		AdditionalAreas: []string{"Bicep"}, Sources: []string{"blog"},
		Metrics:      map[string]int64{"views": 3},
		Observations: []harvester.ObservationRef{{Source: "blog", NativeID: id, FirstSeen: pass(0), LastSeen: pass(1)}},
	}
}

// readLog returns the ids of the stored log, in the order ForEachContribution gives.
func readLog(t *testing.T, db *DB) []string {
	t.Helper()
	var ids []string
	err := db.ForEachContribution(context.Background(), func(c *harvester.Contribution) error {
		ids = append(ids, c.ID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func TestReplaceLog(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	tests := []struct {
		name string
		log  []harvester.Contribution
		want []string
	}{
		{"sorted by date then id", []harvester.Contribution{row("b", "2025-05-01"), row("a", "2025-06-01"), row("c", "2025-06-01")}, []string{"b", "a", "c"}},
		{"ties keep the given order", []harvester.Contribution{row("z", "2025-06-01"), row("a", "2025-06-01")}, []string{"z", "a"}},
		{"unsorted input still comes back oldest first", []harvester.Contribution{row("new", "2026-02-01"), row("undated", ""), row("old", "2025-04-01")}, []string{"undated", "old", "new"}},
		{"empty log", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := db.ReplaceLog(ctx, tt.log); err != nil {
				t.Fatal(err)
			}
			if got := readLog(t, db); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("log %v, want %v", got, tt.want)
			}
			for _, c := range tt.log {
				got, err := db.Contribution(ctx, c.ID)
				if err != nil {
					t.Fatalf("contribution %s: %v", c.ID, err)
				}
				if !reflect.DeepEqual(got, c) {
					t.Errorf("contribution %s:\n got %+v\nwant %+v", c.ID, got, c)
				}
			}
			mustCheck(t, db)
		})
	}
}

func TestReplaceLogDropsOldRows(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	if err := db.ReplaceLog(ctx, []harvester.Contribution{row("gone", "2025-05-01"), row("kept", "2025-05-02")}); err != nil {
		t.Fatal(err)
	}
	if err := db.ReplaceLog(ctx, []harvester.Contribution{row("kept", "2025-05-02")}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Contribution(ctx, "gone"); !errors.Is(err, harvester.ErrNotFound) {
		t.Errorf("replaced row: err = %v, want ErrNotFound", err)
	}
	if got := readLog(t, db); !reflect.DeepEqual(got, []string{"kept"}) {
		t.Errorf("log %v", got)
	}
}

func TestContributionNotFound(t *testing.T) {
	db := MustOpenDB(t)
	for _, id := range []string{"nope", "", strings.Repeat("x", 40000)} {
		_, err := db.Contribution(context.Background(), id)
		if !errors.Is(err, harvester.ErrNotFound) {
			t.Errorf("id of %d bytes: err = %v, want ErrNotFound", len(id), err)
		}
	}
}

func TestReplaceLogDuplicateIDs(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	first, second := row("same", "2025-05-01"), row("same", "2025-07-01")
	second.Title = "second"
	if err := db.ReplaceLog(ctx, []harvester.Contribution{second, first, row("", "2025-06-01")}); err != nil {
		t.Fatal(err)
	}
	if got := readLog(t, db); len(got) != 3 {
		t.Errorf("rows %q, want all three kept", got)
	}
	got, err := db.Contribution(ctx, "same")
	if err != nil || got.Title != first.Title {
		t.Errorf("lookup of a shared id: %+v %v, want the older row", got, err)
	}
	mustCheck(t, db)
}

func TestForEachStopsOnError(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	mustSave(t, db, "blog", batchOf("blog", 5), pass(0))
	var log []harvester.Contribution
	for i := range 5 {
		log = append(log, row(fmt.Sprint(i), "2025-05-01"))
	}
	if err := db.ReplaceLog(ctx, log); err != nil {
		t.Fatal(err)
	}
	stop := errors.New("stop")
	n := 0
	err := db.ForEachObservation(ctx, harvester.WithDescriptions, func(*harvester.Observation) error { n++; return stop })
	if err != stop || n != 1 {
		t.Errorf("observations: err %v after %d calls, want stop after 1", err, n)
	}
	n = 0
	err = db.ForEachContribution(ctx, func(*harvester.Contribution) error { n++; return stop })
	if err != stop || n != 1 {
		t.Errorf("log: err %v after %d calls, want stop after 1", err, n)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := db.ForEachContribution(cancelled, func(*harvester.Contribution) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestContributionNoAliasing(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	in := []harvester.Contribution{row("a", "2025-05-01")}
	if err := db.ReplaceLog(ctx, in); err != nil {
		t.Fatal(err)
	}
	in[0].Sources[0] = "changed by caller"
	got, err := db.Contribution(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	got.AdditionalAreas[0], got.Metrics["views"] = "x", 0
	var streamed []*harvester.Contribution
	if err := db.ForEachContribution(ctx, func(c *harvester.Contribution) error {
		streamed = append(streamed, c)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	c := streamed[0]
	if c.Sources[0] != "blog" || c.AdditionalAreas[0] != "Bicep" || c.Metrics["views"] != 3 {
		t.Errorf("stored row changed through a returned value or the input: %+v", c)
	}
}

func TestReplaceLogLarge(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	const n = 5000
	log := make([]harvester.Contribution, n)
	for i := range log {
		// Dates descend while ids ascend: the store must order by date.
		log[i] = row(fmt.Sprintf("id%05d", i), fmt.Sprintf("2025-%02d-%02d", 12-i*12/n, 28-i%28))
	}
	if err := db.ReplaceLog(ctx, log); err != nil {
		t.Fatal(err)
	}
	var prev string
	count := 0
	err := db.ForEachContribution(ctx, func(c *harvester.Contribution) error {
		if c.Date < prev {
			return fmt.Errorf("row %s dated %s after %s", c.ID, c.Date, prev)
		}
		prev = c.Date
		count++
		return nil
	})
	if err != nil || count != n {
		t.Fatalf("%d rows, err %v", count, err)
	}
	for _, i := range []int{0, n / 2, n - 1} {
		if got, err := db.Contribution(ctx, log[i].ID); err != nil || got.Date != log[i].Date {
			t.Errorf("row %d: %+v %v", i, got.Date, err)
		}
	}
	mustCheck(t, db)
}

// A row whose description is one of its observations' keeps a reference,
// not a copy, and comes back with the text; a long native id (a hashed
// bucket key) and a row whose reference names no member (kept inline)
// included.
func TestRowDescribedByObservation(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	long := strings.Repeat("n", 2*maxKeyLen)
	b := &harvester.Batch{}
	for _, id := range []string{"short", long} {
		o := obs("blog", id)
		o.Description = "The description of " + id[:5] + strings.Repeat(" and more", 50)
		b.Observations = append(b.Observations, o)
	}
	if _, err := db.SaveBatch(ctx, harvester.SourceState{Name: "blog"}, b, pass(0)); err != nil {
		t.Fatal(err)
	}
	var log []harvester.Contribution
	for i, o := range b.Observations {
		c := row(fmt.Sprintf("r%d", i), "2026-01-15")
		c.Observations[0].NativeID = o.NativeID
		c.Description, c.DescriptionOf = o.Description, o.Key()
		log = append(log, c)
	}
	stray := row("stray", "2026-01-16")
	stray.Description, stray.DescriptionOf = "Its own text", harvester.ObservationKey("other", "x")
	log = append(log, stray)
	if err := db.ReplaceLog(ctx, log); err != nil {
		t.Fatal(err)
	}

	var got []harvester.Contribution
	if err := db.ForEachContribution(ctx, func(c *harvester.Contribution) error {
		got = append(got, *c)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for i, want := range log {
		if i >= len(got) || got[i].Description != want.Description {
			t.Fatalf("ForEachContribution row %d: %+v, want description %q", i, got, want.Description)
		}
		one, err := db.Contribution(ctx, want.ID)
		if err != nil || one.Description != want.Description {
			t.Errorf("Contribution(%s) = %q, %v; want %q", want.ID, one.Description, err, want.Description)
		}
	}
	if got[2].DescriptionOf != "" {
		t.Errorf("a row whose reference names none of its observations came back with one: %q", got[2].DescriptionOf)
	}
	for _, c := range log[:2] {
		v, _ := encodeContribution(&c)
		if strings.Contains(string(v), "and more") {
			t.Errorf("row %s keeps a copy of its observation's description", c.ID)
		}
	}
	mustCheck(t, db)
}
