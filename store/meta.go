package store

import (
	"crypto/sha256"
	"encoding/binary"
	"hash"
	"strconv"

	bolt "go.etcd.io/bbolt"
)

// Keys of the meta bucket besides the schema version. Numbers are decimal
// strings, so that `bbolt get` shows them as they are.
var (
	// keyRevision is harvester.LogState's Revision: bumped by every
	// transaction that changes observations, seen times or edits.
	keyRevision = []byte("revision")
	// keyLogStamp is what the last StoreLog recorded with the log.
	keyLogStamp = []byte("log_stamp")
	// keyLogRows counts the log's rows.
	keyLogRows = []byte("log_rows")
	// keyLogSum is the hash of the log's rows (logHasher), which tells
	// StoreLog that a log is already stored without reading it.
	keyLogSum = []byte("log_sum")
)

func getUint(b *bolt.Bucket, key []byte) uint64 {
	n, _ := strconv.ParseUint(string(b.Get(key)), 10, 64)
	return n
}

func putUint(b *bolt.Bucket, key []byte, n uint64) error {
	return b.Put(key, []byte(strconv.FormatUint(n, 10)))
}

// bumpRevision moves the store's revision on, in tx.
func bumpRevision(tx *bolt.Tx) error {
	meta := tx.Bucket(bucketMeta)
	return putUint(meta, keyRevision, getUint(meta, keyRevision)+1)
}

// putLogMeta records what the store knows of the log just written.
func putLogMeta(meta *bolt.Bucket, sum []byte, rows int, stamp string) error {
	if err := meta.Put(keyLogSum, sum); err != nil {
		return err
	}
	if err := putUint(meta, keyLogRows, uint64(rows)); err != nil {
		return err
	}
	return meta.Put(keyLogStamp, []byte(stamp))
}

// logHasher hashes a log's rows in key order: each row's key and the
// SHA-256 of its value (which encodeLog computes in parallel).
type logHasher struct{ h hash.Hash }

// logSumVersion is hashed first, so that a change of how rows are encoded
// or hashed never finds an old sum equal.
const logSumVersion = "logsum/2"

func newLogHasher() logHasher {
	h := sha256.New()
	h.Write([]byte(logSumVersion))
	return logHasher{h: h}
}

func (l logHasher) add(key []byte, valueSum *[sha256.Size]byte) {
	l.h.Write(binary.AppendUvarint(nil, uint64(len(key))))
	l.h.Write(key)
	l.h.Write(valueSum[:])
}

func (l logHasher) sum() []byte { return l.h.Sum(nil) }
