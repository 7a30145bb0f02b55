package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/contriblog/contriblog/harvester"
)

// Edits returns every stored curation edit, ordered by id; an edit that
// does not decode is skipped with a warning naming its key.
func (db *DB) Edits(ctx context.Context) ([]harvester.Edit, error) {
	var out []harvester.Edit
	err := db.view(ctx, func(tx *bolt.Tx) error {
		return tx.Bucket(bucketEdits).ForEach(func(k, v []byte) error {
			var e harvester.Edit
			if err := json.Unmarshal(v, &e); err != nil {
				// One damaged edit must not undo every other curation.
				db.warnRecord(bucketEdits, k, err)
				return nil
			}
			out = append(out, e)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// SaveEdit stores e, replacing any edit with the same ID. Edits live in
// their own bucket, which no harvest and no log rebuild ever writes.
func (db *DB) SaveEdit(ctx context.Context, e harvester.Edit) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if e.ID == "" {
		return errors.New("save edit: the edit has no id")
	}
	v, err := marshal(&e)
	if err != nil {
		return fmt.Errorf("save edit %s: encode: %w", e.ID, err)
	}
	return db.update(ctx, func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketEdits).Put([]byte(e.ID), v); err != nil {
			return fmt.Errorf("save edit %s: %w", e.ID, err)
		}
		return bumpRevision(tx)
	})
}

// DeleteEdit removes the edit with id; removing one that does not exist is
// no error. It is not part of harvester.Store: no command removes an edit
// (a later edit of the same row replaces it).
func (db *DB) DeleteEdit(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if id == "" {
		return nil
	}
	return db.update(ctx, func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketEdits).Delete([]byte(id)); err != nil {
			return fmt.Errorf("delete edit %s: %w", id, err)
		}
		return bumpRevision(tx)
	})
}
