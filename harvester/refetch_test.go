package harvester_test

import (
	"bytes"
	"context"
	"log/slog"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/memstore"
)

// validatingSource answers "not modified" when it is given the validators
// it handed out, and records what state it was given.
type validatingSource struct {
	name    string
	obs     []harvester.Observation
	dropped map[string]int
	got     []harvester.SourceState
}

func (v *validatingSource) Name() string { return v.name }
func (v *validatingSource) Type() string { return "fake" }
func (v *validatingSource) Harvest(ctx context.Context, st harvester.SourceState) (*harvester.Batch, error) {
	v.got = append(v.got, st)
	if st.ETag == `"v1"` && st.Data["page"] == "p1" {
		return &harvester.Batch{NotModified: true, ETag: `"v1"`}, nil
	}
	return &harvester.Batch{Observations: v.obs, ETag: `"v1"`, Data: map[string]string{"page": "p1"}, Dropped: v.dropped}, nil
}

// sentValidators reports whether the source's latest pass was given its
// validators.
func (v *validatingSource) sentValidators() bool {
	st := v.got[len(v.got)-1]
	return st.ETag != "" || st.Data != nil
}

func TestStaleValidatorsAreDropped(t *testing.T) {
	june, march := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		change func(h *harvester.Harvester, st *memstore.Store)
		req    harvester.HarvestRequest
		sent   bool
		why    string // in the info line, "" for none
	}{
		{"nothing changed", func(*harvester.Harvester, *memstore.Store) {}, harvester.HarvestRequest{}, true, ""},
		{"the config changed", func(h *harvester.Harvester, _ *memstore.Store) { h.Fingerprints["blog"] = "fp2" },
			harvester.HarvestRequest{}, false, "its configuration changed"},
		{"since moved back", func(h *harvester.Harvester, _ *memstore.Store) { h.Since = march },
			harvester.HarvestRequest{}, false, "since moved back from 2026-06-01 to 2026-03-01"},
		{"since removed", func(h *harvester.Harvester, _ *memstore.Store) { h.Since = time.Time{} },
			harvester.HarvestRequest{}, false, "since moved back from 2026-06-01 to no limit"},
		{"since moved on", func(h *harvester.Harvester, _ *memstore.Store) { h.Since = june.AddDate(0, 1, 0) },
			harvester.HarvestRequest{}, true, ""},
		{"a refetch", func(*harvester.Harvester, *memstore.Store) {}, harvester.HarvestRequest{Refetch: true}, false, "a refetch was asked for"},
		{"named, without refetch", func(*harvester.Harvester, *memstore.Store) {},
			harvester.HarvestRequest{Names: []string{"blog"}, Refetch: false}, true, ""},
		{"a state from before fingerprints", func(_ *harvester.Harvester, st *memstore.Store) {
			s := st.States["blog"]
			s.Config, s.ReadSince = "", ""
			st.States["blog"] = s
		}, harvester.HarvestRequest{}, false, "no configuration fingerprint recorded yet"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := memstore.New()
			src := &validatingSource{name: "blog", obs: []harvester.Observation{post("", "a", "A", 1)}}
			h := newHarvester(st, src)
			var logs bytes.Buffer
			h.Logger = slog.New(slog.NewTextHandler(&logs, nil))
			h.Since, h.Fingerprints = june, map[string]string{"blog": "fp1"}
			if _, err := h.Run(context.Background()); err != nil {
				t.Fatal(err)
			}
			if src.sentValidators() {
				t.Fatalf("first pass was given validators: %+v", src.got[0])
			}
			if s := st.States["blog"]; s.Config != "fp1" || s.ReadSince != "2026-06-01" {
				t.Fatalf("after the first pass: config %q since %q; want fp1, 2026-06-01", s.Config, s.ReadSince)
			}
			tt.change(h, st)
			logs.Reset()
			pass, err := h.Harvest(context.Background(), tt.req)
			if err != nil {
				t.Fatal(err)
			}
			if src.sentValidators() != tt.sent || pass.Results[0].NotModified != tt.sent {
				t.Errorf("validators sent %v, not modified %v; want %v", src.sentValidators(), pass.Results[0].NotModified, tt.sent)
			}
			if line := logs.String(); (tt.why == "") != !strings.Contains(line, "reading in full") || !strings.Contains(line, tt.why) {
				t.Errorf("log:\n%s\nwant a line saying why %q", line, tt.why)
			}
			// Whatever the pass read, the next one may use what it stored.
			if _, err := h.Run(context.Background()); err != nil {
				t.Fatal(err)
			}
			if !src.sentValidators() {
				t.Errorf("the pass after was not given validators: the change is read in full on every pass")
			}
		})
	}
}

// A source whose pass fails keeps being read in full until one succeeds:
// the failure records no fingerprint.
func TestStaleValidatorsUntilASuccess(t *testing.T) {
	st := memstore.New()
	src := &validatingSource{name: "blog"}
	h := newHarvester(st, src)
	h.Fingerprints = map[string]string{"blog": "fp1"}
	if _, err := h.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	h.Fingerprints["blog"] = "fp2"
	broken := &fakeSource{name: "blog", err: context.DeadlineExceeded}
	h.Sources = []harvester.Source{broken}
	if _, err := h.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	h.Sources = []harvester.Source{src}
	if _, err := h.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if src.sentValidators() {
		t.Error("after a failed pass, the changed source was given its old validators")
	}
}

// Every pass says what it kept of what it read, and why it dropped the
// rest; a "not modified" pass reads nothing, and the state keeps the
// counts of the last full read.
func TestPassCountsKeptAndDropped(t *testing.T) {
	st := memstore.New()
	undated := harvester.Observation{NativeID: "undated", Title: "Undated", ActivityType: harvester.TypeBlog}
	src := &validatingSource{name: "blog", obs: []harvester.Observation{
		post("", "old", "Old", 400), post("", "new", "New", 10), post("", "new", "New again", 10),
		post("", "", "No id", 1), undated,
	}, dropped: map[string]int{harvester.DroppedMatch: 7}}
	h := newHarvester(st, src)
	h.Since = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	pass, err := h.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	r := pass.Results[0]
	want := map[string]int{harvester.DroppedMatch: 7, harvester.DroppedSince: 1, harvester.DroppedRepeated: 1, harvester.DroppedNoID: 1}
	if r.Seen != 12 || r.Kept != 2 || !maps.Equal(r.Dropped, want) {
		t.Errorf("result seen %d kept %d dropped %v; want 12, 2, %v", r.Seen, r.Kept, r.Dropped, want)
	}
	const summary = "2 of 12 (1 older than since, 7 not matching match, 1 repeated, 1 without an id)"
	if got := harvester.KeptSummary(r.Seen, r.Kept, r.Dropped); got != summary {
		t.Errorf("summary %q, want %q", got, summary)
	}
	again, err := h.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if r := again.Results[0]; !r.NotModified || r.Seen != 0 || r.Kept != 0 || len(r.Dropped) != 0 {
		t.Errorf("304 pass result %+v, want not modified and nothing read", r)
	}
	if s := st.States["blog"]; s.LastSeen != 12 || s.LastKept != 2 || !maps.Equal(s.LastDropped, want) || s.LastRead.IsZero() {
		t.Errorf("state after a 304: %+v; want the full read's counts", s)
	}
}

func TestKeptSummary(t *testing.T) {
	tests := []struct {
		seen, kept int
		dropped    map[string]int
		want       string
	}{
		{15, 3, map[string]int{harvester.DroppedSince: 12}, "3 of 15 (12 older than since)"},
		{40, 0, map[string]int{harvester.DroppedMatch: 40}, "0 of 40 (40 not matching match)"},
		{3, 3, nil, "3 of 3"},
		{5, 2, map[string]int{"zz_custom": 1, harvester.DroppedCancelled: 2, harvester.DroppedSince: 0}, "2 of 5 (2 cancelled, 1 zz_custom)"},
		{1, 0, map[string]int{"bad\x1b[31m": 1}, `0 of 1 (1 bad\x1b[31m)`},
	}
	for _, tt := range tests {
		if got := harvester.KeptSummary(tt.seen, tt.kept, tt.dropped); got != tt.want {
			t.Errorf("KeptSummary(%d, %d, %v) = %q, want %q", tt.seen, tt.kept, tt.dropped, got, tt.want)
		}
	}
}
