package harvester_test

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

// memStore is an in-memory harvester.Store for pipeline tests; the real
// store's own tests cover bbolt.
type memStore struct {
	mu     sync.Mutex
	obs    map[string]harvester.Observation
	states map[string]harvester.SourceState
	edits  map[string]harvester.Edit
	log    []harvester.Contribution
	stamp  string // the log's, as StoreLog recorded it
	rev    uint64 // bumped by every change to observations or edits
	saves  int
	fail   error // returned by SaveBatch and SaveBatches when set
}

var _ harvester.Store = (*memStore)(nil)

func newMemStore() *memStore {
	return &memStore{obs: map[string]harvester.Observation{}, states: map[string]harvester.SourceState{}, edits: map[string]harvester.Edit{}}
}

func (s *memStore) SourceState(_ context.Context, name string) (harvester.SourceState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.states[name]
	if !ok {
		st.Name = name
	}
	return st, nil
}

func (s *memStore) SourceStates(context.Context) ([]harvester.SourceState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []harvester.SourceState
	for _, st := range s.states {
		out = append(out, st)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func (s *memStore) SaveBatch(_ context.Context, st harvester.SourceState, b *harvester.Batch, pass time.Time) (harvester.SaveResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return harvester.SaveResult{}, s.fail
	}
	return s.saveBatch(st, b, pass), nil
}

func (s *memStore) SaveBatches(_ context.Context, items []harvester.BatchItem) ([]harvester.SaveResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return nil, s.fail
	}
	out := make([]harvester.SaveResult, len(items))
	for i, it := range items {
		out[i] = s.saveBatch(it.State, it.Batch, it.Pass)
	}
	return out, nil
}

func (s *memStore) saveBatch(st harvester.SourceState, b *harvester.Batch, pass time.Time) harvester.SaveResult {
	var r harvester.SaveResult
	s.saves++
	if len(b.Observations) > 0 {
		s.rev++
	}
	for _, o := range b.Observations {
		old, ok := s.obs[o.Key()]
		switch {
		case !ok:
			r.New++
			o.FirstSeen = pass
		case sameContent(old, o):
			r.Unchanged++
			o = old
		default:
			r.Updated++
			o.FirstSeen = old.FirstSeen
		}
		o.LastSeen = pass
		s.obs[o.Key()] = o
	}
	st.LastRun, st.LastSuccess, st.LastError = pass, pass, ""
	if !b.NotModified {
		st.ETag, st.LastModified = b.ETag, b.LastModified
	}
	s.states[st.Name] = st
	return r
}

func sameContent(a, b harvester.Observation) bool {
	a.FirstSeen, a.LastSeen, b.FirstSeen, b.LastSeen = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return reflect.DeepEqual(a, b)
}

func (s *memStore) SaveFailure(_ context.Context, st harvester.SourceState, pass time.Time, err error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if stored, ok := s.states[st.Name]; ok {
		st = stored // like the real store: only the failure fields change
	}
	st.LastRun, st.LastError = pass, err.Error()
	st.Failures++
	s.states[st.Name] = st
	return nil
}

func (s *memStore) SaveState(_ context.Context, st harvester.SourceState) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.states[st.Name] = st
	return nil
}

func (s *memStore) ForEachObservation(_ context.Context, fn func(*harvester.Observation) error) error {
	s.mu.Lock()
	keys := make([]string, 0, len(s.obs))
	for k := range s.obs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	all := make([]harvester.Observation, len(keys))
	for i, k := range keys {
		all[i] = s.obs[k]
	}
	s.mu.Unlock()
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
	var out []harvester.Edit
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

func (s *memStore) StoreLog(_ context.Context, log []harvester.Contribution, stamp string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, _ := json.Marshal(log) // deep copy, as a real store would
	old, _ := json.Marshal(s.log)
	s.stamp = stamp
	if len(log) == len(s.log) && string(b) == string(old) {
		return false, nil
	}
	s.log = nil
	return true, json.Unmarshal(b, &s.log)
}

func (s *memStore) LogState(context.Context) (harvester.LogState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return harvester.LogState{Stamp: s.stamp, Rows: len(s.log), Revision: s.rev}, nil
}

func (s *memStore) ForEachContribution(_ context.Context, fn func(*harvester.Contribution) error) error {
	s.mu.Lock()
	log := append([]harvester.Contribution(nil), s.log...)
	s.mu.Unlock()
	for i := range log {
		if err := fn(&log[i]); err != nil {
			return err
		}
	}
	return nil
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
