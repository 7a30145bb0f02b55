package memstore

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sort"
	"time"

	"github.com/contriblog/contriblog/harvester"
)

// SaveBatches saves the items as harvester.Store documents, through a
// transaction of its own (txn) so that a failing item leaves nothing of
// the others behind.
func (s *Store) SaveBatches(ctx context.Context, items []harvester.BatchItem) ([]harvester.SaveResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if s.Fail != nil {
		return nil, s.Fail
	}
	tx := txn{s: s, obs: map[string]harvester.Observation{}, states: map[string]harvester.SourceState{},
		history: map[string][]harvester.MetricPoint{}}
	out := make([]harvester.SaveResult, len(items))
	wrote := false
	for i, it := range items {
		obs, err := prepare(it)
		if err == nil {
			out[i], err = tx.save(it, obs)
		}
		if err != nil {
			return nil, fmt.Errorf("source %s: %w", it.State.Name, err)
		}
		wrote = wrote || len(obs) > 0
	}
	maps.Copy(s.Obs, tx.obs)
	maps.Copy(s.States, tx.states)
	if s.history == nil {
		s.history = map[string][]harvester.MetricPoint{}
	}
	maps.Copy(s.history, tx.history)
	if wrote {
		s.rev++
	}
	return out, nil
}

// prepare checks an item and returns its observations as the store will
// keep them, without seen times, the last of repeated ones only.
func prepare(it harvester.BatchItem) ([]harvester.Observation, error) {
	name := it.State.Name
	if name == "" {
		return nil, errors.New("source state has no name")
	}
	if it.Batch == nil {
		return nil, nil
	}
	in := it.Batch.Observations
	out := make([]harvester.Observation, 0, len(in))
	seen := make(map[string]bool, len(in))
	for i := len(in) - 1; i >= 0; i-- {
		o := in[i]
		if o.Source == "" {
			o.Source = name
		}
		if o.Source != name {
			return nil, fmt.Errorf("observation %q belongs to source %q", o.NativeID, o.Source)
		}
		if o.NativeID == "" {
			return nil, fmt.Errorf("observation %d (%q) has no native id", i, o.Title)
		}
		if seen[o.Key()] {
			continue
		}
		seen[o.Key()] = true
		n, err := normalise(o)
		if err != nil {
			return nil, fmt.Errorf("observation %q: %w", o.NativeID, err)
		}
		out = append(out, n)
	}
	return out, nil
}

// normalise returns a copy of o as the bbolt store encodes it: dates it
// cannot show dropped, dates in UTC, empty slices and maps nil (its
// encoding is JSON's), no seen times.
func normalise(o harvester.Observation) (harvester.Observation, error) {
	for _, t := range []*time.Time{&o.Date, &o.EndDate} {
		if y := t.Year(); !t.IsZero() && (y < 0 || y > 9999) {
			*t = time.Time{}
		}
		*t = t.UTC()
	}
	o.FirstSeen, o.LastSeen, o.DescriptionOmitted = time.Time{}, time.Time{}, false
	return clone(o)
}

// txn is what SaveBatches has written so far, over the store's contents.
type txn struct {
	s      *Store
	obs    map[string]harvester.Observation
	states map[string]harvester.SourceState
	// history holds the metric points of the observations saved new or
	// updated, whole.
	history map[string][]harvester.MetricPoint
}

func (tx *txn) observation(key string) (harvester.Observation, bool) {
	if o, ok := tx.obs[key]; ok {
		return o, true
	}
	o, ok := tx.s.Obs[key]
	return o, ok
}

// save stores one item's observations and its source's new state.
func (tx *txn) save(it harvester.BatchItem, obs []harvester.Observation) (harvester.SaveResult, error) {
	var r harvester.SaveResult
	pass := it.Pass.UTC()
	for _, o := range obs {
		old, found := tx.observation(o.Key())
		switch {
		case !found:
			r.New++
			tx.appendMetrics(o, pass)
			if o.Date.IsZero() {
				o.Date, o.DateFallback = pass, "first_seen"
			}
			o.FirstSeen = pass
		default:
			if o.Date.IsZero() {
				o.Date, o.DateFallback = old.Date, old.DateFallback
			}
			stored := old
			stored.FirstSeen, stored.LastSeen = time.Time{}, time.Time{}
			if reflect.DeepEqual(stored, o) {
				r.Unchanged++
			} else {
				r.Updated++
				tx.appendMetrics(o, pass)
			}
			o.FirstSeen = old.FirstSeen
			if o.FirstSeen.IsZero() { // as the bbolt store heals a lost seen record
				o.FirstSeen = pass
			}
		}
		o.LastSeen = pass
		tx.obs[o.Key()] = o
	}
	return r, tx.saveState(it, r)
}

// appendMetrics records o's changed metrics as the bbolt store does.
func (tx *txn) appendMetrics(o harvester.Observation, pass time.Time) {
	k := o.Key()
	points, ok := tx.history[k]
	if !ok {
		points = slices.Clone(tx.s.history[k])
	}
	if points, grew := harvester.AppendMetricChanges(points, o.Metrics, pass); grew {
		tx.history[k] = points
	}
}

// MetricHistory returns copies of the observations' metric points as the
// bbolt store does.
func (s *Store) MetricHistory(ctx context.Context, keys []string) (map[string][]harvester.MetricPoint, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.read(ctx); err != nil {
		return nil, fmt.Errorf("read metric history: %w", err)
	}
	out := make(map[string][]harvester.MetricPoint)
	if keys == nil {
		for k, points := range s.history {
			out[k] = slices.Clone(points)
		}
		return out, nil
	}
	for _, k := range keys {
		if points, ok := s.history[k]; ok {
			out[k] = slices.Clone(points)
		}
	}
	return out, nil
}

// saveState records a successful pass in the source's state.
func (tx *txn) saveState(it harvester.BatchItem, r harvester.SaveResult) error {
	name := it.State.Name
	st, found := tx.states[name]
	if !found {
		var err error
		if st, found, err = tx.s.storedState(name); err != nil {
			return err
		}
	}
	if !found {
		st = it.State
		st.Items = 0
	}
	if it.State.Type != "" {
		st.Type = it.State.Type
	}
	st.LastRun, st.LastSuccess = it.Pass, it.Pass
	st.LastError, st.Failures, st.FailingSince = "", 0, time.Time{}
	b := it.Batch
	if b == nil {
		b = &harvester.Batch{}
	}
	if !b.NotModified {
		st.ETag, st.LastModified = b.ETag, b.LastModified
	}
	if b.Data != nil {
		st.Data = b.Data
	}
	st.Items += r.New
	st.LastNew, st.LastUpdated, st.LastUnchanged = r.New, r.Updated, r.Unchanged
	st.RecordRead(b, it.Pass, r)
	st, err := clone(st)
	if err != nil {
		return fmt.Errorf("encode state: %w", err)
	}
	tx.states[name] = st
	return nil
}

// ForEachObservation walks copies of the stored observations in key order.
func (s *Store) ForEachObservation(ctx context.Context, descriptions harvester.Descriptions, fn func(*harvester.Observation) error) error {
	s.mu.Lock()
	if err := s.read(ctx); err != nil {
		s.mu.Unlock()
		return err
	}
	all := make([]harvester.Observation, 0, len(s.Obs))
	for _, o := range s.Obs {
		all = append(all, copyObservation(o))
	}
	s.mu.Unlock()
	sort.Slice(all, func(i, j int) bool { return all[i].Key() < all[j].Key() })
	for i := range all {
		o := &all[i]
		if descriptions == harvester.OmitDescriptions {
			o.DescriptionOmitted, o.Description = o.Description != "", ""
		}
		if err := fn(o); err != nil {
			return err
		}
	}
	return nil
}

// copyObservation is a deep copy of o.
func copyObservation(o harvester.Observation) harvester.Observation {
	for _, ss := range []*[]string{&o.OtherURLs, &o.Authors, &o.Categories, &o.AdditionalAreas, &o.TargetAudience} {
		*ss = slices.Clone(*ss)
	}
	o.Metrics, o.Meta, o.Counts = maps.Clone(o.Metrics), maps.Clone(o.Meta), maps.Clone(o.Counts)
	return o
}
