package harvester

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// storeError marks a failure of the store (as opposed to a source's), which
// ends the pass: nothing more can be saved.
type storeError struct{ err error }

func (e storeError) Error() string { return e.err.Error() }
func (e storeError) Unwrap() error { return e.err }

func isStoreError(err error) bool {
	var se storeError
	return errors.As(err, &se)
}

// A group of harvests is saved in one transaction, so that one commit (two
// fsyncs, and the rewrite of every page on the paths to what changed)
// serves many sources. The bounds keep memory flat: the writer holds at
// most one group, and the fetchers wait while it is full.
const (
	maxGroupSources = 64
	maxGroupBytes   = 16 << 20
	// groupWait is how long a group waits for more harvests after its
	// first. Taking only what was ready made a group per source when the
	// writer kept up, and a commit per source was much of a cold pass;
	// a source's result is told this much later at most.
	groupWait = 250 * time.Millisecond
)

// gather returns first and the further harvests that arrive on out within
// wait of it, within the group bounds, in the order they came.
func gather(first fetched, out <-chan fetched, wait time.Duration) []fetched {
	group := []fetched{first}
	size := first.size()
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for len(group) < maxGroupSources && size < maxGroupBytes {
		select {
		case f, ok := <-out:
			if !ok {
				return group
			}
			group = append(group, f)
			size += f.size()
		case <-timer.C:
			return group
		}
	}
	return group
}

// size estimates the memory f's batch holds.
func (f *fetched) size() int {
	if f.batch == nil {
		return 0
	}
	n := 0
	for i := range f.batch.Observations {
		o := &f.batch.Observations[i]
		n += 512 + len(o.Title) + len(o.Description) + len(o.URL)
	}
	return n
}

// saveGroup stores a group of harvests: every batch (even one that came
// with an error, so partial work is kept) in one transaction, then each
// failure, if any. It returns the sources' results in group order.
func (h *Harvester) saveGroup(ctx context.Context, pass time.Time, group []fetched) []Result {
	results := make([]Result, len(group))
	var items []BatchItem
	var owners []int // owners[j] is the group index of items[j]
	for i, f := range group {
		r := Result{Source: f.src.Name(), Type: f.src.Type(), Err: f.err, Duration: f.took}
		results[i] = r
		if f.batch == nil || isStoreError(f.err) {
			continue
		}
		state := f.state
		state.Name, state.Type = r.Source, r.Type
		items = append(items, BatchItem{State: state, Batch: h.prepare(r.Source, f.batch), Pass: pass})
		owners = append(owners, i)
	}
	// A save must not be abandoned half way because the pass was cancelled:
	// bbolt would roll back anyway, but finishing keeps the work fetched.
	sctx := context.WithoutCancel(ctx)
	saved, errs := h.saveBatches(sctx, items)
	failed := make([]bool, len(group))
	for j, i := range owners {
		r := &results[i]
		if errs[j] != nil {
			h.logger().Error("saving failed", "source", r.Source, "err", errs[j])
			r.Err = h.saveFailed(sctx, pass, group[i], errs[j])
			failed[i] = true
			continue
		}
		r.New, r.Updated, r.Unchanged = saved[j].New, saved[j].Updated, saved[j].Unchanged
		r.NotModified = items[j].Batch.NotModified
		if !r.NotModified {
			r.Seen, r.Kept, r.Dropped = items[j].Batch.Seen, r.New+r.Updated+r.Unchanged, items[j].Batch.Dropped
		}
	}
	for i, f := range group {
		if !failed[i] && !isStoreError(f.err) {
			h.finish(ctx, pass, f, &results[i])
		}
	}
	return results
}

// saveBatches saves items in one transaction. When that fails and there
// are several, it saves them one by one, so that one source's bad batch
// cannot lose the others' and each error is its own source's.
func (h *Harvester) saveBatches(ctx context.Context, items []BatchItem) ([]SaveResult, []error) {
	errs := make([]error, len(items))
	if len(items) > 1 {
		res, err := h.Store.SaveBatches(ctx, items)
		if err == nil {
			return res, errs
		}
		h.logger().Warn("saving a group of sources failed; saving them one by one", "sources", len(items), "err", err)
	}
	res := make([]SaveResult, len(items))
	for i := range items {
		one, err := h.Store.SaveBatches(ctx, items[i:i+1])
		if err != nil {
			errs[i] = err
			continue
		}
		res[i] = one[0]
	}
	return res, errs
}

// saveFailed records that the store refused f's batch as a failure of its
// source, as any other failure is recorded (so `sources` and the daemon's
// /sources show it failing), and returns the source's error. That is a
// store error, which ends the pass; when the store cannot record the
// failure either, the error says both, so neither is lost.
func (h *Harvester) saveFailed(ctx context.Context, pass time.Time, f fetched, saveErr error) error {
	err := fmt.Errorf("save: %w", saveErr)
	if f.err != nil {
		// The source failed half way, and what it got could not be saved.
		err = fmt.Errorf("%w; %w", f.err, err)
	}
	state := f.state
	state.Name, state.Type = f.src.Name(), f.src.Type()
	if rerr := h.Store.SaveFailure(ctx, state, pass, err); rerr != nil {
		h.logger().Error("recording the failure failed", "source", state.Name, "err", rerr)
		return storeError{fmt.Errorf("%w; recording the failure also failed: %w", err, rerr)}
	}
	return storeError{err}
}

// finish records a source's failure, if any, once its batch is saved, and
// logs its line.
func (h *Harvester) finish(ctx context.Context, pass time.Time, f fetched, r *Result) {
	log := h.logger().With("source", r.Source)
	if f.err != nil && ctx.Err() != nil {
		// Cancelled (a shutdown, a ^C): the source did not fail, it was
		// stopped, and must not start a backoff or show "failing since".
		log.Info("harvest interrupted", "err", f.err)
		return
	}
	if f.err != nil {
		state := f.state
		state.Name, state.Type = r.Source, r.Type
		if err := h.Store.SaveFailure(context.WithoutCancel(ctx), state, pass, f.err); err != nil {
			r.Err = storeError{fmt.Errorf("save failure of %s: %w (after: %w)", r.Source, err, f.err)}
			return
		}
		log.Warn("harvest failed", "err", f.err, "duration", r.Duration.Round(time.Millisecond))
		return
	}
	kept := "not modified"
	if !r.NotModified {
		kept = KeptSummary(r.Seen, r.Kept, r.Dropped)
	}
	log.Info("harvested", "new", r.New, "updated", r.Updated, "unchanged", r.Unchanged,
		"not_modified", r.NotModified, "kept", kept, "duration", r.Duration.Round(time.Millisecond))
}

// prepare makes a batch safe to store: every observation carries its
// source's name and is cleaned, and those dated before Since are dropped.
// It counts what was read and dropped (the source's drops and its own)
// and marks the batch with the configuration and window it was read with.
func (h *Harvester) prepare(source string, b *Batch) *Batch {
	since := h.sinceDay()
	out := *b
	out.Config, out.Since = h.Fingerprints[source], since
	out.Dropped = make(map[string]int, len(b.Dropped)+1)
	out.Seen = len(b.Observations)
	for k, n := range b.Dropped {
		if n > 0 {
			out.Dropped[k] += n
			out.Seen += n
		}
	}
	out.Observations = make([]Observation, 0, len(b.Observations))
	ids := make(map[string]bool, len(b.Observations))
	for i := range b.Observations {
		in := &b.Observations[i]
		switch {
		case in.NativeID == "":
			// No identity: it could never be updated, only duplicated.
			out.Dropped[DroppedNoID]++
			continue
		case since != "" && !in.Date.IsZero() && in.Day(h.location()) < since:
			out.Dropped[DroppedSince]++
			continue
		case ids[in.NativeID]:
			// Stored once, the last one winning (Store.SaveBatches): one
			// item kept, the others counted as repeats.
			out.Dropped[DroppedRepeated]++
		}
		ids[in.NativeID] = true
		out.Observations = append(out.Observations, *in)
		o := &out.Observations[len(out.Observations)-1]
		o.Source = source
		o.Title = CleanText(o.Title)
		o.Description = CleanText(o.Description)
	}
	return &out
}

func (h *Harvester) location() *time.Location {
	if h.Log.Location != nil {
		return h.Log.Location
	}
	return time.Local
}
