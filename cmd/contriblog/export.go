package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/contriblog/contriblog/cmd/contriblog/config"
	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/export"
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
	fs.StringVar(&f.typ, "type", "", "only contributions of activity `TYPE`: a table label (Talk, OSS, ...) or a full name")
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

// resolveType turns filter's --type, a full name or a table label (Talk,
// OSS), into the activity type of cfg's vocabulary: an unknown one is a
// usage error with suggestions, not an empty export.
func resolveType(cfg *config.Config, filter *harvester.Filter) error {
	t, err := export.ResolveType(cfg.Vocabulary, filter.Type)
	if err != nil {
		return usagef("--type: %w", err)
	}
	filter.Type = t
	return nil
}

func (m *Main) runExport(ctx context.Context, args []string) error {
	fs := m.newFlagSet("export", "[--format csv|json|md] [--since DATE] [--until DATE] [--person NAME] [--type TYPE] [--all] [--excel] [-o FILE]")
	var ff filterFlags
	ff.register(fs)
	var format, out string
	fs.StringVar(&format, "format", "csv", "`FORMAT`: csv, json or md")
	fs.StringVar(&out, "o", "", "write to `FILE` (atomically) instead of stdout")
	fs.StringVar(&out, "output", "", "write to `FILE` (atomically) instead of stdout")
	var excel bool
	fs.BoolVar(&excel, "excel", false, "CSV for Excel: a UTF-8 byte-order mark first (default: the config's export.excel)")
	if err := m.noArgs(fs, args); err != nil {
		return err
	}
	filter, err := ff.filter()
	if err != nil {
		return err
	}
	if out != "" && !flagSet(fs, "format") {
		// As export.path does: the extension chooses, an explicit --format wins.
		format = config.FormatOf(out)
	}
	if _, err := export.New(format, io.Discard, export.Options{}); err != nil {
		return usageError{err}
	}
	isCSV := strings.EqualFold(strings.TrimSpace(format), "csv")
	if excel && !isCSV {
		return usagef("--excel is for CSV only (the format is %s)", format)
	}
	cfg, err := m.loadConfig()
	if err != nil {
		return err
	}
	if !flagSet(fs, "excel") {
		// export.excel is for CSV; another format ignores it.
		excel = cfg.Export.Excel && isCSV
	}
	if err := resolveType(cfg, &filter); err != nil {
		return err
	}
	write := func(w io.Writer) error {
		svc, err := m.openLogService(cfg, readAccess)
		if err != nil {
			return err
		}
		defer svc.Close()
		if excel {
			// The BOM is all Excel needs besides the CSV's CRLF line
			// ends, and the same before the daemon's CSV as ours.
			w = &bomWriter{w: w}
		}
		return personError(svc.Export(ctx, format, filter, w))
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
	fs := m.newFlagSet("list", "[--since DATE] [--until DATE] [--person NAME] [--type TYPE] [--all] | --why ID")
	var ff filterFlags
	ff.register(fs)
	var why string
	fs.StringVar(&why, "why", "", "say why the contribution `ID` has each of its technology areas")
	if err := m.noArgs(fs, args); err != nil {
		return err
	}
	if err := checkWhy(fs, why); err != nil {
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
	if err := resolveType(cfg, &filter); err != nil {
		return err
	}
	svc, err := m.openLogService(cfg, readAccess)
	if err != nil {
		return err
	}
	defer svc.Close()
	if why != "" {
		return m.listWhy(ctx, svc, why)
	}
	enc := export.NewTableEncoder(m.Stdout, export.TableOptions{All: filter.All})
	err = svc.Log(ctx, filter, enc.Encode)
	if errors.Is(err, harvester.ErrUnknownPerson) {
		return personError(err) // no "No contributions." under the error
	}
	if cerr := enc.Close(); err == nil {
		err = cerr
	}
	return err
}

// bomWriter writes export.BOM before the first bytes: an export that
// fails before it writes anything (an unknown --person) writes nothing.
type bomWriter struct {
	w       io.Writer
	started bool
}

func (b *bomWriter) Write(p []byte) (int, error) {
	if !b.started {
		b.started = true
		if _, err := io.WriteString(b.w, export.BOM); err != nil {
			return 0, err
		}
	}
	return b.w.Write(p)
}

// personError makes an unknown --person a usage error (exit 2), as the
// local log service does, when the daemon answered it.
func personError(err error) error {
	var ue usageError
	if errors.Is(err, harvester.ErrUnknownPerson) && !errors.As(err, &ue) {
		return usageError{err}
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

// flagSet reports whether the flag name was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
