package harvester

import (
	"context"
	"io"
)

// LogService is everything a command does with the contribution log,
// wherever the log is: the local database (cmd/contriblog's local
// service) or a running daemon that holds it (daemon.Client, over its
// HTTP API). A command gets one when it starts and never asks which it
// has.
//
// Errors: Edit wraps ErrNotFound for an unknown id and ErrInvalidEdit for
// a request that cannot be applied, ExplainAreas ErrNotFound for an
// unknown id, Forget ErrNotFound for an unknown source; the other methods return what went
// wrong reading or writing the log, or reaching the daemon.
type LogService interface {
	// Log calls fn for every row of the log that passes f, oldest first.
	Log(ctx context.Context, f Filter, fn func(*Contribution) error) error
	// Export writes the rows that pass req.Filter to w as `contriblog
	// export` writes them: the general log in req.Format (csv, json or
	// md), or with req.Program that program's export (csv or json,
	// docs/programs.md#exports), and returns the rows the program's
	// export left out, each once with why. An unknown program is an error
	// that names the known ones.
	Export(ctx context.Context, req ExportRequest, w io.Writer) ([]LeftOut, error)
	// Check returns what req.Program's form would refuse, or what it asks
	// and the rows lack, in the rows that pass req.Filter, in log order
	// (`contriblog check`, docs/programs.md#check). A row curated as
	// excluded is looked at, whatever the filter, for a forced merge it
	// still holds.
	Check(ctx context.Context, req CheckRequest) ([]Problem, error)
	// Edit applies one curation request to each row that ids name (see
	// CurateAll), rebuilds the log and returns the rows that now hold the
	// edited rows' observations, in log order: one per row edited, the
	// merged row after a merge, every part after a split.
	Edit(ctx context.Context, ids []string, req EditRequest) ([]Contribution, error)
	// ExplainAreas says why the row id names (see ExplainRow) has each
	// of its technology areas (`contriblog list --why ID`).
	ExplainAreas(ctx context.Context, id string) (AreaExplanation, error)
	// Forget reports what forgetting the source removes (see Forget) and,
	// with apply, removes it and rebuilds the log. An unknown source is
	// an error wrapping ErrNotFound that names the known ones.
	Forget(ctx context.Context, source string, apply bool) (ForgetReport, error)
	// Harvest runs one pass over the sources req names (every enabled
	// one when none), reading them in full when req.Refetch is set, and
	// returns its report. A pass that ran, even if it failed as a whole,
	// comes back with its report and the error.
	Harvest(ctx context.Context, req HarvestRequest) (*Pass, error)
	// Submissions returns every submission record: which rows are in
	// which program's portal (Store.Submissions).
	Submissions(ctx context.Context) ([]Submission, error)
	// SaveSubmissions stores records in one transaction, each replacing
	// the record of its program and row (Store.SaveSubmissions).
	SaveSubmissions(ctx context.Context, subs []Submission) error
	// DeleteSubmissions removes program's records of the rows ids and
	// returns how many there were.
	DeleteSubmissions(ctx context.Context, program string, ids []string) (int, error)
	// AddEntries stores obs as one batch of the hand-kept source named
	// source — one no config names, such as the "mvp-portal" entries
	// `submitted import --add-missing` adds — and rebuilds the log.
	AddEntries(ctx context.Context, source string, obs []Observation) error
	// Sources returns the state of every source the log has seen.
	Sources(ctx context.Context) ([]SourceState, error)
	// Backup writes a consistent copy of the database to path, an absolute
	// path, or with path "" to a dated file in the backup directory, and
	// returns the path written.
	Backup(ctx context.Context, path string) (string, error)
	// Close releases what the service holds (the database).
	Close() error
}
