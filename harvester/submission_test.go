package harvester

import (
	"testing"
	"time"
)

// TestSubmissionsFollowTheirObservations: a record covers the row holding
// the observation it was made for, through merges and splits; when that
// observation is gone, the first row holding another of its anchors.
func TestSubmissionsFollowTheirObservations(t *testing.T) {
	blog := blogObs("blog", "1", "Zero Trust in Practice", "https://priya.dev/zt", 0)
	devto := blogObs("devto", "9", "Zero Trust in Practice", "https://dev.to/p/zt", 1)
	other := blogObs("blog", "2", "Bicep modules", "https://priya.dev/bicep", 3)
	opts := LogOptions{Location: time.UTC}
	build := func(obs []Observation, edits []Edit) []Contribution { return BuildLog(obs, edits, opts) }
	covered := func(log []Contribution, subs []Submission) map[string]bool {
		t.Helper()
		x, err := NewSubmissionIndex(subs, func(fn func(*Contribution) error) error {
			for i := range log {
				if err := fn(&log[i]); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]bool{}
		for i := range log {
			if SubmittedTo(x.Of(&log[i]), "mvp") {
				for _, r := range log[i].Observations {
					out[r.Source+"/"+r.NativeID] = true
				}
			}
		}
		return out
	}

	log := build([]Observation{blog, devto, other}, nil)
	merged := log[0]
	if len(merged.Observations) != 2 {
		t.Fatalf("want blog and devto merged: %v", groupsOf(log))
	}
	sub := NewSubmission("MVP", &merged, SubmittedMarked, day0)
	if sub.Program != "mvp" || len(sub.Anchors) != 2 {
		t.Fatalf("NewSubmission = %+v", sub)
	}
	subs := []Submission{sub}
	if got := covered(log, subs); !got["blog/1"] || !got["devto/9"] || got["blog/2"] {
		t.Errorf("merged row: covered %v", got)
	}
	// Split: the part holding the observation the id was made from.
	split := Edit{ID: merged.ID, Anchors: anchorKeys(&merged), SplitAnchors: anchorKeys(&merged), Split: true, Updated: day0}
	parts := build([]Observation{blog, devto, other}, []Edit{split})
	if len(parts) != 3 {
		t.Fatalf("split: %v", groupsOf(parts))
	}
	primary := primaryAnchor(&sub)
	got := covered(parts, subs)
	for _, c := range parts {
		k := ObservationKey(c.Observations[0].Source, c.Observations[0].NativeID)
		if got[c.Observations[0].Source+"/"+c.Observations[0].NativeID] != (k == primary) {
			t.Errorf("after the split, row %s covered=%v; want only the part holding %q", c.ID, !(k == primary), primary)
		}
	}
	// The primary observation forgotten: the row of another anchor.
	var rest []Observation
	for _, o := range []Observation{blog, devto, other} {
		if o.Key() != primary {
			rest = append(rest, o)
		}
	}
	if got := covered(build(rest, nil), subs); len(got) != 1 {
		t.Errorf("primary gone: covered %v; want the one row holding the other anchor", got)
	}
	// Another program's record covers nothing for mvp.
	stars := NewSubmission("stars", &log[1], SubmittedPushed, day0)
	if got := covered(log, []Submission{stars}); len(got) != 0 {
		t.Errorf("a stars record covers %v for mvp", got)
	}
}
