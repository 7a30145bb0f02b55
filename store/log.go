package store

import (
	"context"
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/contriblog/contriblog/harvester"
)

// logKey orders the log: the row's date (YYYY-MM-DD sorts as text), then
// its position in the slice StoreLog was given. A log sorted by date
// (whatever breaks its ties) therefore comes back exactly as it was stored,
// and one that is not still comes back oldest first.
func logKey(date string, pos int) []byte {
	k := make([]byte, 0, len(date)+9)
	k = append(k, date...)
	k = append(k, 0)
	return binary.BigEndian.AppendUint64(k, uint64(pos))
}

// LogState returns the stored log's stamp and row count and the store's
// revision, read in one transaction.
func (db *DB) LogState(ctx context.Context) (harvester.LogState, error) {
	var st harvester.LogState
	err := db.view(ctx, func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		st.Stamp = string(meta.Get(keyLogStamp))
		st.Rows = int(getUint(meta, keyLogRows))
		getLogSummary(meta, &st)
		st.Revision = getUint(meta, keyRevision)
		return nil
	})
	return st, err
}

// ForEachContribution calls fn with a copy of every row of the stored log,
// oldest first; a row that does not decode is skipped with a warning
// naming its key. Like ForEachObservation it runs in one read
// transaction: fn should be quick and must not write to db. An error from
// fn stops the walk and is returned as it is.
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
			row, err := decodeContribution(v)
			if err == nil {
				err = describe(tx, row)
			}
			if err != nil {
				// One damaged row must not hide the rest of the log.
				db.warnRecord(bucketLog, k, err)
				continue
			}
			if err := call(fn, row); err != nil {
				return err
			}
		}
		return nil
	})
}

// Contribution returns the log row with id, or an error wrapping
// harvester.ErrNotFound; a row that does not decode is an error wrapping
// ErrDamaged.
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
		c, err := decodeContribution(v)
		if err == nil {
			err = describe(tx, c)
		}
		if err != nil {
			return fmt.Errorf("contribution %q: %w", id, damaged(db.path, fmt.Errorf("log row %q does not decode: %w", key, err)))
		}
		row = *c
		return nil
	})
	if err != nil {
		return harvester.Contribution{}, err
	}
	return row, nil
}
