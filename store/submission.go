package store

import (
	"context"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/contriblog/contriblog/harvester"
)

// submissionKey is a record's key: its program and contribution id.
func submissionKey(program, id string) []byte { return []byte(program + "\x00" + id) }

// Submissions returns every submission record, ordered by program and
// id; a record that does not decode is skipped with a warning naming its
// key.
func (db *DB) Submissions(ctx context.Context) ([]harvester.Submission, error) {
	var out []harvester.Submission
	err := db.view(ctx, func(tx *bolt.Tx) error {
		return tx.Bucket(bucketSubmissions).ForEach(func(k, v []byte) error {
			var s harvester.Submission
			if err := json.Unmarshal(v, &s); err != nil {
				db.warnRecord(bucketSubmissions, k, err)
				return nil
			}
			out = append(out, s)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// SaveSubmissions stores subs in one transaction, each replacing the
// record of its program and id. Records live in their own bucket, which
// no harvest and no rebuild writes; they change no log (the store's
// revision stays).
func (db *DB) SaveSubmissions(ctx context.Context, subs []harvester.Submission) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	vals := make([][]byte, len(subs))
	for i := range subs {
		if err := subs[i].Check(); err != nil {
			return fmt.Errorf("save submission: %w", err)
		}
		v, err := marshal(&subs[i])
		if err != nil {
			return fmt.Errorf("save submission %s/%s: encode: %w", subs[i].Program, subs[i].ID, err)
		}
		vals[i] = v
	}
	return db.update(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSubmissions)
		for i, s := range subs {
			if err := b.Put(submissionKey(s.Program, s.ID), vals[i]); err != nil {
				return fmt.Errorf("save submission %s/%s: %w", s.Program, s.ID, err)
			}
		}
		return nil
	})
}

// DeleteSubmissions removes the records of program for ids, in one
// transaction, and returns how many there were.
func (db *DB) DeleteSubmissions(ctx context.Context, program string, ids []string) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	n := 0
	err := db.update(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSubmissions)
		for _, id := range ids {
			k := submissionKey(program, id)
			if b.Get(k) == nil {
				continue
			}
			if err := b.Delete(k); err != nil {
				return fmt.Errorf("delete submission %s/%s: %w", program, id, err)
			}
			n++
		}
		return nil
	})
	return n, err
}
