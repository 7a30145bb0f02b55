package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// ForgetSource removes every observation of the named source, with its
// description and seen times, and the source's state, in one transaction,
// and returns how many observations it removed. Edits and the stored log
// are left alone (the caller rebuilds the log).
func (db *DB) ForgetSource(ctx context.Context, name string) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if name == "" {
		return 0, errors.New("forget source: no source name")
	}
	// Every key of the source, plain or hashed (observationKey), starts
	// with its name and the separator, which no source name holds.
	prefix := []byte(name + "\x00")
	n := 0
	err := db.update(ctx, func(tx *bolt.Tx) error {
		// Each bucket is walked on its own: a description or seen time
		// left without its observation (a damaged file) goes too.
		for _, bucket := range [][]byte{bucketObservations, bucketText, bucketSeen, bucketMetricHistory} {
			removed, err := deletePrefix(tx.Bucket(bucket), prefix)
			if err != nil {
				return fmt.Errorf("delete from %s: %w", bucket, err)
			}
			if bytes.Equal(bucket, bucketObservations) {
				n = removed
			}
		}
		if err := tx.Bucket(bucketSources).Delete([]byte(name)); err != nil {
			return fmt.Errorf("delete the state of %s: %w", name, err)
		}
		if n > 0 {
			return bumpRevision(tx)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("forget source %s: %w", name, err)
	}
	return n, nil
}

// deletePrefix deletes every key of b that starts with prefix and
// returns how many it deleted.
func deletePrefix(b *bolt.Bucket, prefix []byte) (int, error) {
	var keys [][]byte
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		keys = append(keys, bytes.Clone(k))
	}
	for _, k := range keys {
		if err := b.Delete(k); err != nil {
			return 0, err
		}
	}
	return len(keys), nil
}
