package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
	"time"

	"github.com/contriblog/contriblog/cmd/contriblog/config"
	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/sources/fetch"
	"github.com/contriblog/contriblog/sources/spec"
	"github.com/contriblog/contriblog/store"
)

// lockTimeout bounds how long a command waits for the database lock: the
// contract promises an answer within 2 s when a daemon holds it.
const lockTimeout = 1500 * time.Millisecond

// loadConfig finds and loads the config; every problem is a usage error
// (exit 2) and warnings are logged.
func (m *Main) loadConfig() (*config.Config, error) {
	path, err := config.Find(m.g.config, m.Getenv)
	if err != nil {
		return nil, usageError{err}
	}
	cfg, err := config.Load(path, config.Options{Getenv: m.Getenv, Now: m.Now})
	if err != nil {
		return nil, usageError{fmt.Errorf("invalid config:\n%w", err)}
	}
	// From here on, whatever is printed has the config's secrets masked.
	m.secrets.Store(cfg.Secrets)
	for _, w := range cfg.Warnings {
		m.logger.Warn(w)
	}
	if m.g.db != "" {
		cfg.Database = m.g.db
	}
	return cfg, nil
}

// openStore opens the database, turning a held lock into the sentence the
// contract asks for: who holds it, and where its export is.
func (m *Main) openStore(cfg *config.Config, readOnly bool) (*store.DB, error) {
	if readOnly {
		if _, err := os.Stat(cfg.Database); errors.Is(err, os.ErrNotExist) {
			return nil, noDatabaseError{cfg.Database}
		}
	}
	db, err := store.Open(cfg.Database, store.Options{Timeout: lockWait(cfg), ReadOnly: readOnly, Logger: m.logger})
	if readOnly && errors.Is(err, store.ErrOlderSchema) {
		// Written by an older contriblog: opened for writing once, which
		// upgrades it, then read. When that cannot be done (a daemon of
		// the older build holds it, a read-only file system), the first
		// error says what to do.
		if rw, werr := store.Open(cfg.Database, store.Options{Timeout: lockWait(cfg), Logger: m.logger}); werr == nil {
			rw.Close()
			db, err = store.Open(cfg.Database, store.Options{Timeout: lockWait(cfg), ReadOnly: true, Logger: m.logger})
		}
	}
	if isSetupError(err) {
		// The config names a file that cannot be a database here: a
		// mistake in how contriblog was set up, not in a run (exit 2).
		return nil, usageError{err}
	}
	if errors.Is(err, store.ErrLocked) {
		where := "it writes no export file (set export.path in the config)"
		if cfg.Export.Path != "" {
			where = "its latest export is " + cfg.Export.Path
		}
		return nil, fmt.Errorf("%w; %s", err, where)
	}
	return db, err
}

// errNoDatabase is matched by the error of reading a database that does
// not exist yet.
var errNoDatabase = errors.New("no database yet")

// noDatabaseError is reading the database at path before the first
// harvest made it.
type noDatabaseError struct{ path string }

func (e noDatabaseError) Error() string {
	return fmt.Sprintf("no database at %s yet: run `contriblog harvest` first", e.path)
}

func (e noDatabaseError) Is(target error) bool { return target == errNoDatabase }

// lockWait is how long to wait for the database's lock: not at all when
// the config names a listen address, since what holds the lock is then
// most likely a daemon (to ask instead, or to stop first), else
// lockTimeout.
func lockWait(cfg *config.Config) time.Duration {
	if cfg.Listen != "" {
		return -1
	}
	return lockTimeout
}

// isSetupError reports whether opening the database failed because of
// where it is: another program's file, a newer schema, a directory that
// cannot be created or written, a read-only file system.
func isSetupError(err error) bool {
	return errors.Is(err, store.ErrNotDatabase) || errors.Is(err, store.ErrNewerSchema) ||
		errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS) || errors.Is(err, syscall.ENOTDIR) ||
		errors.Is(err, syscall.EISDIR)
}

// logOptions is how the config shapes the log.
func logOptions(cfg *config.Config) harvester.LogOptions {
	opts := harvester.LogOptions{
		Location:       cfg.Timezone,
		Vocabulary:     cfg.Vocabulary,
		Areas:          cfg.Areas,
		Priority:       map[string]int{},
		SourceAreas:    map[string][]string{},
		SourceAudience: map[string][]string{},
	}
	for _, s := range cfg.Sources {
		opts.Priority[s.Name] = s.Priority
		if len(s.Areas) > 0 {
			opts.SourceAreas[s.Name] = s.Areas
		}
		if len(s.TargetAudience) > 0 {
			opts.SourceAudience[s.Name] = s.TargetAudience
		}
	}
	return opts
}

// newFetchClient is the one HTTP client every source shares, so the
// per-host limit holds across sources.
func (m *Main) newFetchClient() *fetch.Client {
	return fetch.New(fetch.Options{
		UserAgent: fmt.Sprintf("contriblog/%s (+https://github.com/contriblog/contriblog)", version),
		Logger:    m.logger,
	})
}

// buildSources turns the config's sources into harvester.Sources: the
// enabled ones, plus any disabled one named explicitly in only (whose
// names runHarvest has checked against the config).
func (m *Main) buildSources(cfg *config.Config, client *fetch.Client, only []string) ([]harvester.Source, error) {
	named := map[string]bool{}
	for _, n := range only {
		named[n] = true
	}
	var out []harvester.Source
	for _, sc := range cfg.Sources {
		if !sc.Enabled && !named[sc.Name] {
			continue
		}
		if err := sc.UnsetError(cfg.Path); err != nil {
			// Its keys are not all known: it fails when harvested, and
			// the other sources run (docs/configuration.md#environment-variables).
			out = append(out, unsetSource{name: sc.Name, typ: sc.Type, err: err})
			continue
		}
		src, err := m.buildSource(cfg, sc, client)
		if err != nil {
			return nil, usageError{fmt.Errorf("%s:%d: source %s: %w", cfg.Path, sc.Line, sc.Name, err)}
		}
		out = append(out, src)
	}
	return out, nil
}

// buildSource builds one source as its type's description says.
func (m *Main) buildSource(cfg *config.Config, sc config.Source, client *fetch.Client) (harvester.Source, error) {
	if sc.Spec == nil {
		return nil, fmt.Errorf("unknown source type %q", sc.Type)
	}
	src, err := sc.Spec.Build(spec.Settings{Name: sc.Name, Person: sc.Person, Activity: sc.Activity, Match: sc.Match,
		Timezone: sc.Timezone, Values: sc.Values, Since: cfg.Since, Vocabulary: cfg.Vocabulary,
		Client: client, Logger: m.logger.With("source", sc.Name), Now: m.Now})
	if err != nil {
		return nil, err
	}
	return withoutSecrets(src, cfg), nil
}

// unsetSource stands for a source whose keys name an unset ${VAR}: every
// pass of it fails with the error that names the variable.
type unsetSource struct {
	name, typ string
	err       error
}

var _ harvester.Source = unsetSource{}

func (u unsetSource) Name() string { return u.name }
func (u unsetSource) Type() string { return u.typ }
func (u unsetSource) Harvest(context.Context, harvester.SourceState) (*harvester.Batch, error) {
	return nil, u.err
}
