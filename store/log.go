package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/contriblog/contriblog/harvester"
)

// logRow is one contribution encoded for the log bucket.
type logRow struct {
	key, id, value []byte
	index          bool // whether logid points at this row
}

// logKey orders the log: the row's date (YYYY-MM-DD sorts as text), then
// its position in the slice ReplaceLog was given. A log sorted by date
// (whatever breaks its ties) therefore comes back exactly as it was stored,
// and one that is not still comes back oldest first.
func logKey(date string, pos int) []byte {
	k := make([]byte, 0, len(date)+9)
	k = append(k, date...)
	k = append(k, 0)
	return binary.BigEndian.AppendUint64(k, uint64(pos))
}

// ReplaceLog replaces the computed log with log in one transaction:
// readers see either the old log or the new one, never a mix. Every row is
// kept; when two rows share an id (which BuildLog never makes), Contribution
// finds the older one and a warning is logged.
func (db *DB) ReplaceLog(ctx context.Context, log []harvester.Contribution) error {
	rows, err := db.encodeLog(log)
	if err != nil {
		return err
	}
	return db.update(ctx, func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketLog, bucketLogID} {
			if err := tx.DeleteBucket(name); err != nil && !errors.Is(err, berrors.ErrBucketNotFound) {
				return fmt.Errorf("replace log: drop %s: %w", name, err)
			}
		}
		lb, err := tx.CreateBucket(bucketLog)
		if err != nil {
			return fmt.Errorf("replace log: %w", err)
		}
		ib, err := tx.CreateBucket(bucketLogID)
		if err != nil {
			return fmt.Errorf("replace log: %w", err)
		}
		// Rows go in in key order, so full pages are never split again.
		lb.FillPercent = 1
		for _, r := range rows {
			if err := lb.Put(r.key, r.value); err != nil {
				return fmt.Errorf("replace log: row %s: %w", r.id, err)
			}
			if r.index {
				if err := ib.Put(r.id, r.key); err != nil {
					return fmt.Errorf("replace log: index %s: %w", r.id, err)
				}
			}
		}
		return nil
	})
}

// encodeLog encodes every row before the write lock is taken and sorts
// them by key. It decides which row each id points at.
func (db *DB) encodeLog(log []harvester.Contribution) ([]logRow, error) {
	rows := make([]logRow, len(log))
	// Encoding is most of the CPU a 50,000-row log costs: spread it over
	// the CPUs, each worker a contiguous chunk with its own encoder.
	workers := min(runtime.GOMAXPROCS(0), len(log)/1000+1)
	chunk := (len(log) + workers - 1) / workers
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			enc := newEncoder()
			for i := w * chunk; i < min((w+1)*chunk, len(log)); i++ {
				v, err := enc.encode(&log[i])
				if err != nil {
					errs[w] = fmt.Errorf("replace log: encode %s: %w", log[i].ID, err)
					return
				}
				rows[i] = logRow{key: logKey(log[i].Date, i), id: []byte(log[i].ID), value: v}
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	slices.SortFunc(rows, func(a, b logRow) int { return bytes.Compare(a.key, b.key) })
	ids := make(map[string]bool, len(rows))
	for i := range rows {
		id := string(rows[i].id)
		switch {
		case id == "":
			db.logger.Warn("log row without id: it cannot be looked up", "key", fmt.Sprintf("%q", rows[i].key))
		case ids[id]:
			db.logger.Warn("two log rows share an id: the older one is the one looked up", "id", id)
		default:
			ids[id] = true
			rows[i].index = true
		}
	}
	return rows, nil
}

// ForEachContribution calls fn with a copy of every row of the stored log,
// oldest first. Like ForEachObservation it runs in one read transaction:
// fn should be quick and must not write to db. An error from fn stops the
// walk and is returned as it is.
func (db *DB) ForEachContribution(ctx context.Context, fn func(*harvester.Contribution) error) error {
	return db.view(ctx, func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketLog).Cursor()
		n := 0
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if n++; n%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			row := new(harvester.Contribution)
			if err := json.Unmarshal(v, row); err != nil {
				return fmt.Errorf("decode log row %q: %w", k, err)
			}
			if err := fn(row); err != nil {
				return err
			}
		}
		return nil
	})
}

// Contribution returns the log row with id, or an error wrapping
// harvester.ErrNotFound.
func (db *DB) Contribution(ctx context.Context, id string) (harvester.Contribution, error) {
	var row harvester.Contribution
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var key []byte
		if id != "" {
			key = tx.Bucket(bucketLogID).Get([]byte(id))
		}
		if key == nil {
			return fmt.Errorf("contribution %q: %w", id, harvester.ErrNotFound)
		}
		v := tx.Bucket(bucketLog).Get(key)
		if v == nil {
			return fmt.Errorf("contribution %q: the log index points at a missing row (run a harvest to rebuild the log)", id)
		}
		if err := json.Unmarshal(v, &row); err != nil {
			return fmt.Errorf("decode contribution %s: %w", id, err)
		}
		return nil
	})
	if err != nil {
		return harvester.Contribution{}, err
	}
	return row, nil
}
