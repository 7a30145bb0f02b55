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

// save stores one source's harvest: its batch (even alongside an error, so
// partial work is kept) and then its failure, if any.
func (h *Harvester) save(ctx context.Context, pass time.Time, f fetched) Result {
	r := Result{Source: f.src.Name(), Type: f.src.Type(), Err: f.err, Duration: f.took}
	log := h.logger().With("source", r.Source)
	if isStoreError(f.err) {
		return r
	}
	state := f.state
	state.Name, state.Type = r.Source, r.Type
	// A save must not be abandoned half way because the pass was cancelled:
	// bbolt would roll back anyway, but finishing keeps the work fetched.
	sctx := context.WithoutCancel(ctx)
	if f.batch != nil {
		b := h.prepare(r.Source, f.batch)
		res, err := h.Store.SaveBatch(sctx, state, b, pass)
		if err != nil {
			r.Err = storeError{fmt.Errorf("save: %w", err)}
			log.Error("saving failed", "err", err)
			return r
		}
		r.New, r.Updated, r.Unchanged, r.NotModified = res.New, res.Updated, res.Unchanged, b.NotModified
	}
	if f.err != nil && ctx.Err() != nil {
		// Cancelled (a shutdown, a ^C): the source did not fail, it was
		// stopped, and must not start a backoff or show "failing since".
		log.Info("harvest interrupted", "err", f.err)
		return r
	}
	if f.err != nil {
		if err := h.Store.SaveFailure(sctx, state, pass, f.err); err != nil {
			r.Err = storeError{fmt.Errorf("save failure of %s: %w (after: %w)", r.Source, err, f.err)}
			return r
		}
		log.Warn("harvest failed", "err", f.err, "duration", r.Duration.Round(time.Millisecond))
		return r
	}
	log.Info("harvested", "new", r.New, "updated", r.Updated, "unchanged", r.Unchanged,
		"not_modified", r.NotModified, "duration", r.Duration.Round(time.Millisecond))
	return r
}

// prepare makes a batch safe to store: every observation carries its
// source's name and is cleaned, and those dated before Since are dropped.
func (h *Harvester) prepare(source string, b *Batch) *Batch {
	since := ""
	if !h.Since.IsZero() {
		since = h.Since.In(h.location()).Format(DateLayout)
	}
	out := *b
	out.Observations = make([]Observation, 0, len(b.Observations))
	for _, o := range b.Observations {
		o.Source = source
		if o.NativeID == "" {
			continue // no identity: it could never be updated, only duplicated
		}
		if since != "" && !o.Date.IsZero() && o.Day(h.location()) < since {
			continue
		}
		o.Title = CleanText(o.Title)
		o.Description = CleanText(o.Description)
		out.Observations = append(out.Observations, o)
	}
	return &out
}

func (h *Harvester) location() *time.Location {
	if h.Log.Location != nil {
		return h.Log.Location
	}
	return time.Local
}
