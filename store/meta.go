package store

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"hash"
	"strconv"

	bolt "go.etcd.io/bbolt"

	"github.com/contriblog/contriblog/harvester"
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
	// keyLogExcluded counts the log's rows curated as excluded, and
	// keyLogPersons holds its persons, a JSON array (harvester.LogSummary).
	keyLogExcluded = []byte("log_excluded")
	keyLogPersons  = []byte("log_persons")
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
func putLogMeta(meta *bolt.Bucket, sum []byte, rows int, stamp string, summary logSummary) error {
	if err := meta.Put(keyLogSum, sum); err != nil {
		return err
	}
	if err := putUint(meta, keyLogRows, uint64(rows)); err != nil {
		return err
	}
	if err := summary.put(meta); err != nil {
		return err
	}
	return meta.Put(keyLogStamp, []byte(stamp))
}

// logSummary is what LogState tells of the log besides its rows.
type logSummary struct {
	excluded int
	persons  []string
}

func summarize(log []harvester.Contribution) logSummary {
	excluded, persons := harvester.LogSummary(log)
	return logSummary{excluded, persons}
}

// put records the summary. It is recorded with every StoreLog, the rows
// changed or not, so that a log stored before the summary was kept gets
// one at its next rebuild.
func (s logSummary) put(meta *bolt.Bucket) error {
	persons, err := json.Marshal(s.persons)
	if err != nil {
		return err
	}
	if err := putUint(meta, keyLogExcluded, uint64(s.excluded)); err != nil {
		return err
	}
	return meta.Put(keyLogPersons, persons)
}

// getLogSummary reads the summary into st; a database whose log was
// stored before it was kept has none (Persons nil).
func getLogSummary(meta *bolt.Bucket, st *harvester.LogState) {
	st.Excluded = int(getUint(meta, keyLogExcluded))
	if v := meta.Get(keyLogPersons); v != nil {
		_ = json.Unmarshal(v, &st.Persons) // what put wrote; damage reads as none
	}
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
