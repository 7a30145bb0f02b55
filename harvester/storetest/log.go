package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/contriblog/contriblog/harvester"
)

// row is a log row with every kind of field set.
func row(id, date string) harvester.Contribution {
	return harvester.Contribution{ID: id, Person: "Priya Raman", ActivityType: harvester.TypeBlog, Date: date,
		Title: "Row " + id, Description: "Own text of " + id, URL: "https://priyaraman.dev/" + id, Role: "Author",
		PrimaryArea: "Azure", AdditionalAreas: []string{"DevOps"}, TargetAudience: []string{"IT Pro"}, Quantity: 1,
		Reach: 5, OtherURLs: []string{}, Sources: []string{"blog"}, Metrics: map[string]int64{"views": 3},
		PrivateDescription: "For the program", MicrosoftEvent: "Build", HighImpact: true, Counts: map[string]int64{"sessions": 2},
		Observations: []harvester.ObservationRef{{Source: "blog", NativeID: id, Title: "Row " + id, Date: date,
			FirstSeen: pass(1), LastSeen: pass(2)}},
		Curated: []string{"title"}}
}

// ids returns the rows' ids, in order.
func ids(rs []harvester.Contribution) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}

// logCases pin StoreLog, ForEachContribution and Contribution.
var logCases = []testCase{
	{"StoreLog/stores the rows as given, in date order, then the order given", func(t *testing.T, s harvester.Store) {
		log := []harvester.Contribution{row("x", "2026-02-01"), row("y", "2026-01-01"), row("z", "2026-02-01"), row("w", "2026-01-01")}
		storeLog(t, s, log, "s1")
		got := rows(t, s)
		if want := []string{"y", "w", "x", "z"}; !same(ids(got), want) {
			t.Fatalf("ids %v, want %v", ids(got), want)
		}
		if !same(got[0], log[1]) {
			t.Errorf("row\n%+v\nwant\n%+v", got[0], log[1])
		}
		if ls := logState(t, s); ls.Rows != 4 || ls.Stamp != "s1" {
			t.Errorf("log state %+v, want 4 rows stamped s1", ls)
		}
	}},
	{"StoreLog/reports whether the rows changed and records the stamp either way", func(t *testing.T, s harvester.Store) {
		a, b := row("a", "2026-01-01"), row("b", "2026-01-02")
		retitled := row("b", "2026-01-02")
		retitled.Title = "Retitled"
		for i, step := range []struct {
			log     []harvester.Contribution
			stamp   string
			changed bool
		}{
			{nil, "s0", false}, // an empty store holds the empty log
			{[]harvester.Contribution{a, b}, "s1", true},
			{[]harvester.Contribution{a, b}, "s2", false},
			{[]harvester.Contribution{a, b}, "", false},
			{[]harvester.Contribution{a, retitled}, "s3", true},
			{[]harvester.Contribution{retitled, a}, "s4", true}, // other positions: another log
			{[]harvester.Contribution{a}, "s5", true},
			{nil, "s6", true},
		} {
			if changed := storeLog(t, s, step.log, step.stamp); changed != step.changed {
				t.Errorf("step %d: changed=%v, want %v", i, changed, step.changed)
			}
			if ls := logState(t, s); ls.Stamp != step.stamp || ls.Rows != len(step.log) {
				t.Errorf("step %d: log state %+v, want stamp %q and %d rows", i, ls, step.stamp, len(step.log))
			}
			if got := rows(t, s); len(got) != len(step.log) {
				t.Errorf("step %d: %d rows stored, want %d", i, len(got), len(step.log))
			}
		}
	}},
	{"LogState/counts the excluded rows and lists the persons of the last StoreLog", func(t *testing.T, s harvester.Store) {
		a, b, c := row("a", "2026-01-01"), row("b", "2026-01-02"), row("c", "2026-01-03")
		b.Person, c.Person, c.Excluded = "Ada Lovelace", "", true
		for i, step := range []struct {
			log      []harvester.Contribution
			excluded int
			persons  []string
		}{
			{nil, 0, nil},
			{[]harvester.Contribution{a, b, c}, 1, []string{"", "Ada Lovelace", "Priya Raman"}},
			{[]harvester.Contribution{a, b, c}, 1, []string{"", "Ada Lovelace", "Priya Raman"}}, // unchanged rows
			{[]harvester.Contribution{a}, 0, []string{"Priya Raman"}},
			{nil, 0, nil},
		} {
			storeLog(t, s, step.log, "s")
			ls := logState(t, s)
			if ls.Excluded != step.excluded || !same(ls.Persons, step.persons) {
				t.Errorf("step %d: excluded %d, persons %q; want %d, %q", i, ls.Excluded, ls.Persons, step.excluded, step.persons)
			}
		}
	}},
	{"StoreLog/a row described by its observation reads that observation's description", func(t *testing.T, s harvester.Store) {
		o := obs("blog", "d")
		save(t, s, item("blog", pass(1), o))
		described := row("d", "2026-01-01")
		described.DescriptionOf = o.Key()
		stray := row("s", "2026-01-02")
		stray.DescriptionOf = harvester.ObservationKey("blog", "not-a-member")
		storeLog(t, s, []harvester.Contribution{described, stray}, "s")
		check := func(when, desc string) {
			t.Helper()
			got := rows(t, s)
			if got[0].Description != desc || got[0].DescriptionOf != o.Key() {
				t.Errorf("%s: described row has %q (of %q), want %q (of %q)", when, got[0].Description, got[0].DescriptionOf, desc, o.Key())
			}
			if got[1].Description != stray.Description || got[1].DescriptionOf != "" {
				t.Errorf("%s: other row has %q (of %q), want its own %q", when, got[1].Description, got[1].DescriptionOf, stray.Description)
			}
			if one, err := s.Contribution(context.Background(), "d"); err != nil || !same(one, got[0]) {
				t.Errorf("%s: Contribution gives %+v, %v; want the row the walk gives", when, one, err)
			}
		}
		check("as stored", o.Description)
		o.Description = "Rewritten since"
		save(t, s, item("blog", pass(2), o))
		check("after the observation changed", "Rewritten since")
	}},
	{"StoreLog/an empty Curated comes back nil, other empty slices and maps as given", func(t *testing.T, s harvester.Store) {
		r := row("a", "2026-01-01")
		r.Curated, r.AdditionalAreas, r.Metrics = []string{}, []string{}, map[string]int64{}
		storeLog(t, s, []harvester.Contribution{r}, "s")
		want := r
		want.Curated = nil
		if got := rows(t, s); len(got) != 1 || !same(got[0], want) {
			t.Errorf("rows %#v, want %#v", got, want)
		}
	}},
	{"Contribution/finds the first row with the id, else ErrNotFound", func(t *testing.T, s harvester.Store) {
		ctx := context.Background()
		older, newer := row("dup", "2026-01-01"), row("dup", "2026-02-01")
		newer.Title = "Newer"
		noID := row("", "2026-03-01")
		storeLog(t, s, []harvester.Contribution{newer, noID, older, row("b", "2026-01-05")}, "s")
		if got, err := s.Contribution(ctx, "dup"); err != nil || !same(got, older) {
			t.Errorf("dup: %+v, %v; want the older row", got, err)
		}
		for _, id := range []string{"missing", "", "DUP"} {
			if _, err := s.Contribution(ctx, id); !errors.Is(err, harvester.ErrNotFound) {
				t.Errorf("%q: err %v, want ErrNotFound", id, err)
			}
		}
	}},
	{"ForEachContribution/an error from fn stops the walk and is returned as it is", func(t *testing.T, s harvester.Store) {
		storeLog(t, s, []harvester.Contribution{row("a", "2026-01-01"), row("b", "2026-01-02")}, "s")
		calls := 0
		err := s.ForEachContribution(context.Background(), func(*harvester.Contribution) error {
			calls++
			return errStop
		})
		if err != errStop || calls != 1 {
			t.Errorf("err %v after %d calls, want errStop after 1", err, calls)
		}
	}},
	{"StoreLog and the log's readers/share nothing with their callers", func(t *testing.T, s harvester.Store) {
		ctx := context.Background()
		log := []harvester.Contribution{row("a", "2026-01-01")}
		storeLog(t, s, log, "s")
		scribbleRow(&log[0])
		var kept []*harvester.Contribution
		if err := s.ForEachContribution(ctx, func(c *harvester.Contribution) error {
			kept = append(kept, c)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		scribbleRow(kept[0])
		one, err := s.Contribution(ctx, "a")
		if err != nil {
			t.Fatal(err)
		}
		scribbleRow(&one)
		if got := rows(t, s); !same(got, []harvester.Contribution{row("a", "2026-01-01")}) {
			t.Errorf("after changing what was given and got:\n%+v\nwant\n%+v", got, row("a", "2026-01-01"))
		}
	}},
}

// scribbleRow changes every slice and map c shares with whatever it came
// from.
func scribbleRow(c *harvester.Contribution) {
	for _, ss := range [][]string{c.AdditionalAreas, c.TargetAudience, c.OtherURLs, c.Sources, c.Curated} {
		for i := range ss {
			ss[i] = "scribbled"
		}
	}
	for k := range c.Metrics {
		c.Metrics[k] = -1
	}
	for k := range c.Counts {
		c.Counts[k] = -1
	}
	for i := range c.Observations {
		c.Observations[i].Title, c.Observations[i].FirstSeen = "scribbled", time.Time{}
	}
}
