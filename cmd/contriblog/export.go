package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"syscall"
	"time"

	"github.com/contriblog/contriblog/cmd/contriblog/config"
	"github.com/contriblog/contriblog/cmd/contriblog/daemon"
	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/export"
	"github.com/contriblog/contriblog/store"
)

// filterFlags are the log filters `export` and `list` share.
type filterFlags struct {
	since, until, person, typ string
	all                       bool
}

func (f *filterFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.since, "since", "", "only contributions on or after `DATE` (YYYY-MM-DD)")
	fs.StringVar(&f.until, "until", "", "only contributions on or before `DATE` (YYYY-MM-DD)")
	fs.StringVar(&f.person, "person", "", "only contributions of `NAME`")
	fs.StringVar(&f.typ, "type", "", "only contributions of activity `TYPE`")
	fs.BoolVar(&f.all, "all", false, "include contributions curated as excluded")
}

// filter validates the flags and turns them into a harvester.Filter.
func (f *filterFlags) filter() (harvester.Filter, error) {
	for _, d := range []struct{ name, v string }{{"--since", f.since}, {"--until", f.until}} {
		if d.v == "" {
			continue
		}
		if _, err := time.Parse(harvester.DateLayout, d.v); err != nil {
			return harvester.Filter{}, usagef("%s %q: expected a date as YYYY-MM-DD", d.name, d.v)
		}
	}
	if f.since != "" && f.until != "" && f.since > f.until {
		return harvester.Filter{}, usagef("--since %s is after --until %s", f.since, f.until)
	}
	return harvester.Filter{Since: f.since, Until: f.until, Person: f.person, Type: f.typ, All: f.all}, nil
}

func (m *Main) runExport(ctx context.Context, args []string) error {
	fs := m.newFlagSet("export", "[--format csv|json|md] [--since DATE] [--until DATE] [--person NAME] [--type TYPE] [--all] [-o FILE]")
	var ff filterFlags
	ff.register(fs)
	var format, out string
	fs.StringVar(&format, "format", "csv", "`FORMAT`: csv, json or md")
	fs.StringVar(&out, "o", "", "write to `FILE` (atomically) instead of stdout")
	fs.StringVar(&out, "output", "", "write to `FILE` (atomically) instead of stdout")
	if err := m.noArgs(fs, args); err != nil {
		return err
	}
	filter, err := ff.filter()
	if err != nil {
		return err
	}
	if _, err := export.New(format, io.Discard, export.Options{}); err != nil {
		return usageError{err}
	}
	cfg, err := m.loadConfig()
	if err != nil {
		return err
	}
	write := func(w io.Writer) error {
		db, err := m.openLog(ctx, cfg)
		if remote(cfg, err) {
			// The daemon renders its own export: the same bytes it writes
			// to export.path.
			if rerr := daemon.FetchExport(ctx, cfg.Listen, cfg.ListenToken, format, filter, w); rerr != nil {
				return remoteError(err, rerr)
			}
			return nil
		}
		if err != nil {
			return err
		}
		defer db.Close()
		enc, err := export.New(format, w, export.Options{All: filter.All})
		if err != nil {
			return usageError{err}
		}
		return writeLog(storedLog(ctx, db), enc, filter)
	}
	if out == "" {
		return write(m.Stdout)
	}
	if err := export.WriteFileAtomic(out, 0o644, write); err != nil {
		if errors.Is(err, export.ErrDestination) {
			return usageError{fmt.Errorf("-o %s: %w", out, err)}
		}
		return fmt.Errorf("export to %s: %w", out, err)
	}
	return nil
}

func (m *Main) runList(ctx context.Context, args []string) error {
	fs := m.newFlagSet("list", "[--since DATE] [--until DATE] [--person NAME] [--type TYPE] [--all]")
	var ff filterFlags
	ff.register(fs)
	if err := m.noArgs(fs, args); err != nil {
		return err
	}
	filter, err := ff.filter()
	if err != nil {
		return err
	}
	cfg, err := m.loadConfig()
	if err != nil {
		return err
	}
	enc := export.NewTableEncoder(m.Stdout, export.TableOptions{All: filter.All})
	db, err := m.openLog(ctx, cfg)
	if remote(cfg, err) {
		rows, rerr := daemon.FetchLog(ctx, cfg.Listen, cfg.ListenToken, filter)
		if rerr != nil {
			return remoteError(err, rerr)
		}
		return writeLog(func(fn func(*harvester.Contribution) error) error {
			for i := range rows {
				if err := fn(&rows[i]); err != nil {
					return err
				}
			}
			return nil
		}, enc, filter)
	}
	if err != nil {
		return err
	}
	defer db.Close()
	return writeLog(storedLog(ctx, db), enc, filter)
}

// openLog opens the database to read its log, bringing the log up to date
// first when it is not what the stored observations, edits and config make
// (a harvest killed before its rebuild, an edited `areas:` or `timezone:`):
// that takes the write lock for the rebuild. When the lock or the file
// cannot be had for writing, or the disk is too full for the rebuild, the
// log is read as stored, with a warning.
func (m *Main) openLog(ctx context.Context, cfg *config.Config) (*store.DB, error) {
	db, err := m.openStore(cfg, true)
	if err != nil {
		return nil, err
	}
	opts := logOptions(cfg)
	current, err := harvester.LogCurrent(ctx, db, opts)
	if err != nil {
		db.Close()
		return nil, err
	}
	if current {
		return db, nil
	}
	db.Close()
	rw, err := m.openStore(cfg, false)
	if err != nil {
		m.logger.Warn("the stored log is out of date and cannot be rebuilt now; showing it as stored", "err", err)
		return m.openStore(cfg, true)
	}
	if _, _, err := rebuildLog(ctx, rw, opts); err != nil {
		rw.Close()
		if noSpace(err) {
			// As on a read-only file system: the stored log is still
			// whole (StoreLog swaps a new one in only once written),
			// and reading it needs no space.
			m.logger.Warn("the stored log is out of date and cannot be rebuilt now (no space left); showing it as stored", "err", err)
			return m.openStore(cfg, true)
		}
		return nil, fmt.Errorf("rebuild the out-of-date log: %w", err)
	}
	m.logger.Debug("rebuilt the out-of-date log before reading it")
	return rw, nil
}

// rebuildLog is harvester.RebuildLog; tests replace it to make the
// rebuild fail as a full disk does, which no test can arrange for real.
var rebuildLog = harvester.RebuildLog

// noSpace reports whether err is a full disk or an exhausted quota.
func noSpace(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)
}

// storedLog walks the log stored in db.
func storedLog(ctx context.Context, db *store.DB) func(func(*harvester.Contribution) error) error {
	return func(fn func(*harvester.Contribution) error) error { return db.ForEachContribution(ctx, fn) }
}

// writeLog streams the rows forEach walks through enc, filtered.
func writeLog(forEach func(func(*harvester.Contribution) error) error, enc export.Encoder, f harvester.Filter) error {
	err := forEach(func(c *harvester.Contribution) error {
		if !f.Match(c) {
			return nil
		}
		return enc.Encode(c)
	})
	if cerr := enc.Close(); err == nil {
		err = cerr
	}
	return err
}

// noArgs parses flags for a command that takes no positional arguments.
func (m *Main) noArgs(fs *flag.FlagSet, args []string) error {
	pos, err := m.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("%s takes no arguments (got %q)", fs.Name(), pos[0])
	}
	return nil
}
