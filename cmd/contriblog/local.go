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
	return l.db.ForEachContribution(ctx, func(c *harvester.Contribution) error {
		if !f.Match(c) {
			return nil
		}
		return fn(c)
	})
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

// Export encodes the stored rows that pass f in format to w. An unknown
// person writes nothing.
func (l *localLog) Export(ctx context.Context, format string, f harvester.Filter, w io.Writer) error {
	if err := l.current(ctx); err != nil {
		return err
	}
	state, err := l.logState(ctx, f.Person)
	if err != nil {
		return err
	}
	// The stored log knows its persons: Markdown sections them without
	// reading the log twice.
	opts := export.Options{All: f.All, ByPerson: f.Person == "" && len(state.Persons) > 1}
	enc, err := export.New(format, w, opts)
	if err != nil {
		return usageError{err}
	}
	err = l.each(ctx, f, enc.Encode)
	if cerr := enc.Close(); err == nil {
		err = cerr
	}
	return err
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

// Edit stores the edit, rebuilds the log and finds the row that now
// holds the contribution.
func (l *localLog) Edit(ctx context.Context, id string, req harvester.EditRequest) (harvester.Contribution, error) {
	before, err := curate(ctx, l.db, logOptions(l.cfg), id, req, l.m.Now())
	if err != nil {
		return harvester.Contribution{}, err
	}
	if _, _, err := harvester.RebuildLog(ctx, l.db, logOptions(l.cfg)); err != nil {
		return harvester.Contribution{}, fmt.Errorf("rebuild log: %w", err)
	}
	return findRow(ctx, l.db, before)
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

// curate stores one edit request on contribution id (the edits
// harvester.Curate computes) and returns the row as it was. The caller
// rebuilds the log: the local service at once, the daemon in step with
// its passes.
func curate(ctx context.Context, st harvester.Store, opts harvester.LogOptions, id string, req harvester.EditRequest, now time.Time) (harvester.Contribution, error) {
	var log []harvester.Contribution
	if err := st.ForEachContribution(ctx, func(c *harvester.Contribution) error {
		log = append(log, *c)
		return nil
	}); err != nil {
		return harvester.Contribution{}, fmt.Errorf("read the log: %w", err)
	}
	edits, err := st.Edits(ctx)
	if err != nil {
		return harvester.Contribution{}, fmt.Errorf("read edits: %w", err)
	}
	out, err := harvester.Curate(log, edits, id, req, opts, now)
	if err != nil {
		return harvester.Contribution{}, err
	}
	for _, e := range out {
		if err := st.SaveEdit(ctx, e); err != nil {
			return harvester.Contribution{}, fmt.Errorf("save edit of %s: %w", e.ID, err)
		}
	}
	row, _ := harvester.FindContribution(log, id)
	return row, nil
}

// findRow returns the log row that now holds the first observation of
// the row as it was before the edit: a split or merge may give it a new id.
func findRow(ctx context.Context, st harvester.Store, before harvester.Contribution) (harvester.Contribution, error) {
	if row, err := st.Contribution(ctx, before.ID); err == nil {
		return row, nil
	}
	var log []harvester.Contribution
	err := st.ForEachContribution(ctx, func(c *harvester.Contribution) error {
		log = append(log, *c)
		return nil
	})
	if err != nil {
		return harvester.Contribution{}, err
	}
	for _, o := range before.Observations {
		if row, ok := harvester.FindContribution(log, harvester.ShortID(harvester.ObservationKey(o.Source, o.NativeID))); ok {
			return row, nil
		}
	}
	return harvester.Contribution{}, fmt.Errorf("contribution %s is no longer in the log", strings.ToLower(before.ID))
}
