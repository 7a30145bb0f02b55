// Package memstore is an in-memory harvester.Store for the tests of code
// that uses a store — the pipeline, the daemon — so that they need no
// database file. It passes the conformance suite that store.DB passes
// (harvester/storetest), so it behaves as the bbolt store does in every
// rule harvester.Store documents: what it is given and what it hands out
// are copies, normalised as the bbolt store's encoding normalises them.
package memstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/contriblog/contriblog/harvester"
)

// Store is the in-memory store. Tests may set up and inspect its exported
// fields directly while nothing else uses it (or inside Locked).
type Store struct {
	// Obs holds the observations as stored (with their seen times), by
	// harvester.ObservationKey.
	Obs map[string]harvester.Observation
	// States holds the source states, by source name.
	States map[string]harvester.SourceState
	// Log holds the log's rows as stored: in log order, and a row whose
	// description is one of its observations' with DescriptionOf set and
	// Description empty (filled in when the row is read).
	Log []harvester.Contribution
	// Fail, when set, is returned by SaveBatches, which then saves
	// nothing: a full disk.
	Fail error

	mu     sync.Mutex
	edits  map[string]harvester.Edit
	subs   map[string]harvester.Submission // by program + "\x00" + id
	stamp  string                          // the log's, as StoreLog recorded it
	given  string                          // fingerprint of the log last given to StoreLog, in its order
	rev    uint64                          // bumped by every change to observations or edits
	saved  []harvester.SourceState         // every SaveState, in order
	broken error                           // returned by every read when set
	// history holds the observations' metric points, by key.
	history map[string][]harvester.MetricPoint
}

var _ harvester.Store = (*Store)(nil)

// New returns an empty store.
func New() *Store {
	return &Store{Obs: map[string]harvester.Observation{}, States: map[string]harvester.SourceState{},
		edits: map[string]harvester.Edit{}, subs: map[string]harvester.Submission{}}
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

// read is where every read starts, with the store locked.
func (s *Store) read(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.broken
}

// SourceState returns a copy of the named source's state.
func (s *Store) SourceState(ctx context.Context, name string) (harvester.SourceState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.read(ctx); err != nil {
		return harvester.SourceState{}, err
	}
	st, ok := s.States[name]
	if !ok {
		return harvester.SourceState{Name: name}, nil
	}
	return clone(st)
}

// SourceStates returns copies of every source's state, sorted by name.
func (s *Store) SourceStates(ctx context.Context) ([]harvester.SourceState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.read(ctx); err != nil {
		return nil, err
	}
	out := make([]harvester.SourceState, 0, len(s.States))
	for _, st := range s.States {
		c, err := clone(st)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// storedState returns the stored state of the source, as the bbolt store
// reads it, and whether there is one.
func (s *Store) storedState(name string) (harvester.SourceState, bool, error) {
	st, ok := s.States[name]
	if !ok {
		return harvester.SourceState{}, false, nil
	}
	st, err := clone(st)
	return st, true, err
}

// putState stores st as the bbolt store's JSON keeps it.
func (s *Store) putState(st harvester.SourceState) error {
	st, err := clone(st)
	if err != nil {
		return fmt.Errorf("encode state of %s: %w", st.Name, err)
	}
	s.States[st.Name] = st
	return nil
}

// SaveFailure records a failed pass as the bbolt store does.
func (s *Store) SaveFailure(ctx context.Context, state harvester.SourceState, pass time.Time, err error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if cerr := ctx.Err(); cerr != nil {
		return cerr
	}
	if state.Name == "" {
		return errors.New("save failure: source state has no name")
	}
	msg := "unknown error"
	if err != nil {
		msg = err.Error()
	}
	st, found, cerr := s.storedState(state.Name)
	if cerr != nil {
		return cerr
	}
	if !found {
		st = state
		st.Failures, st.FailingSince = 0, time.Time{}
	}
	if state.Type != "" {
		st.Type = state.Type
	}
	st.LastRun, st.LastError = pass, msg
	if st.Failures == 0 || st.FailingSince.IsZero() {
		st.FailingSince = pass
	}
	st.Failures++
	return s.putState(st)
}

// SaveState stores a copy of state and remembers it for SavedStates.
func (s *Store) SaveState(ctx context.Context, state harvester.SourceState) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	if state.Name == "" {
		return errors.New("save state: source state has no name")
	}
	if err := s.putState(state); err != nil {
		return err
	}
	s.saved = append(s.saved, s.States[state.Name])
	return nil
}

// SavedStates returns every state SaveState was given, in order.
func (s *Store) SavedStates() []harvester.SourceState {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]harvester.SourceState, len(s.saved))
	for i, st := range s.saved {
		out[i], _ = clone(st) // it was stored, so it encodes
	}
	return out
}

// Edits returns copies of the edits, ordered by id.
func (s *Store) Edits(ctx context.Context) ([]harvester.Edit, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.read(ctx); err != nil {
		return nil, err
	}
	out := make([]harvester.Edit, 0, len(s.edits))
	for _, e := range s.edits {
		c, err := clone(e)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// SaveEdit stores a copy of e and moves the revision.
func (s *Store) SaveEdit(ctx context.Context, e harvester.Edit) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	if e.ID == "" {
		return errors.New("save edit: the edit has no id")
	}
	e, err := clone(e)
	if err != nil {
		return fmt.Errorf("save edit %s: encode: %w", e.ID, err)
	}
	s.edits[e.ID] = e
	s.rev++
	return nil
}

// Close does nothing: the store lives as long as it is referenced.
func (s *Store) Close() error { return nil }

// clone returns a deep copy of v as the bbolt store keeps it: through
// JSON, which is how it stores source states and edits (empty maps and
// omitted fields come back nil, times lose their monotonic reading).
func clone[T any](v T) (T, error) {
	var out T
	b, err := json.Marshal(v)
	if err != nil {
		return out, err
	}
	err = json.Unmarshal(b, &out)
	return out, err
}
