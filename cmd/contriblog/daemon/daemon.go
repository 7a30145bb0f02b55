// Package daemon is `contriblog run`: passes at start-up and on each
// source's cron schedule (never two at once), exponential backoff for
// failing sources, the export file rewritten atomically when the log
// changed, daily backups of the database (the newest few kept), and an
// HTTP API (health, exports, sources, Prometheus metrics, harvest, edit
// and backup triggers) for the commands that cannot open the database
// while the daemon holds it.
//
// It depends on the harvester domain, its exporters and robfig/cron only;
// the command wires the store, the config and the sources in through the
// small types below.
package daemon

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/program"
)

// Defaults for the zero values of Config and Daemon.
const (
	// DefaultJitter is the largest random delay of a scheduled run.
	DefaultJitter = 30 * time.Second
	// DefaultBackoffBase is the first retry delay after a failure.
	DefaultBackoffBase = time.Minute
	// DefaultShutdownTimeout bounds Run's return after its context ends,
	// leaving the command time to close the database within 10 s.
	DefaultShutdownTimeout = 8 * time.Second
	// maxBackoff caps the retry delay of a source with no known schedule.
	maxBackoff = 24 * time.Hour

	// DefaultPassStuckAfter is how long a pass may run before /healthz
	// calls the daemon stuck. A pass may legitimately wait out GitHub rate
	// limits (up to github's MaxWait, 5 minutes by default, per limit hit,
	// and several sources may hit one), so the bound is generous.
	DefaultPassStuckAfter = time.Hour
	// DefaultEditStuckAfter is how long an edit may run (waiting for a
	// pass's rebuild included) before /healthz calls the daemon stuck; an
	// edit's own work is bounded by editTimeout.
	DefaultEditStuckAfter = 2 * time.Minute
	// DefaultExportTimeout bounds one write of the export file: a reader
	// of a named pipe that stops reading must not hold up the daemon.
	DefaultExportTimeout = time.Minute
)

// SourceSchedule is what the daemon needs to know of one configured source.
type SourceSchedule struct {
	Name     string
	Type     string // shown by /sources before the source's first pass
	Schedule string // a robfig/cron spec; "" means Config.Schedule
	Enabled  bool   // disabled sources are listed but never scheduled
}

// Config is how the daemon runs. Zero values are safe: no schedule for a
// source with neither its own nor a global spec, no export, no HTTP.
type Config struct {
	Schedule string           // global cron spec (5 fields, @every, @daily, CRON_TZ=...)
	Sources  []SourceSchedule // in config order
	Location *time.Location   // zone of specs without CRON_TZ=; default time.Local

	ExportPath   string // written after every pass that changed the log; "" for none
	ExportFormat string // csv, json or md; default csv
	ExportExcel  bool   // a CSV export starts with a UTF-8 byte-order mark (export.excel)

	// Persons are the config's persons: ?person= may name one of them
	// before the log has a row of theirs.
	Persons []string

	// Listen is the HTTP API's host:port, "" for none. Anything but a
	// loopback address requires ListenToken, a bearer token checked on
	// every request. The token is never logged or echoed.
	Listen, ListenToken string

	// Jitter is the largest random delay added to each scheduled run of a
	// source, so sources sharing a schedule do not fire at once. It is
	// capped to a tenth of the schedule's interval. Zero means
	// DefaultJitter; a negative value means none.
	Jitter time.Duration
	// BackoffBase is the first retry delay of a failing source, doubled per
	// consecutive failure and never past its next scheduled run (default
	// DefaultBackoffBase).
	BackoffBase time.Duration

	// BackupDir holds the daily backups, contriblog-YYYY-MM-DD.db (one per
	// calendar day in Location, written at start-up or after the day's
	// first pass that did not fail), of which the newest BackupKeep are
	// kept; other files in it are never touched. BackupKeep 0, BackupDir
	// "" or Daemon.Backup nil means no daily backups.
	BackupDir  string
	BackupKeep int

	// Vocabulary is the config's activity types, which the export's
	// ?type= filter accepts (with the table's labels); nil means the
	// default types.
	Vocabulary *harvester.Vocabulary
	// Log is how the log is built (areas, sources' areas and priority):
	// GET /why/{id} explains a row's areas with it.
	Log harvester.LogOptions

	// Programs are the config's program profiles by name (the built-in
	// ones with its programs: applied), which /export.*?program= and
	// /check use; Program is the config's program: (which /check uses
	// when not told). The export file is always the general log.
	Programs map[string]*program.Profile
	Program  string
}

// Harvester runs one pass; *harvester.Harvester is one. The request's
// names select sources (none means every source it has); Refetch reads
// them in full.
type Harvester interface {
	Harvest(ctx context.Context, req harvester.HarvestRequest) (*harvester.Pass, error)
}

var _ Harvester = (*harvester.Harvester)(nil)

// EditFunc stores one curation edit of the contributions ids (POST
// /edit's or /edit/{id}'s form, decoded) and returns the contributions as
// they were before the edit.
// It must not rebuild the log (the daemon does, in step with its passes).
// It returns errors wrapping harvester.ErrNotFound for an unknown id and
// Invalid(err) for a bad value; anything else is a server error.
type EditFunc func(ctx context.Context, ids []string, req harvester.EditRequest) ([]harvester.Contribution, error)

// ForgetFunc reports what forgetting a source removes and, with apply,
// removes it (harvester.Forget). It must not rebuild the log (the daemon
// does, in step with its passes). It returns errors wrapping
// harvester.ErrNotFound for an unknown source.
type ForgetFunc func(ctx context.Context, source string, apply bool) (harvester.ForgetReport, error)

// Daemon is `contriblog run`. Set the fields, then call Run once.
type Daemon struct {
	Config    Config
	Harvester Harvester
	// Store is the open database; Run never closes it.
	Store harvester.Store
	// Edit and Rebuild serve POST /edit/{id}; with Edit nil it answers 501.
	// Rebuild recomputes and stores the log (harvester.RebuildLog with the
	// pass's LogOptions).
	Edit    EditFunc
	Rebuild func(ctx context.Context) error
	// Forget serves POST /forget; nil answers 501.
	Forget ForgetFunc
	// Backup writes a consistent copy of the open database to path,
	// replacing it atomically (store.DB.Backup). It serves the daily
	// backups and POST /backup; nil means neither.
	Backup func(ctx context.Context, path string) error
	// SecretFile is where Run keeps the daemon's secret while it serves
	// HTTP (SecretPath of the database: mode 0600, removed when Run
	// returns). A request that changes something and comes from no
	// browser must carry it (SecretHeader) or the bearer token; "" keeps
	// the secret in memory only (NewHandler without Run, tests).
	SecretFile string

	Logger *slog.Logger
	// Now gives timestamps (backoff's NextTry); durations use the monotonic
	// clock.
	Now func() time.Time
	// ShutdownTimeout bounds Run's return after its context ends (default
	// DefaultShutdownTimeout).
	ShutdownTimeout time.Duration
	// PassStuckAfter and EditStuckAfter are how long a pass (or a backup)
	// and an edit may run before /healthz answers 503 naming it (defaults
	// DefaultPassStuckAfter and DefaultEditStuckAfter). The work is not
	// cancelled: a supervisor that probes /healthz decides.
	PassStuckAfter, EditStuckAfter time.Duration
	// ExportTimeout bounds each write of the export file (default
	// DefaultExportTimeout); a write past it fails and is retried after
	// the next pass.
	ExportTimeout time.Duration

	// authSleep pauses a request with a wrong token (nil: a timer); tests
	// set it to record pauses instead of taking them.
	authSleep func(ctx context.Context, d time.Duration)

	once    sync.Once
	keys    keys                     // made once, by init
	cur     atomic.Pointer[settings] // see live
	runCtx  context.Context          // Run's context, for the jobs a reload schedules
	auth    *authLimiter
	q       *queue
	metrics *metrics
	retries *retries
	plans   map[string]plan // enabled sources by name

	mu      sync.Mutex // guards plans, cron, entries, runCtx and unscheduled
	cron    *cron.Cron
	entries map[string]cron.EntryID
	// unscheduled names the sources reloads removed or disabled (see scheduled).
	unscheduled map[string]bool

	scheduling  atomic.Bool // the scheduler is running
	passRunning atomic.Bool
	lastPass    atomic.Pointer[passInfo]
	passes      activity // passes in progress (at most one)
	edits       activity // edits in progress
	backupRuns  activity // backups in progress
	backups     backupStatus
	addr        atomic.Pointer[net.TCPAddr]
	started     atomic.Bool

	// rebuildMu orders edits against the end of passes (see rebuildAfterEdits);
	// editGen counts edits and is guarded by it.
	rebuildMu sync.Mutex
	editGen   uint64

	exportMu    sync.Mutex // one export render+write at a time
	exportDirty bool       // guarded by exportMu
}

// passInfo is what /healthz says about the latest pass.
type passInfo struct {
	Finished time.Time
	Err      string
}

// ErrInvalid is wrapped by Invalid errors: the request was wrong.
var ErrInvalid = errors.New("invalid request")

// Invalid marks err as the client's mistake (HTTP 400) without changing its
// message.
func Invalid(err error) error { return invalidError{err} }

type invalidError struct{ err error }

func (e invalidError) Error() string        { return e.err.Error() }
func (e invalidError) Unwrap() []error      { return []error{e.err, ErrInvalid} }
func (e invalidError) Is(target error) bool { return target == ErrInvalid }

// init fills defaults and the internal state once, for Run and NewHandler.
func (d *Daemon) init() {
	d.once.Do(func() {
		if d.Logger == nil {
			d.Logger = slog.Default()
		}
		if d.Now == nil {
			d.Now = time.Now
		}
		d.Config = withDefaults(d.Config)
		if d.ShutdownTimeout <= 0 {
			d.ShutdownTimeout = DefaultShutdownTimeout
		}
		if d.PassStuckAfter <= 0 {
			d.PassStuckAfter = DefaultPassStuckAfter
		}
		if d.EditStuckAfter <= 0 {
			d.EditStuckAfter = DefaultEditStuckAfter
		}
		if d.ExportTimeout <= 0 {
			d.ExportTimeout = DefaultExportTimeout
		}
		d.keys = newKeys()
		d.cur.Store(&settings{Config: d.Config, harvester: d.Harvester, edit: d.Edit, forget: d.Forget, rebuild: d.Rebuild})
		d.q = newQueue()
		d.auth = newAuthLimiter(d.Logger, d.Now, d.authSleep)
		d.metrics = newMetrics(d.Config.Sources)
		d.retries = newRetries()
		d.entries = map[string]cron.EntryID{}
		// At start-up the export may be missing or stale (a crash between a
		// rebuild and its export): the first pass renders it and writes it
		// if it differs from the file.
		d.exportDirty = true
	})
}

// withDefaults fills c's zero values.
func withDefaults(c Config) Config {
	if c.Location == nil {
		c.Location = time.Local
	}
	if c.ExportFormat == "" {
		c.ExportFormat = "csv"
	}
	if c.Jitter == 0 {
		c.Jitter = DefaultJitter
	}
	if c.BackoffBase <= 0 {
		c.BackoffBase = DefaultBackoffBase
	}
	return c
}

// settings is what the daemon runs with now: Config and the pipeline at
// start-up, replaced as a whole by Reload. Whoever needs them reads them
// once (d.live()) and keeps that copy for what it is doing, so a pass or
// an edit under way finishes with the settings it started with.
type settings struct {
	Config
	harvester Harvester
	edit      EditFunc
	forget    ForgetFunc
	rebuild   func(ctx context.Context) error
}

// live returns the current settings.
func (d *Daemon) live() *settings { return d.cur.Load() }

// Addr is the address the HTTP API listens on, once Run has bound it (nil
// before, or without Listen). With Listen "127.0.0.1:0" it names the port
// the system chose.
func (d *Daemon) Addr() *net.TCPAddr { return d.addr.Load() }

func (d *Daemon) now() time.Time { return d.Now() }
