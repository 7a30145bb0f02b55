package harvester

import (
	"context"
	"errors"
	"time"
)

// ErrNotFound is returned when a named thing (a contribution id) does not
// exist.
var ErrNotFound = errors.New("not found")

// Store keeps observations, per-source state, curation and the computed
// log. Package storetest is its conformance suite: every implementation
// (store.DB, memstore.Store) runs it, and it checks the rules written here.
//
// Rules common to every method:
//   - Each method is one transaction, or looks like one: StoreLog may write
//     a large log in several, but readers see the old log or the new.
//   - A method called with a cancelled ctx returns an error wrapping
//     ctx.Err() and changes nothing.
//   - Values handed out are the caller's: they never alias what the store
//     keeps, nor do values it was given once the method has returned.
//   - Times come back as the same instants (compare them with Equal): a
//     store may drop monotonic readings and change locations.
//   - A slice or map field of an Observation, SourceState.Data and the
//     Curated field of a Contribution come back nil when they were empty.
type Store interface {
	// SourceState returns the named source's state; a source never seen
	// returns a zero state with Name set and no error.
	SourceState(ctx context.Context, name string) (SourceState, error)
	// SourceStates returns the state of every source the store has seen,
	// sorted by name.
	SourceStates(ctx context.Context) ([]SourceState, error)

	// SaveBatches stores each item's batch and its source's new state, in
	// one transaction, and returns the items' results in the order given.
	// It is all or nothing: when it fails, nothing of any item is stored.
	//
	// An item whose State has no Name is refused, as is an observation
	// without a NativeID or whose Source is neither empty nor the item's
	// source; an empty Source becomes the source's name, and a nil Batch
	// is an empty one. An observation repeated within a batch (same key)
	// counts once, the last one winning. Then each observation is:
	//   - new when its key is not stored: FirstSeen and LastSeen become
	//     pass, and a zero Date becomes pass with DateFallback "first_seen";
	//   - unchanged when its content (every field but FirstSeen, LastSeen
	//     and DescriptionOmitted, after the zero-Date rule) is the stored
	//     one's: only LastSeen moves to pass;
	//   - else updated: it replaces the stored one (rule 4), keeping
	//     FirstSeen, and keeping the stored Date and DateFallback when its
	//     own Date is zero.
	// Dates are instants: the same instant in another zone is no change.
	// A Date or EndDate outside the years 0-9999 is dropped (a Date then
	// falls back as a zero one does).
	//
	// The source's state is its stored state, or for a source never seen
	// the item's State with Items counted from zero; a non-empty State.Type
	// replaces the stored type, and nothing else of State is used. The
	// pass becomes its LastRun and LastSuccess; LastError, Failures and
	// FailingSince are cleared; ETag and LastModified become the batch's
	// (kept as they were when the batch is NotModified); a non-nil
	// Batch.Data replaces Data; Items grows by the new observations and
	// LastNew, LastUpdated and LastUnchanged are the item's counts. A
	// batch that is not NotModified is a full read, recorded as
	// SourceState.RecordRead says (its Config, Since and counts; LastKept
	// is the item's new, updated and unchanged).
	//
	// Each observation stored new or updated also gets a metric point
	// (MetricPoint, dated pass) for each of its Metrics whose value is
	// not the latest point of that metric, or that has none
	// (AppendMetricChanges); an unchanged one gets none, so that passes
	// that see the same figures keep one point per metric. A value that
	// drops is kept as it is, and a metric the observation no longer
	// reports keeps its points.
	SaveBatches(ctx context.Context, items []BatchItem) ([]SaveResult, error)
	// SaveFailure records that a pass of the source failed at pass with
	// err's message ("unknown error" for a nil err). The source's state is
	// its stored state, or for a source never seen state with Failures and
	// FailingSince cleared; a non-empty state.Type replaces the stored
	// type, and nothing else of state is used. It gets pass as LastRun and
	// the message as LastError, counts one more Failures, and gets pass as
	// FailingSince when it was not failing already. Nothing else changes.
	// A state without a Name is refused.
	SaveFailure(ctx context.Context, state SourceState, pass time.Time, err error) error
	// SaveState stores state as it is (the daemon's backoff uses it). A
	// state without a Name is refused.
	SaveState(ctx context.Context, state SourceState) error

	// ForgetSource removes every observation of the named source (its
	// description, seen times and metric points too) and the source's state, in one
	// transaction, and returns how many observations it removed. Edits and
	// the stored log are left alone: the caller rebuilds the log. The
	// revision moves when an observation was removed. A source the store
	// knows nothing of removes nothing and is no error; an empty name is
	// refused.
	ForgetSource(ctx context.Context, name string) (int, error)

	// ForEachObservation calls fn for every stored observation, in the
	// order of their keys (ObservationKey, as bytes; a store may put a key
	// over 1 KiB after the others of its source), each a copy that fn may
	// keep, with FirstSeen and LastSeen set. Unless descriptions is
	// WithDescriptions, an observation that has a description comes with
	// Description empty and DescriptionOmitted set, and a store may read
	// far less (descriptions were most of a store's bytes). An error from
	// fn stops the walk and is returned as it is. fn must not write to
	// the store.
	ForEachObservation(ctx context.Context, descriptions Descriptions, fn func(*Observation) error) error

	// MetricHistory returns the metric points of the observations whose
	// keys (ObservationKey) are given, or with keys nil of every stored
	// observation, by key, each observation's points in the order they
	// were stored (oldest first); an observation without points (unknown,
	// or without metrics) is absent. A store skips, with a warning, a
	// record it cannot read.
	MetricHistory(ctx context.Context, keys []string) (map[string][]MetricPoint, error)

	// Edits returns every stored curation edit, ordered by id.
	Edits(ctx context.Context) ([]Edit, error)
	// SaveEdit stores e, replacing any edit with the same ID. An edit
	// without an ID is refused.
	SaveEdit(ctx context.Context, e Edit) error

	// Submissions returns every submission record, ordered by program
	// and ID.
	Submissions(ctx context.Context) ([]Submission, error)
	// SaveSubmissions stores subs in one transaction, each replacing the
	// record of its Program and ID; a record Submission.Check refuses
	// makes it store nothing. Records change no log: the revision stays.
	SaveSubmissions(ctx context.Context, subs []Submission) error
	// DeleteSubmissions removes program's records of ids, in one
	// transaction, and returns how many there were.
	DeleteSubmissions(ctx context.Context, program string, ids []string) (int, error)

	// StoreLog replaces the computed log with log and records stamp with
	// it (an empty stamp marks a log no rebuild stamped, which the next
	// RebuildLog replaces). When log is exactly the log last stored (the
	// same rows, in the same order) only the stamp is recorded; changed
	// reports whether the rows changed.
	//
	// The rows are kept ordered by Date (as text), rows of one Date in the
	// order given, and read back as given but for an empty Curated (nil)
	// and their descriptions: a row whose DescriptionOf names one of its
	// Observations has that observation's Description as stored when the
	// row is read (a store keeps only the reference; the row's own
	// Description is not kept) and comes back with DescriptionOf set; any
	// other row keeps its own Description and comes back with
	// DescriptionOf empty.
	StoreLog(ctx context.Context, log []Contribution, stamp string) (changed bool, err error)
	// LogState describes the stored log and the store's revision, read in
	// one transaction. Its Excluded and Persons are what the last StoreLog
	// was given (a store records them with every StoreLog, the rows
	// unchanged or not).
	LogState(ctx context.Context) (LogState, error)
	// ForEachContribution calls fn for every row of the stored log, in
	// log order, each a copy that fn may keep. An error from fn stops the
	// walk and is returned as it is. fn must not write to the store.
	ForEachContribution(ctx context.Context, fn func(*Contribution) error) error
	// Contribution returns the first row, in log order, whose ID is id,
	// or an error wrapping ErrNotFound (always for an empty id).
	Contribution(ctx context.Context, id string) (Contribution, error)

	// Close releases the store. Closing twice is harmless.
	Close() error
}

// Descriptions says whether Store.ForEachObservation reads the
// observations' descriptions. Building the log needs their text only to
// tag areas by keyword; without areas it reads none.
type Descriptions bool

const (
	// OmitDescriptions reads none: an observation that has one comes with
	// Description empty and DescriptionOmitted set.
	OmitDescriptions Descriptions = false
	// WithDescriptions reads every observation whole.
	WithDescriptions Descriptions = true
)

// BatchItem is one source's batch for SaveBatches, saved as of pass.
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
	// none did.
	Stamp string
	// Rows counts the stored log's rows.
	Rows int
	// Excluded counts those of them curated as excluded, which exports
	// leave out: an export without --all has Rows-Excluded rows.
	Excluded int
	// Persons are the distinct Person values of the rows, sorted (an
	// empty one included when a row has none), or nil for an empty log.
	// `list` and the Markdown export show the person when there are
	// several; --person is checked against them.
	Persons []string
	// Revision is a number that changes whenever what the log is built
	// from changes: SaveBatches with at least one observation (an
	// unchanged one still moves its LastSeen), SaveEdit, ForgetSource that
	// removed an observation. It never changes
	// for source states alone (SaveFailure, SaveState, SaveBatches of
	// empty or NotModified batches) nor for StoreLog.
	Revision uint64
}
