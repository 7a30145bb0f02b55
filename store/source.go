package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/contriblog/contriblog/harvester"
)

// SourceState returns the named source's state; a source never seen, or
// whose state does not decode (skipped with a warning), gets a zero state
// with Name set and no error.
func (db *DB) SourceState(ctx context.Context, name string) (harvester.SourceState, error) {
	st := harvester.SourceState{Name: name}
	err := db.view(ctx, func(tx *bolt.Tx) error {
		if got, found := getState(tx.Bucket(bucketSources), name, db.warnRecord); found {
			st = got
		}
		return nil
	})
	if err != nil {
		return harvester.SourceState{}, err
	}
	return st, nil
}

// SourceStates returns the state of every source the store has seen,
// sorted by name; a state that does not decode is skipped with a warning
// naming its key.
func (db *DB) SourceStates(ctx context.Context) ([]harvester.SourceState, error) {
	var out []harvester.SourceState
	err := db.view(ctx, func(tx *bolt.Tx) error {
		return tx.Bucket(bucketSources).ForEach(func(k, v []byte) error {
			var st harvester.SourceState
			if err := json.Unmarshal(v, &st); err != nil {
				// The other sources' states still show; the next pass of
				// this source starts from a zero state and rewrites it
				// (getState).
				db.warnRecord(bucketSources, k, err)
				return nil
			}
			out = append(out, st)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// SaveFailure records that a pass of the source failed at pass with err's
// message ("unknown error" for a nil err): the pass becomes its last run,
// the failure count grows, and the first failure in a row sets
// FailingSince. Nothing else of the stored state changes (a batch saved
// just before, in the same pass, is kept) but a non-empty state.Type.
func (db *DB) SaveFailure(ctx context.Context, state harvester.SourceState, pass time.Time, err error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if state.Name == "" {
		return errors.New("save failure: source state has no name")
	}
	msg := "unknown error"
	if err != nil {
		msg = err.Error()
	}
	return db.update(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSources)
		st, found := getState(b, state.Name, db.warnRecord)
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
		if err := putState(b, &st); err != nil {
			return fmt.Errorf("save failure of %s: %w", state.Name, err)
		}
		return nil
	})
}

// SaveState stores state as it is (the daemon's backoff uses it to set
// NextTry).
func (db *DB) SaveState(ctx context.Context, state harvester.SourceState) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if state.Name == "" {
		return errors.New("save state: source state has no name")
	}
	return db.update(ctx, func(tx *bolt.Tx) error {
		if err := putState(tx.Bucket(bucketSources), &state); err != nil {
			return fmt.Errorf("save state of %s: %w", state.Name, err)
		}
		return nil
	})
}

// getState reads a source's stored state; found is false when there is
// none, or when it does not decode: warn is told, and the source then
// starts again from a zero state (its next pass fetches everything and
// stores a sound state) instead of failing every pass.
func getState(b *bolt.Bucket, name string, warn func(bucket, key []byte, err error)) (st harvester.SourceState, found bool) {
	v := b.Get([]byte(name))
	if v == nil {
		return st, false
	}
	if err := json.Unmarshal(v, &st); err != nil {
		warn(bucketSources, []byte(name), err)
		return harvester.SourceState{}, false
	}
	return st, true
}

func putState(b *bolt.Bucket, st *harvester.SourceState) error {
	v, err := marshal(st)
	if err != nil {
		return fmt.Errorf("encode state: %w", err)
	}
	return b.Put([]byte(st.Name), v)
}
