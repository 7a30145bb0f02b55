package harvester

import (
	"context"
	"errors"
	"time"
)

// ErrNotFound is returned when a named thing (a contribution id, an edit)
// does not exist.
var ErrNotFound = errors.New("not found")

// Store keeps observations, per-source state, curation and the computed
// log. Every method is one transaction, or looks like one: StoreLog may
// write a large log in several, but readers see the old log or the new.
// Implementations return ErrNotFound (wrapped) for missing things and
// never return values that alias their internal buffers.
type Store interface {
	// SourceState returns the named source's state; a source never seen
	// returns a zero state with Name set and no error.
	SourceState(ctx context.Context, name string) (SourceState, error)
	// SourceStates returns the state of every source the store has seen,
	// sorted by name.
	SourceStates(ctx context.Context) ([]SourceState, error)

	// SaveBatch stores one source's batch and its new state in one
	// read-write transaction, and counts what was new, updated and
	// unchanged. An observation with the same key as a stored one replaces
	// it (rule 4), keeping the stored FirstSeen; an unchanged one only has
	// LastSeen moved. An observation with a zero Date keeps the stored
	// observation's Date, or gets pass (DateFallback "first_seen"). It
	// records the pass as the source's last run and last success, clears
	// its error and failure count, and keeps b's validators and Data.
	SaveBatch(ctx context.Context, state SourceState, b *Batch, pass time.Time) (SaveResult, error)
	// SaveBatches saves several sources' batches, each exactly as SaveBatch
	// would, in one read-write transaction (one fsync for all of them), and
	// returns their results in the order given. It is all or nothing: when
	// it fails, nothing of any item is stored.
	SaveBatches(ctx context.Context, items []BatchItem) ([]SaveResult, error)
	// SaveFailure records that a pass of the source failed at pass with
	// err's message (first failure sets FailingSince).
	SaveFailure(ctx context.Context, state SourceState, pass time.Time, err error) error
	// SaveState stores state as it is (the daemon's backoff uses it).
	SaveState(ctx context.Context, state SourceState) error

	// ForEachObservation calls fn for every stored observation, in key
	// order. fn gets a copy it may keep.
	ForEachObservation(ctx context.Context, fn func(*Observation) error) error
	// ForEachBriefObservation is ForEachObservation without descriptions:
	// an observation that has one comes with Description empty and
	// DescriptionOmitted set. A store may then read far less (the
	// descriptions of 50,000 posts were most of a store's bytes).
	ForEachBriefObservation(ctx context.Context, fn func(*Observation) error) error

	// Edits returns every stored curation edit, ordered by id.
	Edits(ctx context.Context) ([]Edit, error)
	// SaveEdit stores e, replacing any edit with the same ID.
	SaveEdit(ctx context.Context, e Edit) error
	// DeleteEdit removes the edit with id, if any.
	DeleteEdit(ctx context.Context, id string) error

	// ReplaceLog replaces the computed log with log, in one transaction,
	// and clears the log's stamp. A row with DescriptionOf set has the
	// description of that observation (BuildLog leaves Description empty
	// when it was given the observation without it): a store may keep
	// only the reference, and fills Description in when it reads the row.
	ReplaceLog(ctx context.Context, log []Contribution) error
	// StoreLog is ReplaceLog that also records stamp with the log, in the
	// same transaction. When the stored log already holds exactly log it
	// only records the stamp; changed reports whether the log's rows
	// changed.
	StoreLog(ctx context.Context, log []Contribution, stamp string) (changed bool, err error)
	// LogState describes the stored log and the store's revision, read in
	// one transaction.
	LogState(ctx context.Context) (LogState, error)
	// ForEachContribution calls fn for every row of the stored log, in log
	// order (oldest first).
	ForEachContribution(ctx context.Context, fn func(*Contribution) error) error
	// Contribution returns the row with id, or ErrNotFound.
	Contribution(ctx context.Context, id string) (Contribution, error)

	Close() error
}

// BatchItem is one source's batch for SaveBatches: what SaveBatch takes.
type BatchItem struct {
	State SourceState
	Batch *Batch
	Pass  time.Time
}

// LogState is what a store knows of its stored log: enough to tell,
// without reading anything else, that the log is already what a rebuild
// would make (see RebuildLog).
type LogState struct {
	// Stamp is what the last StoreLog recorded with the log; empty when
	// the log was stored by ReplaceLog, or never.
	Stamp string
	// Rows counts the stored log's rows.
	Rows int
	// Revision is a number that changes whenever what the log is built
	// from changes: a batch that saves observations (an unchanged one
	// still moves its LastSeen), an edit saved or deleted. It never
	// changes for source states alone.
	Revision uint64
}
