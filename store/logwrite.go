package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/contriblog/contriblog/harvester"
)

// logChunkRows bounds the rows one transaction of StoreLog writes. bbolt
// keeps everything a transaction writes in memory until it commits, twice
// over (the values given to Put, then the pages they are copied into), so
// a 50,000-row log written in one transaction added twice its size to the
// peak memory of a rebuild. Rows are a few hundred bytes (descriptions are
// kept by reference), and each commit costs two fsyncs.
const logChunkRows = 16384

// logPieceRows is how many rows are encoded at a time. Pieces are much
// smaller than a transaction so that bbolt, which writes on one CPU, starts
// on the first rows at once and puts rows while the next are encoded on
// the others: waiting for a whole chunk to be encoded first left the
// writer idle for a fifth of StoreLog.
const logPieceRows = 2048

// bucketLogNext holds the log being written, as nested buckets named like
// the log's own, until StoreLog's last transaction moves them in place of
// the log's. A crash part way leaves it behind; the next StoreLog starts
// by dropping it.
var bucketLogNext = []byte("log.next")

// logRow is one contribution encoded for the log bucket.
type logRow struct {
	key, value []byte
	id         string
	sum        [sha256.Size]byte // of value
}

// indexEntry is one entry of the log index: an id and the key of its row.
type indexEntry struct {
	id  string
	key []byte
}

// StoreLog replaces the computed log with log and records stamp with it:
// readers see either the old log or the new one, never a mix. Every row is
// kept; when two rows share an id (which BuildLog never makes),
// Contribution finds the older one and a warning is logged. The store
// keeps a hash of the stored rows, so when log is exactly the stored log
// nothing of the old log is read or replaced: only the stamp is recorded,
// and changed is false.
//
// Unlike the other methods it takes several transactions: the rows are
// written in chunks of logChunkRows beside the log, then the hash is
// checked, and the last transaction swaps them in with the stamp, so
// readers still see the old log or the new one, whole. Calls are
// serialised.
func (db *DB) StoreLog(ctx context.Context, log []harvester.Contribution, stamp string) (changed bool, err error) {
	db.logMu.Lock()
	defer db.logMu.Unlock()
	keys, order := logOrder(log)
	summary := summarize(log)
	// The index needs no encoding: it is made and sorted on the side while
	// the rows are encoded and written.
	indexed := make(chan []indexEntry, 1)
	go func() { indexed <- db.logIndex(log, keys, order) }()
	// Rows are encoded (on all CPUs) while the ones before them are
	// written (bbolt writes on one): the writing alone was a third of a
	// rebuild.
	stop := make(chan struct{})
	defer close(stop)
	pieces := encodePieces(log, keys, order, stop)
	sum := newLogHasher()
	var encodeErr error
	piece, more := <-pieces
	for first := true; more; first = false {
		err := db.update(ctx, func(tx *bolt.Tx) error {
			if first { // what an interrupted StoreLog left goes with it
				if err := resetLogNext(tx); err != nil {
					return err
				}
			}
			for n := 0; more && n < logChunkRows; piece, more = <-pieces {
				if piece.err != nil {
					encodeErr = piece.err
					return piece.err
				}
				for i := range piece.rows {
					sum.add(piece.rows[i].key, &piece.rows[i].sum)
				}
				if err := putRows(tx, piece.rows); err != nil {
					return err
				}
				n += len(piece.rows)
			}
			if !more {
				// The index goes in with the last rows: it is ready by
				// then, and bbolt moves a bucket only as committed.
				return putIndex(tx, <-indexed)
			}
			return nil
		})
		if encodeErr != nil {
			return false, encodeErr
		}
		if err != nil {
			return false, fmt.Errorf("replace log: %w", err)
		}
	}
	hash := sum.sum()
	err = db.update(ctx, func(tx *bolt.Tx) error {
		if bytes.Equal(storedLogSum(tx), hash) {
			// The same rows: the stored log stays, and only the stamp
			// is recorded.
			meta := tx.Bucket(bucketMeta)
			return errors.Join(tx.DeleteBucket(bucketLogNext), summary.put(meta), meta.Put(keyLogStamp, []byte(stamp)))
		}
		changed = true
		return swapLog(tx, hash, len(log), stamp, summary)
	})
	if err != nil {
		return false, fmt.Errorf("replace log: %w", err)
	}
	return changed, nil
}

// encodedPiece is up to logPieceRows rows, encoded, in key order.
type encodedPiece struct {
	rows []logRow
	err  error
}

// encodePieces encodes the rows in order, a piece at a time, and hands
// each piece over as soon as it is done, up to a transaction's worth
// ahead of the writer; it stops (and closes the channel) after an error
// or when stop is closed. An empty log is one empty piece, so that the
// first transaction still makes the buckets of the log being written.
func encodePieces(log []harvester.Contribution, keys [][]byte, order []int, stop <-chan struct{}) <-chan encodedPiece {
	out := make(chan encodedPiece, logChunkRows/logPieceRows)
	go func() {
		defer close(out)
		for start := 0; start == 0 || start < len(order); start += logPieceRows {
			rows, err := encodeRows(log, keys, order[start:min(start+logPieceRows, len(order))])
			select {
			case out <- encodedPiece{rows, err}:
			case <-stop:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	return out
}

// logIndex is the log's index, sorted by id: each id points at its first
// row in key order. Sorting by id, then key, puts the rows that share an
// id side by side, the one to keep first: no set of ids is needed.
func (db *DB) logIndex(log []harvester.Contribution, keys [][]byte, order []int) []indexEntry {
	all := make([]indexEntry, len(order))
	for i, pos := range order {
		all[i] = indexEntry{id: log[pos].ID, key: keys[pos]}
	}
	slices.SortFunc(all, func(a, b indexEntry) int {
		if c := strings.Compare(a.id, b.id); c != 0 {
			return c
		}
		return bytes.Compare(a.key, b.key)
	})
	index := all[:0]
	for i, r := range all {
		switch {
		case r.id == "":
			db.logger.Warn("log row without id: it cannot be looked up", "key", fmt.Sprintf("%q", r.key))
		case i > 0 && r.id == all[i-1].id:
			db.logger.Warn("two log rows share an id: the older one is the one looked up", "id", r.id)
		default:
			index = append(index, r)
		}
	}
	return index
}

// resetLogNext drops what an interrupted StoreLog left and makes empty
// buckets for the next log.
func resetLogNext(tx *bolt.Tx) error {
	if err := tx.DeleteBucket(bucketLogNext); err != nil && !errors.Is(err, berrors.ErrBucketNotFound) {
		return fmt.Errorf("drop %s: %w", bucketLogNext, err)
	}
	next, err := tx.CreateBucket(bucketLogNext)
	if err != nil {
		return err
	}
	for _, name := range [][]byte{bucketLog, bucketLogID} {
		if _, err := next.CreateBucket(name); err != nil {
			return err
		}
	}
	return nil
}

// logOrder returns every row's key and the rows' positions in key order.
func logOrder(log []harvester.Contribution) ([][]byte, []int) {
	keys := make([][]byte, len(log))
	order := make([]int, len(log))
	for i := range log {
		keys[i], order[i] = logKey(log[i].Date, i), i
	}
	slices.SortFunc(order, func(a, b int) int { return bytes.Compare(keys[a], keys[b]) })
	return keys, order
}

// encodeRows encodes the rows at positions, in that order. Encoding is
// most of the CPU writing a log costs: it is spread over the CPUs, each
// worker a contiguous part.
func encodeRows(log []harvester.Contribution, keys [][]byte, positions []int) ([]logRow, error) {
	rows := make([]logRow, len(positions))
	workers := min(runtime.GOMAXPROCS(0), len(positions)/256+1)
	part := (len(positions) + workers - 1) / workers
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for j := w * part; j < min((w+1)*part, len(positions)); j++ {
				c := &log[positions[j]]
				v, err := encodeContribution(c)
				if err != nil {
					errs[w] = fmt.Errorf("replace log: encode %s: %w", c.ID, err)
					return
				}
				rows[j] = logRow{key: keys[positions[j]], id: c.ID, value: v, sum: sha256.Sum256(v)}
			}
		})
	}
	wg.Wait()
	return rows, errors.Join(errs...)
}

// putRows adds rows, in key order, to the log being written.
func putRows(tx *bolt.Tx, rows []logRow) error {
	b := tx.Bucket(bucketLogNext).Bucket(bucketLog)
	// Rows go in in key order, so full pages are never split again.
	b.FillPercent = 1
	for _, r := range rows {
		if err := b.Put(r.key, r.value); err != nil {
			return fmt.Errorf("row %s: %w", r.id, err)
		}
	}
	return nil
}

// putIndex writes the index of the log being written.
func putIndex(tx *bolt.Tx, index []indexEntry) error {
	ib := tx.Bucket(bucketLogNext).Bucket(bucketLogID)
	// The index too goes in in key order: a bucket's node holds its keys
	// in one slice until the commit, and inserting in the middle of it
	// moves half of it every time.
	ib.FillPercent = 1
	for _, r := range index { // sorted by id (logIndex)
		if err := ib.Put([]byte(r.id), r.key); err != nil {
			return fmt.Errorf("index %s: %w", r.id, err)
		}
	}
	return nil
}

// swapLog ends StoreLog: it moves the written log in place of the stored
// one and records the log's meta.
func swapLog(tx *bolt.Tx, sum []byte, rows int, stamp string, summary logSummary) error {
	next := tx.Bucket(bucketLogNext)
	for _, name := range [][]byte{bucketLog, bucketLogID} {
		if err := tx.DeleteBucket(name); err != nil && !errors.Is(err, berrors.ErrBucketNotFound) {
			return fmt.Errorf("drop %s: %w", name, err)
		}
		if err := tx.MoveBucket(name, next, nil); err != nil {
			return fmt.Errorf("move %s in place: %w", name, err)
		}
	}
	if err := tx.DeleteBucket(bucketLogNext); err != nil {
		return err
	}
	return putLogMeta(tx.Bucket(bucketMeta), sum, rows, stamp, summary)
}

// storedLogSum is the stored log's hash; a database that never recorded
// one has the empty log's when its log is empty, else none.
func storedLogSum(tx *bolt.Tx) []byte {
	if sum := tx.Bucket(bucketMeta).Get(keyLogSum); sum != nil {
		return sum
	}
	if k, _ := tx.Bucket(bucketLog).Cursor().First(); k == nil {
		return newLogHasher().sum()
	}
	return nil
}
