// Package memstore is an in-memory harvester.Store for the tests of code
// that uses a store — the pipeline, the daemon — so that they need no
// database file; package store tests the bbolt implementation itself.
// It behaves like that one where callers rely on it: batches count new,
// updated and unchanged observations and keep first-seen times,
// SaveFailure counts failures in a row and a saved batch resets them
// (keeping NextTry, which only the daemon clears), the revision moves with
// every saved observation or edit, and the log is copied in and out.
package memstore

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"sync"
	"time"

	"github.com/contriblog/contriblog/harvester"
)

// Store is the in-memory store. Tests may set up and inspect its exported
// fields directly while nothing else uses it.
type Store struct {
	Obs    map[string]harvester.Observation // by harvester.ObservationKey
	States map[string]harvester.SourceState // by source name
	Log    []harvester.Contribution
	// Fail, when set, is returned by SaveBatch and SaveBatches, which then
	// save nothing: a full disk.
	Fail error

	mu     sync.Mutex
	edits  map[string]harvester.Edit
	stamp  string                  // the log's, as StoreLog recorded it
	rev    uint64                  // bumped by every change to observations or edits
	saved  []harvester.SourceState // every SaveState, in order
	broken error                   // returned by every read when set
}

var _ harvester.Store = (*Store)(nil)

// New returns an empty store.
func New() *Store {
	return &Store{Obs: map[string]harvester.Observation{}, States: map[string]harvester.SourceState{},
		edits: map[string]harvester.Edit{}}
}

// Locked runs fn with the store locked, for tests that change its
// exported fields while it is in use.
func (s *Store) Locked(fn func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fn()
}

// SetBroken makes every read fail with err (nil mends it): a database
// that cannot be read.
func (s *Store) SetBroken(err error) {
	s.mu.Lock()
	s.broken = err
	s.mu.Unlock()
}

func (s *Store) SourceState(_ context.Context, name string) (harvester.SourceState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.States[name]
	if !ok {
		st.Name = name
	}
	return st, s.broken
}

func (s *Store) SourceStates(context.Context) ([]harvester.SourceState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.broken != nil {
		return nil, s.broken
	}
	out := make([]harvester.SourceState, 0, len(s.States))
	for _, st := range s.States {
		out = append(out, st)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func (s *Store) SaveBatch(_ context.Context, st harvester.SourceState, b *harvester.Batch, pass time.Time) (harvester.SaveResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Fail != nil {
		return harvester.SaveResult{}, s.Fail
	}
	return s.saveBatch(st, b, pass), nil
}

func (s *Store) SaveBatches(_ context.Context, items []harvester.BatchItem) ([]harvester.SaveResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Fail != nil {
		return nil, s.Fail
	}
	out := make([]harvester.SaveResult, len(items))
	for i, it := range items {
		out[i] = s.saveBatch(it.State, it.Batch, it.Pass)
	}
	return out, nil
}

func (s *Store) saveBatch(st harvester.SourceState, b *harvester.Batch, pass time.Time) harvester.SaveResult {
	var r harvester.SaveResult
	if len(b.Observations) > 0 {
		s.rev++
	}
	for _, o := range b.Observations {
		old, ok := s.Obs[o.Key()]
		switch {
		case !ok:
			r.New++
			o.FirstSeen = pass
		case reflect.DeepEqual(strip(old), strip(o)):
			r.Unchanged++
			o = old
		default:
			r.Updated++
			o.FirstSeen = old.FirstSeen
		}
		o.LastSeen = pass
		s.Obs[o.Key()] = o
	}
	if stored, ok := s.States[st.Name]; ok {
		st.NextTry = stored.NextTry
	}
	st.LastRun, st.LastSuccess, st.LastError = pass, pass, ""
	if b.NotModified {
		st.ETag, st.LastModified = cmp.Or(b.ETag, st.ETag), cmp.Or(b.LastModified, st.LastModified)
	} else {
		st.ETag, st.LastModified = b.ETag, b.LastModified
	}
	st.Failures, st.FailingSince = 0, time.Time{}
	st.Items += r.New
	s.States[st.Name] = st
	return r
}

func strip(o harvester.Observation) harvester.Observation {
	o.FirstSeen, o.LastSeen = time.Time{}, time.Time{}
	return o
}

func (s *Store) SaveFailure(_ context.Context, st harvester.SourceState, pass time.Time, err error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if stored, ok := s.States[st.Name]; ok {
		st = stored
	}
	st.LastRun, st.LastError = pass, err.Error()
	if st.Failures == 0 {
		st.FailingSince = pass
	}
	st.Failures++
	s.States[st.Name] = st
	return nil
}

func (s *Store) SaveState(_ context.Context, st harvester.SourceState) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.States[st.Name] = st
	s.saved = append(s.saved, st)
	return nil
}

// SavedStates returns every state SaveState was given, in order.
func (s *Store) SavedStates() []harvester.SourceState {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]harvester.SourceState(nil), s.saved...)
}

func (s *Store) ForEachObservation(_ context.Context, fn func(*harvester.Observation) error) error {
	s.mu.Lock()
	all := make([]harvester.Observation, 0, len(s.Obs))
	for _, o := range s.Obs {
		all = append(all, o)
	}
	s.mu.Unlock()
	sort.Slice(all, func(i, j int) bool { return all[i].Key() < all[j].Key() })
	for i := range all {
		if err := fn(&all[i]); err != nil {
			return err
		}
	}
	return nil
}

// ForEachBriefObservation gives the observations without descriptions,
// as a real store does.
func (s *Store) ForEachBriefObservation(ctx context.Context, fn func(*harvester.Observation) error) error {
	return s.ForEachObservation(ctx, func(o *harvester.Observation) error {
		o.DescriptionOmitted = o.Description != ""
		o.Description = ""
		return fn(o)
	})
}

func (s *Store) Edits(context.Context) ([]harvester.Edit, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]harvester.Edit, 0, len(s.edits))
	for _, e := range s.edits {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func (s *Store) SaveEdit(_ context.Context, e harvester.Edit) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.edits[e.ID] = e
	s.rev++
	return nil
}

func (s *Store) DeleteEdit(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.edits, id)
	s.rev++
	return nil
}

func (s *Store) ReplaceLog(ctx context.Context, log []harvester.Contribution) error {
	_, err := s.StoreLog(ctx, log, "")
	return err
}

// StoreLog compares logs by their JSON, as the stored log is compared,
// and keeps a deep copy, as a real store would.
func (s *Store) StoreLog(_ context.Context, log []harvester.Contribution, stamp string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stamp = stamp
	// Rows built from brief observations name the observation whose
	// description they have; a real store reads it when it reads the row.
	log = append([]harvester.Contribution(nil), log...)
	for i := range log {
		if c := &log[i]; c.Description == "" && c.DescriptionOf != "" {
			c.Description = s.Obs[c.DescriptionOf].Description
		}
	}
	old, _ := json.Marshal(s.Log)
	now, err := json.Marshal(log)
	if err != nil {
		return false, fmt.Errorf("encode log: %w", err)
	}
	if len(log) == len(s.Log) && string(old) == string(now) {
		return false, nil
	}
	s.Log = nil
	return true, json.Unmarshal(now, &s.Log)
}

func (s *Store) LogState(context.Context) (harvester.LogState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return harvester.LogState{Stamp: s.stamp, Rows: len(s.Log), Revision: s.rev}, s.broken
}

func (s *Store) ForEachContribution(ctx context.Context, fn func(*harvester.Contribution) error) error {
	s.mu.Lock()
	if s.broken != nil {
		s.mu.Unlock()
		return s.broken
	}
	log := append([]harvester.Contribution(nil), s.Log...)
	s.mu.Unlock()
	for i := range log {
		if err := fn(&log[i]); err != nil {
			return err
		}
	}
	return ctx.Err()
}

func (s *Store) Contribution(_ context.Context, id string) (harvester.Contribution, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.Log {
		if c.ID == id {
			return c, nil
		}
	}
	return harvester.Contribution{}, fmt.Errorf("contribution %s: %w", id, harvester.ErrNotFound)
}

func (s *Store) Close() error { return nil }
