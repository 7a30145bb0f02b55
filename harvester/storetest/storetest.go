// Package storetest is the conformance suite of harvester.Store: one test
// per rule the interface documents, run against every implementation
// (store.DB in store/conformance_test.go, memstore.Store in its own test),
// as litestream runs one suite over every replica client. A fake that
// passes it is a fake the pipeline's and the daemon's tests can trust.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/contriblog/contriblog/harvester"
)

// A testCase is one rule of the contract, checked on a new, empty store.
type testCase struct {
	name string
	run  func(t *testing.T, s harvester.Store)
}

// cases returns every case of the suite, in the order Run runs them.
func cases() []testCase {
	var all []testCase
	for _, part := range [][]testCase{batchCases, stateCases, walkCases, editCases, submissionCases, forgetCases, historyCases, logCases, revisionCases, commonCases} {
		all = append(all, part...)
	}
	return all
}

// Run runs every case as a subtest, each on a new, empty store that open
// returns (open may register its own cleanup). Run closes each store when
// its subtest ends, after the case itself may have closed it: closing
// twice is harmless.
func Run(t *testing.T, open func(t *testing.T) harvester.Store) {
	t.Helper()
	for _, c := range cases() {
		t.Run(c.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() {
				if err := s.Close(); err != nil {
					t.Errorf("close: %v", err)
				}
			})
			c.run(t, s)
		})
	}
}

// t0 is the first pass; pass(n) is the n-th after it, six hours apart.
var t0 = time.Date(2026, 3, 1, 6, 0, 0, 0, time.UTC)

func pass(n int) time.Time { return t0.Add(time.Duration(n) * 6 * time.Hour) }

// obs is an observation of source with every kind of field set.
func obs(source, id string) harvester.Observation {
	return harvester.Observation{
		Source: source, NativeID: id, Person: "Priya Raman", ActivityType: harvester.TypeBlog, Role: "Author",
		Title: "Post " + id, Description: "About Bicep & Terraform, " + id,
		URL: "https://priyaraman.dev/" + id, OtherURLs: []string{"https://dev.to/priya/" + id},
		CanonicalURL: "https://priyaraman.dev/c/" + id,
		Date:         time.Date(2026, 1, 15, 9, 30, 0, 0, time.UTC),
		EndDate:      time.Date(2026, 1, 15, 10, 30, 0, 0, time.UTC),
		Authors:      []string{"Priya Raman"}, Categories: []string{"azure", "iac"}, FeedTitle: "Priya's blog",
		Metrics: map[string]int64{"views": 10}, Meta: map[string]string{"lang": "en"},
		PrimaryArea: "Azure", AdditionalAreas: []string{"DevOps"}, TargetAudience: []string{"IT Pro"},
		Quantity: 1, Reach: 100,
		PrivateDescription: "For the program: " + id, MicrosoftEvent: "Ignite", HighImpact: true,
		Counts: map[string]int64{"views": 1200, "attendees": 0},
	}
}

// item is a batch of observations of source, saved at p.
func item(source string, p time.Time, o ...harvester.Observation) harvester.BatchItem {
	return harvester.BatchItem{State: harvester.SourceState{Name: source, Type: "feed"},
		Batch: &harvester.Batch{Observations: o}, Pass: p}
}

// save saves items and returns their results.
func save(t *testing.T, s harvester.Store, items ...harvester.BatchItem) []harvester.SaveResult {
	t.Helper()
	res, err := s.SaveBatches(context.Background(), items)
	if err != nil {
		t.Fatalf("save batches: %v", err)
	}
	if len(res) != len(items) {
		t.Fatalf("save batches: %d results for %d items", len(res), len(items))
	}
	return res
}

// walk returns every stored observation, in the order given.
func walk(t *testing.T, s harvester.Store, d harvester.Descriptions) []harvester.Observation {
	t.Helper()
	var out []harvester.Observation
	if err := s.ForEachObservation(context.Background(), d, func(o *harvester.Observation) error {
		out = append(out, *o)
		return nil
	}); err != nil {
		t.Fatalf("for each observation: %v", err)
	}
	return out
}

// stored returns the stored observation with key source/id, whole.
func stored(t *testing.T, s harvester.Store, source, id string) harvester.Observation {
	t.Helper()
	for _, o := range walk(t, s, harvester.WithDescriptions) {
		if o.Source == source && o.NativeID == id {
			return o
		}
	}
	t.Fatalf("observation %s/%s is not stored", source, id)
	return harvester.Observation{}
}

func state(t *testing.T, s harvester.Store, name string) harvester.SourceState {
	t.Helper()
	st, err := s.SourceState(context.Background(), name)
	if err != nil {
		t.Fatalf("source state %s: %v", name, err)
	}
	return st
}

func states(t *testing.T, s harvester.Store) []harvester.SourceState {
	t.Helper()
	all, err := s.SourceStates(context.Background())
	if err != nil {
		t.Fatalf("source states: %v", err)
	}
	return all
}

func logState(t *testing.T, s harvester.Store) harvester.LogState {
	t.Helper()
	ls, err := s.LogState(context.Background())
	if err != nil {
		t.Fatalf("log state: %v", err)
	}
	return ls
}

func rows(t *testing.T, s harvester.Store) []harvester.Contribution {
	t.Helper()
	var out []harvester.Contribution
	if err := s.ForEachContribution(context.Background(), func(c *harvester.Contribution) error {
		out = append(out, *c)
		return nil
	}); err != nil {
		t.Fatalf("for each contribution: %v", err)
	}
	return out
}

func storeLog(t *testing.T, s harvester.Store, log []harvester.Contribution, stamp string) bool {
	t.Helper()
	changed, err := s.StoreLog(context.Background(), log, stamp)
	if err != nil {
		t.Fatalf("store log: %v", err)
	}
	return changed
}

// snapshot is everything a store holds, for checking that a refused or
// cancelled call changed nothing.
func snapshot(t *testing.T, s harvester.Store) string {
	t.Helper()
	edits, err := s.Edits(context.Background())
	if err != nil {
		t.Fatalf("edits: %v", err)
	}
	return fmt.Sprintf("%+v\n%+v\n%+v\n%+v\n%+v\n%+v", utc(walk(t, s, harvester.WithDescriptions)), utc(states(t, s)),
		utc(edits), logState(t, s), utc(rows(t, s)), history(t, s))
}

// same reports whether got and want are equal, their times compared as
// instants.
func same[T any](got, want T) bool { return reflect.DeepEqual(utc(got), utc(want)) }

// utc returns a copy of v with every time in UTC (which also drops
// monotonic readings), for comparing values by their instants.
func utc[T any](v T) T {
	switch x := any(v).(type) {
	case harvester.Observation:
		for _, t := range []*time.Time{&x.Date, &x.EndDate, &x.FirstSeen, &x.LastSeen} {
			*t = t.UTC()
		}
		return any(x).(T)
	case harvester.SourceState:
		for _, t := range []*time.Time{&x.LastRun, &x.LastSuccess, &x.FailingSince, &x.NextTry, &x.LastRead} {
			*t = t.UTC()
		}
		return any(x).(T)
	case harvester.Edit:
		x.Updated, x.Merged = x.Updated.UTC(), x.Merged.UTC()
		return any(x).(T)
	case harvester.Contribution:
		x.Observations = slices.Clone(x.Observations)
		for i := range x.Observations {
			r := &x.Observations[i]
			r.FirstSeen, r.LastSeen = r.FirstSeen.UTC(), r.LastSeen.UTC()
		}
		return any(x).(T)
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice || rv.IsNil() {
		return v
	}
	out := reflect.MakeSlice(rv.Type(), rv.Len(), rv.Len())
	for i := range rv.Len() {
		out.Index(i).Set(reflect.ValueOf(utcAny(rv.Index(i).Interface())))
	}
	return out.Interface().(T)
}

func utcAny(v any) any {
	switch x := v.(type) {
	case harvester.Observation:
		return utc(x)
	case harvester.SourceState:
		return utc(x)
	case harvester.Edit:
		return utc(x)
	case harvester.Contribution:
		return utc(x)
	}
	return v
}

// errStop is what a walk's fn returns to stop it.
var errStop = errors.New("stop here")
