package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"

	bolt "go.etcd.io/bbolt"

	"github.com/contriblog/contriblog/harvester"
)

// maxCheckErrors bounds how many problems Check reports; a badly damaged
// file would otherwise produce one per page.
const maxCheckErrors = 50

// Check verifies the database in one read transaction: bbolt's own
// consistency check of pages and free list (tx.Check), then contriblog's
// invariants: a current schema, every observation decodable and paired
// with a seen record and its description (and no seen record or
// description without one), every source state,
// edit and log row decodable, and the log index pointing at rows of the
// same id.
// It returns nil for a sound database, else every problem found (up to
// 50), joined.
func (db *DB) Check() error {
	if err := db.problems(); err != nil {
		return fmt.Errorf("%w; what is wrong:\n%w", damaged(db.path, nil), err)
	}
	return nil
}

// problems is what Check finds, joined, without the damaged sentence
// (Restore words it for a backup).
func (db *DB) problems() error {
	var errs []error
	err := db.view(context.Background(), func(tx *bolt.Tx) error {
		if err := checkPagesOf(tx); err != nil {
			// The pages themselves are damaged: reading buckets could
			// only produce confusing follow-up errors.
			errs = append(errs, err)
			return nil
		}
		report := func(format string, args ...any) bool {
			errs = append(errs, fmt.Errorf(format, args...))
			return len(errs) < maxCheckErrors
		}
		checkSchema(tx, report)
		_ = checkObservations(tx, report) && checkDecodes(tx, report) && checkLogIndex(tx, report)
		return nil
	})
	var de *damagedError
	if errors.As(err, &de) {
		err = de.cause // a page bbolt panicked on: the sentence is the caller's
	}
	if err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// checkPagesOf checks every page tx can reach. It first reads them all in
// the calling goroutine, where guard makes a read through a bogus page id
// a recoverable panic, then runs bbolt's tx.Check, which reads them again
// on a goroutine of its own where such a read would end the process, and
// which recovers bbolt's assertions itself.
func checkPagesOf(tx *bolt.Tx) error {
	err := tx.ForEach(func(_ []byte, b *bolt.Bucket) error {
		// Stored where the compiler cannot drop the reads as unused.
		touched.Store(uint32(touchBucket(b)))
		return nil
	})
	if err != nil {
		return err
	}
	var errs []error
	for err := range tx.Check() {
		if len(errs) < maxCheckErrors {
			errs = append(errs, unpanicked(err))
		}
	}
	return errors.Join(errs...)
}

// unpanicked rewords the error bbolt's check reports for a page it
// panicked on ("panic: assertion failed: …"): a person reading validate's
// report, or a script that looks for crashes, must not take the finding
// for a crash of contriblog.
func unpanicked(err error) error {
	if msg, ok := strings.CutPrefix(err.Error(), "panic: "); ok {
		return fmt.Errorf("a page bbolt cannot read: %s", msg)
	}
	return err
}

var touched atomic.Uint32

// touchBucket reads the first and last byte of every key and value of b
// and of its nested buckets, so that every page they lie on is read.
func touchBucket(b *bolt.Bucket) byte {
	var x byte
	touch := func(s []byte) {
		if len(s) > 0 {
			x ^= s[0] ^ s[len(s)-1]
		}
	}
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		touch(k)
		touch(v)
		if v == nil {
			if nested := b.Bucket(k); nested != nil {
				x ^= touchBucket(nested)
			}
		}
	}
	return x
}

// reporter records one problem and says whether to look for more.
type reporter func(format string, args ...any) bool

func checkSchema(tx *bolt.Tx, report reporter) {
	v, err := readVersion(tx)
	if err != nil {
		report("schema: %w", err)
	} else if v != schemaVersion() {
		report("schema version %d, want %d", v, schemaVersion())
	}
	for _, name := range allBuckets {
		if tx.Bucket(name) == nil {
			report("bucket %s is missing", name)
		}
	}
}

func checkObservations(tx *bolt.Tx, report reporter) bool {
	obs, text, seen := tx.Bucket(bucketObservations), tx.Bucket(bucketText), tx.Bucket(bucketSeen)
	if obs == nil || text == nil || seen == nil {
		return false
	}
	err := obs.ForEach(func(k, v []byte) error {
		ok := true
		if o, descLen, err := decodeObservation(v); err != nil {
			ok = report("observation %q does not decode: %w", k, err)
		} else if !bytes.HasPrefix(k, []byte(o.Source+"\x00")) {
			ok = report("observation %q is stored under the key of another source than %q", k, o.Source)
		} else if _, err := readDescription(tx, k, descLen); err != nil {
			ok = report("observation %q: %w", k, err)
		}
		if sv := seen.Get(k); sv == nil {
			ok = report("observation %q has no seen record", k) && ok
		} else if _, _, err := decodeSeen(sv); err != nil {
			ok = report("seen record of %q: %w", k, err) && ok
		}
		return stopUnless(ok)
	})
	if err != nil {
		return false
	}
	for _, b := range []struct {
		bucket *bolt.Bucket
		what   string
	}{{seen, "seen record"}, {text, "description"}} {
		err := b.bucket.ForEach(func(k, _ []byte) error {
			if obs.Get(k) == nil {
				return stopUnless(report("%s %q has no observation", b.what, k))
			}
			return nil
		})
		if err != nil {
			return false
		}
	}
	return true
}

// checkDecodes checks that every source state and edit decodes.
func checkDecodes(tx *bolt.Tx, report reporter) bool {
	jsonDecoder := func(value func() any) func([]byte) error {
		return func(v []byte) error { return json.Unmarshal(v, value()) }
	}
	decoders := []struct {
		bucket []byte
		decode func([]byte) error
	}{
		{bucketSources, jsonDecoder(func() any { return new(harvester.SourceState) })},
		{bucketEdits, jsonDecoder(func() any { return new(harvester.Edit) })},
		{bucketLog, func(v []byte) error {
			c, err := decodeContribution(v)
			if err == nil {
				err = describe(tx, c)
			}
			return err
		}},
		{bucketMetricHistory, func(v []byte) error {
			_, err := decodeMetricHistory(v)
			return err
		}},
	}
	for _, d := range decoders {
		b := tx.Bucket(d.bucket)
		if b == nil {
			continue
		}
		err := b.ForEach(func(k, v []byte) error {
			if err := d.decode(v); err != nil {
				return stopUnless(report("%s %q does not decode: %w", d.bucket, k, err))
			}
			return nil
		})
		if err != nil {
			return false
		}
	}
	return true
}

func checkLogIndex(tx *bolt.Tx, report reporter) bool {
	log, ids := tx.Bucket(bucketLog), tx.Bucket(bucketLogID)
	if log == nil || ids == nil {
		return false
	}
	return ids.ForEach(func(id, key []byte) error {
		v := log.Get(key)
		if v == nil {
			return stopUnless(report("log index %q points at a missing row", id))
		}
		row, err := decodeContribution(v)
		if err != nil {
			row = &harvester.Contribution{}
		}
		if row.ID != string(id) {
			return stopUnless(report("log index %q points at a row of id %q", id, row.ID))
		}
		return nil
	}) == nil
}

// errStop ends a bucket walk once Check has reported enough.
var errStop = errors.New("too many problems")

func stopUnless(ok bool) error {
	if ok {
		return nil
	}
	return errStop
}
