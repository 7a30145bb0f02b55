package daemon

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"sync"
	"time"

	"github.com/contriblog/contriblog/harvester"
)

// memStore is an in-memory harvester.Store that behaves like the bbolt one
// where the daemon relies on it: SaveFailure counts failures in a row and
// SaveBatch resets them (keeping NextTry, which only the daemon clears).
type memStore struct {
	mu     sync.Mutex
	obs    map[string]harvester.Observation
	states map[string]harvester.SourceState
	edits  map[string]harvester.Edit
	log    []harvester.Contribution
	stamp  string                  // the log's, as StoreLog recorded it
	rev    uint64                  // bumped by every change to observations or edits
	saved  []harvester.SourceState // every SaveState, in order
	broken error                   // returned by every read when set
}

var _ harvester.Store = (*memStore)(nil)

func newMemStore() *memStore {
	return &memStore{obs: map[string]harvester.Observation{}, states: map[string]harvester.SourceState{},
		edits: map[string]harvester.Edit{}}
}

func (s *memStore) setBroken(err error) {
	s.mu.Lock()
	s.broken = err
	s.mu.Unlock()
}

func (s *memStore) SourceState(_ context.Context, name string) (harvester.SourceState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.states[name]
	if !ok {
		st.Name = name
	}
	return st, s.broken
}

func (s *memStore) SourceStates(context.Context) ([]harvester.SourceState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.broken != nil {
		return nil, s.broken
	}
	out := make([]harvester.SourceState, 0, len(s.states))
	for _, st := range s.states {
		out = append(out, st)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func (s *memStore) SaveBatch(_ context.Context, st harvester.SourceState, b *harvester.Batch, pass time.Time) (harvester.SaveResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.saveBatch(st, b, pass), nil
}

func (s *memStore) SaveBatches(_ context.Context, items []harvester.BatchItem) ([]harvester.SaveResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]harvester.SaveResult, len(items))
	for i, it := range items {
		out[i] = s.saveBatch(it.State, it.Batch, it.Pass)
	}
	return out, nil
}

func (s *memStore) saveBatch(st harvester.SourceState, b *harvester.Batch, pass time.Time) harvester.SaveResult {
	var r harvester.SaveResult
	if len(b.Observations) > 0 {
		s.rev++
	}
	for _, o := range b.Observations {
		old, ok := s.obs[o.Key()]
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
		s.obs[o.Key()] = o
	}
	if stored, ok := s.states[st.Name]; ok {
		st.NextTry = stored.NextTry
	}
	st.LastRun, st.LastSuccess, st.LastError = pass, pass, ""
	st.Failures, st.FailingSince = 0, time.Time{}
	st.Items += r.New
	s.states[st.Name] = st
	return r
}

func strip(o harvester.Observation) harvester.Observation {
	o.FirstSeen, o.LastSeen = time.Time{}, time.Time{}
	return o
}

func (s *memStore) SaveFailure(_ context.Context, st harvester.SourceState, pass time.Time, err error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if stored, ok := s.states[st.Name]; ok {
		st = stored
	}
	st.LastRun, st.LastError = pass, err.Error()
	if st.Failures == 0 {
		st.FailingSince = pass
	}
	st.Failures++
	s.states[st.Name] = st
	return nil
}

func (s *memStore) SaveState(_ context.Context, st harvester.SourceState) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.states[st.Name] = st
	s.saved = append(s.saved, st)
	return nil
}

func (s *memStore) savedStates() []harvester.SourceState {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]harvester.SourceState(nil), s.saved...)
}

func (s *memStore) ForEachObservation(_ context.Context, fn func(*harvester.Observation) error) error {
	s.mu.Lock()
	all := make([]harvester.Observation, 0, len(s.obs))
	for _, o := range s.obs {
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

func (s *memStore) Edits(context.Context) ([]harvester.Edit, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]harvester.Edit, 0, len(s.edits))
	for _, e := range s.edits {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func (s *memStore) SaveEdit(_ context.Context, e harvester.Edit) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.edits[e.ID] = e
	s.rev++
	return nil
}

func (s *memStore) DeleteEdit(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.edits, id)
	s.rev++
	return nil
}

func (s *memStore) ReplaceLog(ctx context.Context, log []harvester.Contribution) error {
	_, err := s.StoreLog(ctx, log, "")
	return err
}

// StoreLog compares logs by their JSON, as the stored log is compared.
func (s *memStore) StoreLog(_ context.Context, log []harvester.Contribution, stamp string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stamp = stamp
	old, _ := json.Marshal(s.log)
	now, _ := json.Marshal(log)
	if len(log) == len(s.log) && string(old) == string(now) {
		return false, nil
	}
	s.log = append([]harvester.Contribution(nil), log...)
	return true, nil
}

func (s *memStore) LogState(context.Context) (harvester.LogState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return harvester.LogState{Stamp: s.stamp, Rows: len(s.log), Revision: s.rev}, s.broken
}

func (s *memStore) ForEachContribution(ctx context.Context, fn func(*harvester.Contribution) error) error {
	s.mu.Lock()
	if s.broken != nil {
		s.mu.Unlock()
		return s.broken
	}
	log := append([]harvester.Contribution(nil), s.log...)
	s.mu.Unlock()
	for i := range log {
		if err := fn(&log[i]); err != nil {
			return err
		}
	}
	return ctx.Err()
}

func (s *memStore) Contribution(_ context.Context, id string) (harvester.Contribution, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.log {
		if c.ID == id {
			return c, nil
		}
	}
	return harvester.Contribution{}, fmt.Errorf("contribution %s: %w", id, harvester.ErrNotFound)
}

func (s *memStore) Close() error { return nil }
