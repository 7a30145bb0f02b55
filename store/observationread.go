package store

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/contriblog/contriblog/harvester"
)

// ForEachObservation calls fn with a copy of every stored observation, in
// key order, with FirstSeen and LastSeen filled in (the strings of one
// observation share one allocation, its description another). Without
// harvester.WithDescriptions it never reads the descriptions: each
// observation that has one comes with Description empty and
// DescriptionOmitted set. A record that does not decode is skipped with a
// warning naming its bucket and key (a damaged seen record or description
// reads as absent). It runs in one read transaction, so fn sees a
// consistent snapshot; fn should be quick and must not write to db (a
// writer that needs to grow the file waits for this transaction to end).
// An error from fn stops the walk and is returned as it is.
func (db *DB) ForEachObservation(ctx context.Context, descriptions harvester.Descriptions, fn func(*harvester.Observation) error) error {
	return db.forEachObservation(ctx, descriptions == harvester.OmitDescriptions, fn)
}

// readBatch is how many observations forEachObservation decodes at a time.
const readBatch = 4096

// storedObservation is one observation's records, as bbolt holds them
// (valid until the transaction ends).
type storedObservation struct {
	key, value, seen []byte
	text             []byte // nil when brief or when it has no description
}

func (db *DB) forEachObservation(ctx context.Context, brief bool, fn func(*harvester.Observation) error) error {
	return db.view(ctx, func(tx *bolt.Tx) error {
		// The seen and description records have the observations' keys,
		// so cursors walk them side by side: a lookup of each, from the
		// root, cost as much as decoding.
		seen := sideCursor{c: tx.Bucket(bucketSeen).Cursor()}
		var text sideCursor
		if !brief {
			text = sideCursor{c: tx.Bucket(bucketText).Cursor()}
		}
		batch := make([]storedObservation, 0, readBatch)
		c := tx.Bucket(bucketObservations).Cursor()
		for k, v := c.First(); ; k, v = c.Next() {
			if k != nil {
				batch = append(batch, storedObservation{key: k, value: v, seen: seen.get(k), text: text.get(k)})
				if len(batch) < readBatch {
					continue
				}
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := db.decodeStored(batch, brief, fn); err != nil {
				return err
			}
			if k == nil {
				return nil
			}
			batch = batch[:0]
		}
	})
}

// decodeStored decodes batch on every CPU, then gives fn the observations
// in order; it stops at the first error of fn. A record that does not
// decode is skipped with a warning naming it (decodeStoredObservation): one
// damaged record must not hide every other observation from the log.
func (db *DB) decodeStored(batch []storedObservation, brief bool, fn func(*harvester.Observation) error) error {
	obs := make([]*harvester.Observation, len(batch))
	problems := make([][]recordProblem, len(batch))
	workers := min(runtime.GOMAXPROCS(0), len(batch)/256+1)
	part := (len(batch) + workers - 1) / workers
	// The workers read bbolt's memory map: a damaged page panics or
	// faults on them, and each hands that back to be re-raised here,
	// inside the method's guard.
	panics := make([]panicSlot, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			panics[w].protect(func() {
				for i := w * part; i < min((w+1)*part, len(batch)); i++ {
					obs[i], problems[i] = decodeStoredObservation(&batch[i], brief)
				}
			})
		})
	}
	wg.Wait()
	for i := range panics {
		panics[i].repanic()
	}
	for i, o := range obs {
		for _, p := range problems[i] {
			db.warnRecord(p.bucket, batch[i].key, p.err)
		}
		if o == nil {
			continue
		}
		if err := call(fn, o); err != nil {
			return err
		}
	}
	return nil
}

// recordProblem is a stored record that does not decode.
type recordProblem struct {
	bucket []byte
	err    error
}

// warnRecord logs that the record under key in bucket does not decode and
// is skipped.
func (db *DB) warnRecord(bucket, key []byte, err error) {
	db.logger.Warn("skipping a damaged record: it does not decode (`contriblog validate` lists every one)",
		"bucket", string(bucket), "key", fmt.Sprintf("%q", key), "err", err)
}

// decodeStoredObservation decodes one observation. An observation that
// does not decode is nil; a seen record or a description that does not
// decode reads as absent (never seen, no description), as when it is lost.
func decodeStoredObservation(r *storedObservation, brief bool) (*harvester.Observation, []recordProblem) {
	o, descLen, err := decodeObservation(r.value)
	if err != nil {
		return nil, []recordProblem{{bucketObservations, err}}
	}
	var problems []recordProblem
	if !brief && descLen > 0 {
		if o.Description, err = description(r.text, descLen); err != nil {
			problems = append(problems, recordProblem{bucketText, err})
		}
	}
	o.DescriptionOmitted = brief && descLen > 0
	if r.seen != nil {
		if o.FirstSeen, o.LastSeen, err = decodeSeen(r.seen); err != nil {
			o.FirstSeen, o.LastSeen = time.Time{}, time.Time{}
			problems = append(problems, recordProblem{bucketSeen, err})
		}
	}
	return o, problems
}

// sideCursor finds the values of ascending keys in a bucket by walking it
// once; the zero sideCursor finds nothing.
type sideCursor struct {
	c    *bolt.Cursor
	k, v []byte
	open bool
}

// get returns the value of key, which must be greater than the keys asked
// for before, or nil.
func (s *sideCursor) get(key []byte) []byte {
	if s.c == nil {
		return nil
	}
	if !s.open {
		s.k, s.v = s.c.Seek(key)
		s.open = true
	}
	for s.k != nil && bytes.Compare(s.k, key) < 0 {
		s.k, s.v = s.c.Next()
	}
	if s.k != nil && bytes.Equal(s.k, key) {
		return s.v
	}
	return nil
}
