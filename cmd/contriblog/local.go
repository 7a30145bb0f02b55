package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"syscall"
	"time"

	"github.com/contriblog/contriblog/cmd/contriblog/config"
	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/export"
	"github.com/contriblog/contriblog/harvester/program"
	"github.com/contriblog/contriblog/store"
)

// localLog is the log service over the database on this machine, opened
// for reading (a shared lock) or for writing.
//
// Opened for reading, it brings the stored log up to date before the
// first read when the log is not what the stored observations, edits and
// config make (a harvest killed before its rebuild, an edited `areas:` or
// `timezone:`): that takes the write lock for the rebuild. When the lock
// or the file cannot be had for writing, or the disk is too full for the
// rebuild, the log is read as stored, with a warning. Opened for writing,
// its passes and edits rebuild the log themselves.
type localLog struct {
	m        *Main
	cfg      *config.Config
	db       *store.DB
	readOnly bool
	checked  bool // the stored log was brought up to date (readers only)
}

var _ harvester.LogService = (*localLog)(nil)

// openLocal opens the database for need.
func (m *Main) openLocal(cfg *config.Config, need access) (*localLog, error) {
	readOnly := need == readAccess
	db, err := m.openStore(cfg, readOnly)
	if err != nil {
		return nil, err
	}
	return &localLog{m: m, cfg: cfg, db: db, readOnly: readOnly}, nil
}

// Log calls fn for every stored row that passes f. A person nobody in
// the log or the config is called is a usage error with a suggestion.
func (l *localLog) Log(ctx context.Context, f harvester.Filter, fn func(*harvester.Contribution) error) error {
	if err := l.current(ctx); err != nil {
		return err
	}
	if _, err := l.logState(ctx, f.Person); err != nil {
		return err
	}
	return l.each(ctx, f, fn)
}

// each calls fn for every stored row that passes f.
func (l *localLog) each(ctx context.Context, f harvester.Filter, fn func(*harvester.Contribution) error) error {
	return harvester.EachRow(ctx, l.db, f, fn)
}

// logState reads the stored log's state and checks person against its
// persons and the config's.
func (l *localLog) logState(ctx context.Context, person string) (harvester.LogState, error) {
	state, err := l.db.LogState(ctx)
	if err != nil {
		return state, fmt.Errorf("read the log's persons: %w", err)
	}
	if err := harvester.CheckPerson(person, state.Persons, configPersons(l.cfg)); err != nil {
		return state, usageError{fmt.Errorf("--person: %w", err)}
	}
	return state, nil
}

// Export encodes the stored rows that pass req's filter in its format
// (or as its program's export) to w. An unknown person or program writes
// nothing.
func (l *localLog) Export(ctx context.Context, req harvester.ExportRequest, w io.Writer) ([]harvester.LeftOut, error) {
	if err := l.current(ctx); err != nil {
		return nil, err
	}
	f := req.Filter
	state, err := l.logState(ctx, f.Person)
	if err != nil {
		return nil, err
	}
	if req.Program != "" {
		p, err := l.profile(req.Program)
		if err != nil {
			return nil, err
		}
		enc, err := export.NewProgram(p, req.Format, w, export.Options{})
		if err != nil {
			return nil, usageError{err}
		}
		err = l.each(ctx, f, enc.Encode)
		if cerr := enc.Close(); err == nil {
			err = cerr
		}
		return enc.LeftOut(), err
	}
	// The stored log knows its persons: Markdown sections them without
	// reading the log twice.
	opts := export.Options{All: f.All, ByPerson: f.Person == "" && len(state.Persons) > 1}
	// Only the JSON export shows how metrics grew (docs/log.md#json-keys).
	f.MetricsHistory = req.Format == "json"
	enc, err := export.New(req.Format, w, opts)
	if err != nil {
		return nil, usageError{err}
	}
	err = l.each(ctx, f, enc.Encode)
	if cerr := enc.Close(); err == nil {
		err = cerr
	}
	return nil, err
}

// Check checks the stored rows that pass req's filter against its
// program, with the stored edits for the merges excluded rows hold.
func (l *localLog) Check(ctx context.Context, req harvester.CheckRequest) ([]harvester.Problem, error) {
	if err := l.current(ctx); err != nil {
		return nil, err
	}
	if _, err := l.logState(ctx, req.Filter.Person); err != nil {
		return nil, err
	}
	p, err := l.profile(req.Program)
	if err != nil {
		return nil, err
	}
	edits, err := l.db.Edits(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the edits: %w", err)
	}
	k, err := program.NewChecker(p, edits, req.Today, req.Filter.All)
	if err != nil {
		return nil, usageError{err}
	}
	out := []harvester.Problem{}
	f := req.Filter
	f.All = true // an excluded row may still hold a merge (Checker.Check)
	err = l.each(ctx, f, func(c *harvester.Contribution) error {
		out = append(out, k.Check(c)...)
		return nil
	})
	return out, err
}

// profile is the profile of the program name; none or an unknown one
// is a usage error.
func (l *localLog) profile(name string) (*program.Profile, error) {
	p, err := l.cfg.Profile(name)
	if err != nil {
		return nil, usageError{fmt.Errorf("--program: %w", err)}
	}
	if p == nil {
		return nil, usagef("no program: give --program NAME (%s) or set program: in the config", strings.Join(l.cfg.ProgramNames(), ", "))
	}
	return p, nil
}

// ExplainAreas explains the areas of the stored row id names, with the
// config's log options (the stored log is brought up to date first).
func (l *localLog) ExplainAreas(ctx context.Context, id string) (harvester.AreaExplanation, error) {
	if err := l.current(ctx); err != nil {
		return harvester.AreaExplanation{}, err
	}
	return harvester.ExplainRow(ctx, l.db, id, logOptions(l.cfg))
}

// configPersons are the persons the config names (its person, the
// sources'): --person may name one of them before they have a row.
func configPersons(cfg *config.Config) []string {
	out := []string{cfg.Person}
	for _, s := range cfg.Sources {
		out = append(out, s.Person)
	}
	return out
}

// current brings a reader's stored log up to date, once (see localLog).
func (l *localLog) current(ctx context.Context) error {
	if !l.readOnly || l.checked {
		return nil
	}
	l.checked = true
	opts := logOptions(l.cfg)
	ok, err := harvester.LogCurrent(ctx, l.db, opts)
	if err != nil || ok {
		return err
	}
	l.db.Close()
	l.db = nil
	rw, err := l.m.openStore(l.cfg, false)
	if err != nil {
		l.m.logger.Warn("the stored log is out of date and cannot be rebuilt now; showing it as stored", "err", err)
		l.db, err = l.m.openStore(l.cfg, true)
		return err
	}
	if _, _, err := rebuildLog(ctx, rw, opts); err != nil {
		rw.Close()
		if noSpace(err) {
			// As on a read-only file system: the stored log is still
			// whole (StoreLog swaps a new one in only once written),
			// and reading it needs no space.
			l.m.logger.Warn("the stored log is out of date and cannot be rebuilt now (no space left); showing it as stored", "err", err)
			l.db, err = l.m.openStore(l.cfg, true)
			return err
		}
		return fmt.Errorf("rebuild the out-of-date log: %w", err)
	}
	l.m.logger.Debug("rebuilt the out-of-date log before reading it")
	l.db = rw
	return nil
}

// rebuildLog is harvester.RebuildLog; tests replace it to make the
// rebuild fail as a full disk does, which no test can arrange for real.
var rebuildLog = harvester.RebuildLog

// noSpace reports whether err is a full disk or an exhausted quota.
func noSpace(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)
}

// Harvest runs one pass over the configured sources (or only the named
// ones), with live progress on a terminal.
func (l *localLog) Harvest(ctx context.Context, req harvester.HarvestRequest) (*harvester.Pass, error) {
	m := l.m
	h, err := m.newHarvester(l.cfg, l.db, req.Names)
	if err != nil {
		return nil, err
	}
	if m.IsTerminal != nil && m.IsTerminal() && !m.g.quiet {
		p := newProgress(m.Stderr, len(h.Sources), m.Now)
		h.OnEvent = p.event
		defer p.stop()
	}
	return h.Harvest(ctx, req)
}

// Edit stores the edit, rebuilds the log and finds the rows that now
// hold the edited contributions.
func (l *localLog) Edit(ctx context.Context, ids []string, req harvester.EditRequest) ([]harvester.Contribution, error) {
	opts := logOptions(l.cfg)
	// Edits are made on the log as the person sees it: a log left stale
	// (a harvest killed before its rebuild) is rebuilt first.
	if _, _, err := harvester.RebuildLog(ctx, l.db, opts); err != nil {
		return nil, fmt.Errorf("rebuild log: %w", err)
	}
	before, err := curate(ctx, l.db, opts, ids, req, l.m.Now())
	if err != nil {
		return nil, err
	}
	if _, _, err := harvester.RebuildLog(ctx, l.db, opts); err != nil {
		return nil, fmt.Errorf("rebuild log: %w", err)
	}
	return harvester.RowsHolding(ctx, l.db, before)
}

// Forget reports what forgetting source removes and, with apply, removes
// it and rebuilds the log.
func (l *localLog) Forget(ctx context.Context, source string, apply bool) (harvester.ForgetReport, error) {
	opts := logOptions(l.cfg)
	// The report counts the rows of the log as it stands.
	if _, _, err := harvester.RebuildLog(ctx, l.db, opts); err != nil {
		return harvester.ForgetReport{}, fmt.Errorf("rebuild log: %w", err)
	}
	rep, err := harvester.Forget(ctx, l.db, source, sourceNames(l.cfg), apply)
	if err != nil || !apply {
		return rep, err
	}
	if _, _, err := harvester.RebuildLog(ctx, l.db, opts); err != nil {
		return rep, fmt.Errorf("the source was forgotten, but rebuilding the log failed (the next command rebuilds it): %w", err)
	}
	return rep, nil
}

// Submissions returns every stored submission record.
func (l *localLog) Submissions(ctx context.Context) ([]harvester.Submission, error) {
	return l.db.Submissions(ctx)
}

// SaveSubmissions stores records in one transaction.
func (l *localLog) SaveSubmissions(ctx context.Context, subs []harvester.Submission) error {
	return l.db.SaveSubmissions(ctx, subs)
}

// DeleteSubmissions removes program's records of ids.
func (l *localLog) DeleteSubmissions(ctx context.Context, program string, ids []string) (int, error) {
	return l.db.DeleteSubmissions(ctx, program, ids)
}

// AddEntries stores obs as a batch of the hand-kept source and rebuilds
// the log.
func (l *localLog) AddEntries(ctx context.Context, source string, obs []harvester.Observation) error {
	if err := addEntries(ctx, l.db, source, obs, l.m.Now()); err != nil {
		return err
	}
	if _, _, err := harvester.RebuildLog(ctx, l.db, logOptions(l.cfg)); err != nil {
		return fmt.Errorf("rebuild log: %w", err)
	}
	return nil
}

// addEntries saves obs as one batch of source, a hand-kept source the
// config does not name (its state says type file).
func addEntries(ctx context.Context, st harvester.Store, source string, obs []harvester.Observation, now time.Time) error {
	if source == "" {
		return errors.New("add entries: no source name")
	}
	item := harvester.BatchItem{State: harvester.SourceState{Name: source, Type: "file"},
		Batch: &harvester.Batch{Observations: obs}, Pass: now}
	if _, err := st.SaveBatches(ctx, []harvester.BatchItem{item}); err != nil {
		return fmt.Errorf("add entries to %s: %w", source, err)
	}
	return nil
}

// sourceNames are the names of the config's sources.
func sourceNames(cfg *config.Config) []string {
	out := make([]string, 0, len(cfg.Sources))
	for _, s := range cfg.Sources {
		out = append(out, s.Name)
	}
	return out
}

// Sources returns the stored state of every source.
func (l *localLog) Sources(ctx context.Context) ([]harvester.SourceState, error) {
	return l.db.SourceStates(ctx)
}

// Backup writes a consistent copy of the database to path, by default
// backupPath's, in one read transaction.
func (l *localLog) Backup(ctx context.Context, path string) (string, error) {
	if path == "" {
		path = backupPath(l.cfg, l.m.Now())
	}
	if err := l.db.Backup(ctx, path); err != nil {
		return "", err
	}
	return path, nil
}

// Close closes the database.
func (l *localLog) Close() error {
	if l.db == nil {
		return nil
	}
	return l.db.Close()
}

// curate stores one edit request on the contributions ids (the edits
// harvester.CurateAll computes) and returns the rows as they were. The
// caller rebuilds the log: the local service at once, the daemon in step
// with its passes.
func curate(ctx context.Context, st harvester.Store, opts harvester.LogOptions, ids []string, req harvester.EditRequest, now time.Time) ([]harvester.Contribution, error) {
	var log []harvester.Contribution
	if err := st.ForEachContribution(ctx, func(c *harvester.Contribution) error {
		log = append(log, *c)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("read the log: %w", err)
	}
	edits, err := st.Edits(ctx)
	if err != nil {
		return nil, fmt.Errorf("read edits: %w", err)
	}
	out, err := harvester.CurateAll(log, edits, ids, req, opts, now)
	if err != nil {
		return nil, err
	}
	for _, e := range out {
		if err := st.SaveEdit(ctx, e); err != nil {
			return nil, fmt.Errorf("save edit of %s: %w", e.ID, err)
		}
	}
	before := make([]harvester.Contribution, 0, len(ids))
	for _, id := range ids {
		row, _ := harvester.FindContribution(log, id)
		before = append(before, row)
	}
	return before, nil
}
