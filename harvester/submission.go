package harvester

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// How a contribution came to be recorded as submitted to a program.
const (
	SubmittedImported = "imported" // matched in the program's own export (`submitted import`)
	SubmittedMarked   = "marked"   // a person said so (`submitted mark`)
	SubmittedPushed   = "pushed"   // contriblog sent it to the program's API (`submit`)
	// SubmittedSending is recorded before a request that is not safe to
	// repeat (an Advocu draft) and replaced once the program answers: a
	// run killed in between leaves it, and the row is not sent again
	// until a person says whether the program has it (docs/programs.md).
	SubmittedSending = "sending"
)

// Submission records that a contribution is in a program's portal: when,
// how, the program's id for it when there is one, and what was sent. Like
// an Edit it names the row it was made for (ID) and remembers the
// observations that row held (Anchors), so that it follows them through
// re-harvests, merges and splits (SubmissionIndex). Store keeps one per
// program and ID.
type Submission struct {
	Program  string    `json:"program"`
	ID       string    `json:"id"`
	Anchors  []string  `json:"anchors"`
	At       time.Time `json:"at"`
	How      string    `json:"how"`
	RemoteID string    `json:"remote_id,omitempty"`
	// Title is the title the program holds (the portal's, for an
	// imported entry): what a person recognises it by.
	Title string `json:"title,omitempty"`
	// Values are what was sent (a pushed row's request body), or what
	// the program's export held; never a secret.
	Values json.RawMessage `json:"values,omitempty"`
}

// NewSubmission records that c is in program, as how says, at.
func NewSubmission(program string, c *Contribution, how string, at time.Time) Submission {
	return Submission{Program: strings.ToLower(program), ID: c.ID, Anchors: anchorKeys(c), At: at.UTC(), How: how}
}

// Mark is what marking c as in program by hand stores, given prev, the
// records of program that already cover it: a new marked record when
// there is none; the first one turned marked when a submit run left it
// sending (the person found it in the portal); nothing (ok false) when
// the program has it on record already.
func Mark(program string, c *Contribution, prev []Submission, now time.Time) (rec Submission, ok bool) {
	switch {
	case len(prev) == 0:
		return NewSubmission(program, c, SubmittedMarked, now), true
	case prev[0].How == SubmittedSending:
		rec = prev[0]
		rec.How, rec.At = SubmittedMarked, now.UTC()
		return rec, true
	}
	return Submission{}, false
}

// Check refuses a record a store must not keep.
func (s *Submission) Check() error {
	switch {
	case s.Program == "":
		return errors.New("the submission names no program")
	case s.ID == "":
		return errors.New("the submission names no contribution")
	case s.How != SubmittedImported && s.How != SubmittedMarked && s.How != SubmittedPushed && s.How != SubmittedSending:
		return fmt.Errorf("submission %s/%s: unknown way %q", s.Program, s.ID, s.How)
	}
	return nil
}

// SubmissionIndex says which rows of a log the submission records cover.
// A record covers the row that holds the observation its ID was made from
// (its first anchor, as ShortID names it); when no row holds that
// observation any more (its source was forgotten), the first row in log
// order that holds another of its anchors. So after a split only the part
// that kept the submitted observation counts as submitted, and a
// re-harvest or a merge changes nothing.
type SubmissionIndex struct {
	byPrimary map[string][]int // observation key -> records it is the primary anchor of
	byAnchor  map[string][]int // observation key -> records it is another anchor of
	subs      []Submission
	primaries map[string]bool // the primary anchors some row of the log holds
	used      map[int]bool    // fallback records already given to a row
}

// NewSubmissionIndex indexes subs for the log: log is walked once to
// learn which primary anchors still exist (pass every row of the stored
// log, not only those a filter keeps).
func NewSubmissionIndex(subs []Submission, log func(fn func(*Contribution) error) error) (*SubmissionIndex, error) {
	x := &SubmissionIndex{byPrimary: map[string][]int{}, byAnchor: map[string][]int{}, subs: subs,
		primaries: map[string]bool{}, used: map[int]bool{}}
	for i := range subs {
		primary := primaryAnchor(&subs[i])
		for _, a := range subs[i].Anchors {
			if a == primary {
				x.byPrimary[a] = append(x.byPrimary[a], i)
			} else {
				x.byAnchor[a] = append(x.byAnchor[a], i)
			}
		}
	}
	if log == nil || len(subs) == 0 {
		return x, nil
	}
	err := log(func(c *Contribution) error {
		for _, r := range c.Observations {
			if k := ObservationKey(r.Source, r.NativeID); len(x.byPrimary[k]) > 0 {
				x.primaries[k] = true
			}
		}
		return nil
	})
	return x, err
}

// primaryAnchor is the anchor the record's ID was made from, or its
// first anchor when none is (an id set by hand).
func primaryAnchor(s *Submission) string {
	for _, a := range s.Anchors {
		if ShortID(a) == s.ID {
			return a
		}
	}
	if len(s.Anchors) > 0 {
		return s.Anchors[0]
	}
	return ""
}

// Of returns the records covering c, sorted by program. Rows must be
// asked in log order, each once, for the fallback to be the first row.
func (x *SubmissionIndex) Of(c *Contribution) []Submission {
	var out []Submission
	seen := map[int]bool{}
	add := func(i int) {
		if !seen[i] {
			seen[i] = true
			out = append(out, x.subs[i])
		}
	}
	for _, r := range c.Observations {
		k := ObservationKey(r.Source, r.NativeID)
		for _, i := range x.byPrimary[k] {
			add(i)
		}
	}
	for _, r := range c.Observations {
		k := ObservationKey(r.Source, r.NativeID)
		for _, i := range x.byAnchor[k] {
			if p := primaryAnchor(&x.subs[i]); p != "" && x.primaries[p] {
				continue // the row holding its own observation has it
			}
			if !x.used[i] {
				x.used[i] = true
				add(i)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Program < out[j].Program })
	return out
}

// Covering is, by row id, the records of subs that cover each row of log,
// the whole stored log in log order (what NewSubmissionIndex and Of give,
// for a log held in memory).
func Covering(subs []Submission, log []Contribution) map[string][]Submission {
	out := map[string][]Submission{}
	if len(subs) == 0 {
		return out
	}
	// The walk cannot fail: it only reads log.
	x, _ := NewSubmissionIndex(subs, func(fn func(*Contribution) error) error {
		for i := range log {
			fn(&log[i])
		}
		return nil
	})
	for i := range log {
		if recs := x.Of(&log[i]); len(recs) > 0 {
			out[log[i].ID] = recs
		}
	}
	return out
}

// SubmittedTo reports whether recs (SubmissionIndex.Of a row) hold one
// for program.
func SubmittedTo(recs []Submission, program string) bool {
	for _, s := range recs {
		if strings.EqualFold(s.Program, program) {
			return true
		}
	}
	return false
}

// EachRow calls fn for every row of st's stored log that passes f, in
// log order, applying f.Unsubmitted with st's submission records (which
// takes a walk of the log first) and f.MetricsHistory.
func EachRow(ctx context.Context, st Store, f Filter, fn func(*Contribution) error) error {
	if f.MetricsHistory {
		// One read of the whole history, before the walk: a store's read
		// of it inside the walk's would nest two transactions.
		history, err := st.MetricHistory(ctx, nil)
		if err != nil {
			return err
		}
		f.MetricsHistory = false
		inner := fn
		fn = func(c *Contribution) error {
			c.MetricsHistory = RowMetricsHistory(c, history)
			return inner(c)
		}
		return EachRow(ctx, st, f, fn)
	}
	if f.Unsubmitted == "" {
		return st.ForEachContribution(ctx, func(c *Contribution) error {
			if !f.Match(c) {
				return nil
			}
			return fn(c)
		})
	}
	subs, err := st.Submissions(ctx)
	if err != nil {
		return fmt.Errorf("read submission records: %w", err)
	}
	x, err := NewSubmissionIndex(subs, func(each func(*Contribution) error) error {
		return st.ForEachContribution(ctx, each)
	})
	if err != nil {
		return err
	}
	return st.ForEachContribution(ctx, func(c *Contribution) error {
		// Every row is asked, in order, so that a record whose own
		// observation is gone goes to the first row of another anchor.
		covered := SubmittedTo(x.Of(c), f.Unsubmitted)
		if covered || !f.Match(c) {
			return nil
		}
		return fn(c)
	})
}
