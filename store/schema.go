package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	bolt "go.etcd.io/bbolt"
)

// The buckets. Observations (what sources saw) and the log (what was
// computed from them) are kept apart so the log can be rebuilt at any time
// without fetching anything again.
var (
	// bucketMeta holds the schema version, the store's revision and what
	// the store knows of its log (stamp, rows, hash).
	bucketMeta = []byte("meta")
	// bucketObservations maps an observation key to the observation
	// without its seen times (encodeObservation).
	bucketObservations = []byte("observations")
	// bucketText maps an observation key to the observation's description,
	// when it has one.
	bucketText = []byte("descriptions")
	// bucketSeen maps an observation key to its first and last seen times,
	// so that seeing an unchanged observation again costs a 30-byte write
	// instead of rewriting its JSON.
	bucketSeen = []byte("seen")
	// bucketSources maps a source name to its SourceState JSON.
	bucketSources = []byte("sources")
	// bucketEdits maps a contribution id to its Edit JSON.
	bucketEdits = []byte("edits")
	// bucketLog maps a log key (date, position) to a Contribution
	// (encodeContribution), so that a cursor walks the log oldest first.
	bucketLog = []byte("log")
	// bucketLogID maps a contribution id to its key in bucketLog.
	bucketLogID = []byte("logid")
	// bucketSubmissions maps program + "\x00" + contribution id to a
	// harvester.Submission (JSON): what is already in a program's portal.
	bucketSubmissions = []byte("submissions")
	// bucketMetricHistory maps an observation key to its metrics' points
	// (value, pass), appended only when a value changes
	// (encodeMetricHistory, docs/database.md#metric-history).
	bucketMetricHistory = []byte("metric_history")
)

// allBuckets are created at Open, in every schema version.
var allBuckets = [][]byte{bucketMeta, bucketObservations, bucketText, bucketSeen, bucketSources, bucketEdits, bucketLog, bucketLogID, bucketSubmissions, bucketMetricHistory}

// keySchemaVersion is the meta key of the schema version, a decimal
// string so that `bbolt get` shows it as it is.
var keySchemaVersion = []byte("schema_version")

// migration moves a database from one schema version to the next, inside
// the transaction Open runs them all in.
type migration func(tx *bolt.Tx) error

// migrations[i] brings a database from schema version i to i+1; a new
// database is version 0. Append to this list, never edit an entry that
// has shipped.
var migrations = []migration{
	createBuckets,        // 0 -> 1: the first schema
	migrateBinaryRecords, // 1 -> 2: observations and log rows binary (codec.go)
	migrateDescriptions,  // 2 -> 3: descriptions apart from observations
	scrubListingURLs,     // 3 -> 4: no calendar or Sessionize endpoint URL kept as an observation's link
	allowFormsFields,     // 4 -> 5: records may carry the programs' form fields (formats 0xb3, 0xc3)
	createBuckets,        // 5 -> 6: submission records
	seedMetricHistory,    // 6 -> 7: metric history, seeded with the current metrics (metrichistory.go)
}

// schemaVersion is the version this build writes and understands.
func schemaVersion() int { return len(migrations) }

func createBuckets(tx *bolt.Tx) error {
	for _, name := range allBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return nil
}

// prepare checks the file is a contriblog database of a schema this build
// knows and migrates it, in one read-write transaction, when it is older.
// A current database costs one read transaction and no fsync.
func (db *DB) prepare(readOnly bool) error {
	var version int
	current := true
	err := db.view(context.Background(), func(tx *bolt.Tx) error {
		var err error
		if version, err = readVersion(tx); err != nil {
			return err
		}
		for _, name := range allBuckets {
			current = current && tx.Bucket(name) != nil
		}
		return nil
	})
	if err != nil {
		return db.schemaError(err)
	}
	switch {
	case version > schemaVersion():
		return fmt.Errorf("database %s was written by a newer contriblog (schema version %d, this build knows up to %d); upgrade contriblog: %w",
			db.path, version, schemaVersion(), ErrNewerSchema)
	case version == schemaVersion() && current:
		return nil
	case readOnly && version == 0:
		return fmt.Errorf("database %s is %w: run `contriblog harvest` once to create it", db.path, errUninitialised)
	case readOnly:
		return fmt.Errorf("database %s uses an %w (version %d, this build writes %d): run `contriblog harvest` once to upgrade it",
			db.path, ErrOlderSchema, version, schemaVersion())
	}
	return db.migrate()
}

// migrate applies every migration the database lacks and records the new
// version, all in one transaction: a crash leaves the old version intact.
func (db *DB) migrate() error {
	var from int
	err := db.update(context.Background(), func(tx *bolt.Tx) error {
		var err error
		if from, err = readVersion(tx); err != nil {
			return err
		}
		for v := from; v < schemaVersion(); v++ {
			if err := migrations[v](tx); err != nil {
				return fmt.Errorf("migrate schema %d to %d: %w", v, v+1, err)
			}
		}
		// Buckets are created at Open whatever the migrations did, so
		// that no method ever has to create one.
		if err := createBuckets(tx); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keySchemaVersion, []byte(strconv.Itoa(schemaVersion())))
	})
	if err != nil {
		return db.schemaError(err)
	}
	if from != schemaVersion() {
		db.logger.Info("database schema upgraded", "path", db.path, "from", from, "to", schemaVersion())
	}
	return nil
}

// errUninitialised and ErrOlderSchema say why a read-only Open could not
// use a file it would otherwise initialise or migrate. A reader that may
// write opens the file for writing once, which migrates it, and then
// reads it.
var (
	errUninitialised = errors.New("not initialised yet")
	ErrOlderSchema   = errors.New("older schema")
)

// errForeign says a bbolt file belongs to another program.
var errForeign = errors.New("it is a bbolt file, but holds no contriblog schema")

// readVersion returns the stored schema version: 0 for an empty bbolt
// file, errForeign for one that holds buckets but no contriblog meta.
func readVersion(tx *bolt.Tx) (int, error) {
	meta := tx.Bucket(bucketMeta)
	var v []byte
	if meta != nil {
		v = meta.Get(keySchemaVersion)
	}
	if v == nil {
		empty := true
		err := tx.ForEach(func(name []byte, _ *bolt.Bucket) error {
			empty = false
			return nil
		})
		if err != nil {
			return 0, err
		}
		if !empty {
			return 0, errForeign
		}
		return 0, nil
	}
	n, err := strconv.Atoi(string(v))
	if err != nil || n < 1 {
		return 0, fmt.Errorf("%w: bad schema version %q", errForeign, v)
	}
	return n, nil
}

func (db *DB) schemaError(err error) error {
	if errors.Is(err, ErrDamaged) {
		return err
	}
	if errors.Is(err, errForeign) {
		return fmt.Errorf("%s is %w: %w", db.path, ErrNotDatabase, err)
	}
	return fmt.Errorf("prepare database %s: %w", db.path, err)
}
