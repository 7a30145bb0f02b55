package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/contriblog/contriblog/harvester"
)

// record is an Observation as the observations bucket holds it: without
// FirstSeen and LastSeen, which live in the seen bucket. Because the stored
// bytes carry only content, an observation seen again is unchanged exactly
// when its encoding equals the stored bytes, with nothing decoded.
//
// The two pointer fields shadow the embedded Observation's fields of the
// same JSON name (a shallower field wins in encoding/json): being nil and
// omitempty they leave them out, and on decoding they swallow whatever a
// record might hold under those names.
type record struct {
	*harvester.Observation
	FirstSeen *json.RawMessage `json:"first_seen,omitempty"`
	LastSeen  *json.RawMessage `json:"last_seen,omitempty"`
}

// encodeObservation returns the stored form of o: its JSON without seen
// times. The slice is freshly allocated, as bbolt's Put needs its value to
// stay untouched until the transaction ends.
func encodeObservation(e *encoder, o *harvester.Observation) ([]byte, error) {
	return e.encode(record{Observation: o})
}

// decodeObservation is the inverse of encodeObservation; the result shares
// nothing with data.
func decodeObservation(data []byte) (*harvester.Observation, error) {
	o := new(harvester.Observation)
	if err := json.Unmarshal(data, &record{Observation: o}); err != nil {
		return nil, err
	}
	return o, nil
}

// marshal encodes v as compact JSON without escaping <, > and & (titles and
// descriptions are full of them; escaping only makes the file bigger).
func marshal(v any) ([]byte, error) { return newEncoder().encode(v) }

// encoder encodes many values through one buffer, as marshal does.
type encoder struct {
	buf bytes.Buffer
	enc *json.Encoder
}

func newEncoder() *encoder {
	e := &encoder{}
	e.enc = json.NewEncoder(&e.buf)
	e.enc.SetEscapeHTML(false)
	return e
}

// encode returns v's JSON in a slice of its own, exactly as long as it
// needs to be.
func (e *encoder) encode(v any) ([]byte, error) {
	e.buf.Reset()
	if err := e.enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.Clone(bytes.TrimSuffix(e.buf.Bytes(), []byte("\n"))), nil
}

// seenLen is the size of a seen value: first and last seen, each a UTC
// time.Time in its 15-byte binary form.
const seenLen = 30

func encodeSeen(first, last time.Time) []byte {
	out := make([]byte, 0, seenLen)
	// MarshalBinary fails only for zone offsets that are not whole
	// minutes; UTC has none.
	f, _ := first.UTC().MarshalBinary()
	l, _ := last.UTC().MarshalBinary()
	return append(append(out, f...), l...)
}

func decodeSeen(v []byte) (first, last time.Time, err error) {
	if len(v) != seenLen {
		return first, last, fmt.Errorf("seen record of %d bytes, want %d", len(v), seenLen)
	}
	if err := first.UnmarshalBinary(v[:seenLen/2]); err != nil {
		return first, last, err
	}
	if err := last.UnmarshalBinary(v[seenLen/2:]); err != nil {
		return first, last, err
	}
	return first, last, nil
}

// maxKeyLen bounds observation keys. Longer ones (a feed with a 40 KiB
// GUID) are hashed so that bbolt's key limit can never fail a batch; the
// record itself keeps the full native id.
const maxKeyLen = 1024

// observationKey is the bucket key of the observation with source and
// nativeID: harvester.ObservationKey, or its hash when it is too long.
func observationKey(source, nativeID string) []byte {
	k := harvester.ObservationKey(source, nativeID)
	if len(k) <= maxKeyLen {
		return []byte(k)
	}
	// 0xff never occurs in UTF-8, so a hashed key cannot equal a plain one.
	sum := sha256.Sum256([]byte(k))
	return []byte(source + "\x00\xffsha256:" + hex.EncodeToString(sum[:]))
}

// ForEachObservation calls fn with a copy of every stored observation, in
// key order, with FirstSeen and LastSeen filled in. It runs in one read
// transaction, so fn sees a consistent snapshot; fn should be quick and
// must not write to db (a writer that needs to grow the file waits for
// this transaction to end). An error from fn stops the walk and is
// returned as it is.
func (db *DB) ForEachObservation(ctx context.Context, fn func(*harvester.Observation) error) error {
	return db.view(ctx, func(tx *bolt.Tx) error {
		seen := tx.Bucket(bucketSeen)
		c := tx.Bucket(bucketObservations).Cursor()
		n := 0
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if n++; n%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			o, err := decodeObservation(v)
			if err != nil {
				return fmt.Errorf("decode observation %q: %w", k, err)
			}
			if sv := seen.Get(k); sv != nil {
				if o.FirstSeen, o.LastSeen, err = decodeSeen(sv); err != nil {
					return fmt.Errorf("decode seen times of %q: %w", k, err)
				}
			}
			if err := fn(o); err != nil {
				return err
			}
		}
		return nil
	})
}
