package store

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/contriblog/contriblog/harvester"
)

// migrateBinaryRecords rewrites a schema 1 database's observations and log
// rows, which were JSON, in the binary form of schema 2, and records the
// log's row count and hash. The log gets no stamp: the next rebuild
// computes it again, and finds its rows unchanged.
func migrateBinaryRecords(tx *bolt.Tx) error {
	// Observations are written as this build stores them (schema 3): the
	// next migration then finds nothing to do.
	if err := rewriteObservations(tx, decodeObservationV1); err != nil {
		return err
	}
	log := tx.Bucket(bucketLog)
	if log == nil {
		return nil
	}
	h := newLogHasher()
	rows := 0
	var summary []harvester.Contribution // the fields summarize reads
	err := rewrite(log, func(k, v []byte) ([]byte, error) {
		var c harvester.Contribution
		if err := json.Unmarshal(v, &c); err != nil {
			return nil, fmt.Errorf("log row %q: %w", k, err)
		}
		summary = append(summary, harvester.Contribution{Person: c.Person, Excluded: c.Excluded})
		enc, err := encodeContribution(&c)
		if err != nil {
			return nil, fmt.Errorf("log row %q: %w", k, err)
		}
		sum := sha256.Sum256(enc)
		h.add(k, &sum)
		rows++
		return enc, nil
	})
	if err != nil {
		return err
	}
	return putLogMeta(tx.Bucket(bucketMeta), h.sum(), rows, "", summarize(summary))
}

// migrateDescriptions moves every observation's description out of its
// record (schema 2, format 0xb1) into the descriptions bucket.
func migrateDescriptions(tx *bolt.Tx) error {
	return rewriteObservations(tx, func(v []byte) (*harvester.Observation, error) {
		if len(v) > 0 && (v[0] == formatObservation || v[0] == formatObservationForms) {
			return nil, nil // written by the migration from schema 1
		}
		o, _, err := decodeObservation(v)
		return o, err
	})
}

// rewriteObservations stores every observation again, as decode reads its
// stored record, in this build's form; one decode returns nil for is left
// as it is.
func rewriteObservations(tx *bolt.Tx, decode func([]byte) (*harvester.Observation, error)) error {
	obs := tx.Bucket(bucketObservations)
	if obs == nil {
		return nil
	}
	text, err := tx.CreateBucketIfNotExists(bucketText)
	if err != nil {
		return err
	}
	return rewrite(obs, func(k, v []byte) ([]byte, error) {
		o, err := decode(v)
		if err != nil {
			return nil, fmt.Errorf("observation %q: %w", k, err)
		}
		if o == nil {
			return append([]byte(nil), v...), nil
		}
		core, desc, err := encodeObservation(o)
		if err != nil {
			return nil, fmt.Errorf("observation %q: %w", k, err)
		}
		if desc != nil {
			if err := text.Put(append([]byte(nil), k...), desc); err != nil {
				return nil, err
			}
		}
		return core, nil
	})
}

// rewrite replaces every value of b, in key order, with what convert
// makes of it. Keys and values are collected first: bbolt does not
// promise a cursor survives writes to its bucket.
func rewrite(b *bolt.Bucket, convert func(k, v []byte) ([]byte, error)) error {
	type kv struct{ k, v []byte }
	var all []kv
	err := b.ForEach(func(k, v []byte) error {
		nv, err := convert(k, v)
		if err != nil {
			return err
		}
		all = append(all, kv{k: append([]byte(nil), k...), v: nv})
		return nil
	})
	if err != nil {
		return err
	}
	for _, e := range all {
		if err := b.Put(e.k, e.v); err != nil {
			return err
		}
	}
	return nil
}

// recordV1 is an Observation as schema 1 stored it: JSON without FirstSeen
// and LastSeen. The two pointer fields shadow the embedded Observation's
// fields of the same JSON name (a shallower field wins in encoding/json),
// so that decoding swallows whatever a record might hold under them.
type recordV1 struct {
	*harvester.Observation
	FirstSeen *json.RawMessage `json:"first_seen,omitempty"`
	LastSeen  *json.RawMessage `json:"last_seen,omitempty"`
}

// decodeObservationV1 decodes a schema 1 observation.
func decodeObservationV1(data []byte) (*harvester.Observation, error) {
	o := new(harvester.Observation)
	if err := json.Unmarshal(data, &recordV1{Observation: o}); err != nil {
		return nil, err
	}
	return o, nil
}

// scrubListingURLs blanks the link of every observation stored with its
// calendar's or Sessionize endpoint's URL (URLIsListing: what the ics and
// sessionize sources gave an event without a page of its own before
// issue 15). That URL is a listing, never a contribution's link, and a
// secret one (a private calendar address) must not stay in the database.
// The next rebuild drops it from the log's rows.
func scrubListingURLs(tx *bolt.Tx) error {
	obs, text := tx.Bucket(bucketObservations), tx.Bucket(bucketText)
	if obs == nil {
		return nil
	}
	return rewrite(obs, func(k, v []byte) ([]byte, error) {
		keep := append([]byte(nil), v...)
		o, descLen, err := decodeObservation(v)
		if err != nil {
			// Left as it is: reading skips an undecodable record with a
			// warning, and `validate` reports it.
			return keep, nil
		}
		if !o.URLIsListing {
			return keep, nil
		}
		if o.Description, err = readDescription(tx, k, descLen); err != nil {
			return keep, nil
		}
		o.URL, o.URLIsListing = "", false
		core, desc, err := encodeObservation(o)
		if err != nil {
			return nil, fmt.Errorf("observation %q: %w", k, err)
		}
		if desc != nil && text != nil {
			if err := text.Put(append([]byte(nil), k...), desc); err != nil {
				return nil, err
			}
		}
		return core, nil
	})
}

// allowFormsFields changes no record: records of schema 4 are records of
// schema 5. The version moves so that an older contriblog, which would
// skip a record of format 0xb3 or 0xc3 as damaged (and lose a hand-kept
// entry's counts at its next harvest), refuses the file and says to
// upgrade instead.
func allowFormsFields(*bolt.Tx) error { return nil }
