package storetest

import (
	"bytes"
	"context"
	"slices"
	"testing"

	"github.com/contriblog/contriblog/harvester"
)

// walkCases pin ForEachObservation.
var walkCases = []testCase{
	{"ForEachObservation/walks every observation in key order", func(t *testing.T, s harvester.Store) {
		// "a-b" sorts before "a" as text but after it as a key: the key
		// separates source and native id with a NUL.
		save(t, s, item("a-b", pass(1), obs("a-b", "1")), item("b", pass(1), obs("b", "2"), obs("b", "10")),
			item("a", pass(1), obs("a", "z"), obs("a", "y")))
		var got []string
		for _, o := range walk(t, s, harvester.OmitDescriptions) {
			got = append(got, o.Key())
		}
		want := slices.Clone(got)
		slices.SortFunc(want, func(x, y string) int { return bytes.Compare([]byte(x), []byte(y)) })
		if len(got) != 5 || !slices.Equal(got, want) {
			t.Errorf("keys %q, want %q", got, want)
		}
	}},
	{"ForEachObservation/reads descriptions only when asked", func(t *testing.T, s harvester.Store) {
		plain := obs("blog", "plain")
		plain.Description = ""
		save(t, s, item("blog", pass(1), obs("blog", "described"), plain))
		for _, d := range []harvester.Descriptions{harvester.WithDescriptions, harvester.OmitDescriptions} {
			for _, o := range walk(t, s, d) {
				want, omitted := obs("blog", o.NativeID).Description, false
				if o.NativeID == "plain" {
					want = ""
				}
				if d == harvester.OmitDescriptions {
					want, omitted = "", want != ""
				}
				if o.Description != want || o.DescriptionOmitted != omitted {
					t.Errorf("descriptions %v, %s: %q omitted=%v; want %q omitted=%v", d, o.NativeID,
						o.Description, o.DescriptionOmitted, want, omitted)
				}
				if !o.FirstSeen.Equal(pass(1)) || !o.LastSeen.Equal(pass(1)) {
					t.Errorf("%s: seen %v-%v, want the pass", o.NativeID, o.FirstSeen, o.LastSeen)
				}
			}
		}
	}},
	{"ForEachObservation/an error from fn stops the walk and is returned as it is", func(t *testing.T, s harvester.Store) {
		save(t, s, item("blog", pass(1), obs("blog", "1"), obs("blog", "2")))
		for _, d := range []harvester.Descriptions{harvester.WithDescriptions, harvester.OmitDescriptions} {
			calls := 0
			err := s.ForEachObservation(context.Background(), d, func(*harvester.Observation) error {
				calls++
				return errStop
			})
			if err != errStop || calls != 1 {
				t.Errorf("descriptions %v: err %v after %d calls, want errStop after 1", d, err, calls)
			}
		}
	}},
	{"ForEachObservation/gives copies fn may keep and change", func(t *testing.T, s harvester.Store) {
		save(t, s, item("blog", pass(1), obs("blog", "1")))
		var kept []*harvester.Observation
		if err := s.ForEachObservation(context.Background(), harvester.WithDescriptions, func(o *harvester.Observation) error {
			kept = append(kept, o)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		scribble(kept[0])
		want := obs("blog", "1")
		want.FirstSeen, want.LastSeen = pass(1), pass(1)
		if got := stored(t, s, "blog", "1"); !same(got, want) {
			t.Errorf("after changing what the walk gave:\n%+v\nwant\n%+v", got, want)
		}
	}},
	{"SaveBatches/keeps no part of what it was given", func(t *testing.T, s harvester.Store) {
		o := obs("blog", "1")
		data := map[string]string{"k": "v"}
		save(t, s, harvester.BatchItem{State: harvester.SourceState{Name: "blog"},
			Batch: &harvester.Batch{Observations: []harvester.Observation{o}, Data: data}, Pass: pass(1)})
		scribble(&o)
		data["k"] = "changed"
		want := obs("blog", "1")
		want.FirstSeen, want.LastSeen = pass(1), pass(1)
		if got := stored(t, s, "blog", "1"); !same(got, want) {
			t.Errorf("after changing what it was given:\n%+v\nwant\n%+v", got, want)
		}
		if got := state(t, s, "blog").Data; !same(got, map[string]string{"k": "v"}) {
			t.Errorf("data %v, want k=v", got)
		}
	}},
}

// scribble changes every slice and map o shares with whatever it came
// from.
func scribble(o *harvester.Observation) {
	for _, ss := range [][]string{o.OtherURLs, o.Authors, o.Categories, o.AdditionalAreas, o.TargetAudience} {
		for i := range ss {
			ss[i] = "scribbled"
		}
	}
	for k := range o.Metrics {
		o.Metrics[k] = -1
	}
	for k := range o.Meta {
		o.Meta[k] = "scribbled"
	}
	for k := range o.Counts {
		o.Counts[k] = -1
	}
	o.Metrics["new"], o.Meta["new"] = 1, "new"
}
