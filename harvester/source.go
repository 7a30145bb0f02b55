package harvester

import (
	"context"
	"time"
)

// Source is one configured place contributions come from. Harvest fetches
// and parses it once and returns what it saw; it never touches the store.
//
// Harvest gets the state the store kept from the source's earlier passes
// (validators for conditional requests, source-specific data) and returns a
// Batch to save. It may return a non-nil Batch together with an error: what
// the batch holds is saved and the error is still reported (a GitHub pass
// that ran out of rate limit half way keeps the half it got). A nil Batch
// with an error saves nothing but the error. Errors say what failed and
// where, and never carry a secret.
type Source interface {
	Name() string
	Type() string // feed, github, ics, sessionize, file
	Harvest(ctx context.Context, state SourceState) (*Batch, error)
}

// Batch is what one pass of one source found.
type Batch struct {
	Observations []Observation
	// NotModified says the source answered "unchanged" (HTTP 304): there is
	// nothing to save but the time of the pass.
	NotModified bool
	// ETag and LastModified are the validators to send next time; empty
	// keeps none.
	ETag, LastModified string
	// Data, when non-nil, replaces SourceState.Data. It holds only what
	// may be forgotten: a pass given a state without Data (a refetch, a
	// changed config) reads everything again.
	Data map[string]string

	// Dropped counts, by reason (DroppedSince, DroppedMatch, ...), the
	// items the source read and did not return: what `harvest` reports as
	// "kept 3 of 15 (12 older than since)". The harvester adds its own.
	Dropped map[string]int

	// Set by the harvester, not by the source: Seen counts the items read
	// (the observations returned and every dropped one), Config is the
	// fingerprint of the source's configuration and Since the first day
	// (YYYY-MM-DD, "" for none) of the harvest window the document was
	// read with. A store records them with the validators.
	Seen   int
	Config string
	Since  string
}

// SourceState is what the store remembers of a source between passes.
type SourceState struct {
	Name string `json:"name"`
	Type string `json:"type"`

	// Times that never happened are zero, and absent from the JSON (the
	// daemon's GET /sources, docs/daemon.md#http-api): a source never
	// run has no last_run, one not failing no failing_since.
	LastRun      time.Time `json:"last_run,omitzero"`
	LastSuccess  time.Time `json:"last_success,omitzero"`
	LastError    string    `json:"last_error,omitempty"`
	FailingSince time.Time `json:"failing_since,omitzero"`
	Failures     int       `json:"failures,omitempty"` // consecutive failed passes
	NextTry      time.Time `json:"next_try,omitzero"`  // set by the daemon's backoff

	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`

	// Items counts the observations stored for the source; Last* are the
	// counts of its latest successful pass.
	Items         int `json:"items"`
	LastNew       int `json:"last_new"`
	LastUpdated   int `json:"last_updated"`
	LastUnchanged int `json:"last_unchanged"`

	// Data is source-specific state (per-URL ETags, a token fingerprint).
	// It must never hold a secret.
	Data map[string]string `json:"data,omitempty"`

	// What the latest full read (a pass that was not answered "not
	// modified") saw: when it was, how many items it read, kept (stored)
	// and dropped by reason (docs/sources.md#what-a-pass-keeps).
	LastRead    time.Time      `json:"last_read,omitzero"`
	LastSeen    int            `json:"last_seen"`
	LastKept    int            `json:"last_kept"`
	LastDropped map[string]int `json:"last_dropped,omitempty"`

	// Config is the fingerprint of the source's configuration, and
	// ReadSince the first day of the harvest window, that the stored
	// validators were read with: when the config changes or the window
	// grows backwards, the harvester drops them (docs/configuration.md#a-config-change-takes-effect).
	// Config is a hash; it never holds a key's value.
	Config    string `json:"config,omitempty"`
	ReadSince string `json:"read_since,omitempty"`

	// Daemon is what a running daemon plans for the source, when the state
	// came from one (LogService.Sources beside it); nil when read from the
	// database. Never stored.
	Daemon *DaemonPlan `json:"-"`
}

// DaemonPlan is a running daemon's plan for one source: whether it
// harvests it on a schedule (a source added to the config file after the
// daemon started is not, until it reloads), and when next.
type DaemonPlan struct {
	Scheduled bool
	NextRun   time.Time
}

// SaveResult counts what saving one batch did.
type SaveResult struct {
	New, Updated, Unchanged int
}
