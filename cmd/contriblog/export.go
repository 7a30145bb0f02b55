package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/contriblog/contriblog/cmd/contriblog/config"
	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/export"
	"github.com/contriblog/contriblog/harvester/program"
)

// filterFlags are the log filters `export` and `list` share.
type filterFlags struct {
	since, until, person, typ string
	all, unsubmitted          bool
}

func (f *filterFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.since, "since", "", "only contributions on or after `DATE` (YYYY-MM-DD)")
	fs.StringVar(&f.until, "until", "", "only contributions on or before `DATE` (YYYY-MM-DD)")
	fs.StringVar(&f.person, "person", "", "only contributions of `NAME`")
	fs.StringVar(&f.typ, "type", "", "only contributions of activity `TYPE`: a table label (Talk, OSS, ...) or a full name")
	fs.BoolVar(&f.all, "all", false, "include contributions curated as excluded")
	fs.BoolVar(&f.unsubmitted, "unsubmitted", false, "only contributions not yet recorded as in the program's portal (--program, else the config's program:)")
}

// unsubmittedFor sets filter's Unsubmitted to the program --unsubmitted
// means: name (--program), else the config's program:.
func (f *filterFlags) unsubmittedFor(cfg *config.Config, name string, filter *harvester.Filter) error {
	if !f.unsubmitted {
		return nil
	}
	if strings.EqualFold(strings.TrimSpace(name), "none") {
		name = ""
	}
	p, err := cfg.Profile(name)
	if err != nil {
		return usageError{fmt.Errorf("--program: %w", err)}
	}
	if p == nil {
		return usagef("--unsubmitted: not submitted to which program? give --program NAME (%s) or set program: in the config", strings.Join(cfg.ProgramNames(), ", "))
	}
	filter.Unsubmitted = p.Name
	return nil
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
	fs := m.newFlagSet("export", "[--program NAME] [--format csv|json|md] [--since DATE] [--until DATE] [--person NAME] [--type TYPE] [--all] [--excel] [-o FILE]")
	var ff filterFlags
	ff.register(fs)
	var format, out, prog string
	fs.StringVar(&format, "format", "csv", "`FORMAT`: csv, json or md")
	fs.StringVar(&prog, "program", "", "the export of program `NAME` (mvp, stars, gde, or one of the config's; default the config's program:, none for the general log)")
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
	p, err := exportProgram(cfg, fs, prog, format, filter)
	if err != nil {
		return err
	}
	if err := ff.unsubmittedFor(cfg, prog, &filter); err != nil {
		return err
	}
	req := harvester.ExportRequest{Format: format, Filter: filter}
	if p != nil {
		req.Program = p.Name
	}
	var left []harvester.LeftOut
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
		left, err = svc.Export(ctx, req, w)
		return personError(err)
	}
	if out == "" {
		err = write(m.Stdout)
	} else if err = export.WriteFileAtomic(out, 0o644, write); err != nil {
		if errors.Is(err, export.ErrDestination) {
			return usageError{fmt.Errorf("-o %s: %w", out, err)}
		}
		return fmt.Errorf("export to %s: %w", out, err)
	}
	if err == nil && p != nil {
		m.warnLeftOut(p, left)
	}
	return err
}

// exportProgram is the program whose export `export` writes: --program's
// (none for the general log), else the config's program:; nil for the
// general log. A program's export is csv or json, of rows not excluded.
func exportProgram(cfg *config.Config, fs *flag.FlagSet, name, format string, filter harvester.Filter) (*program.Profile, error) {
	if flagSet(fs, "program") && (strings.EqualFold(strings.TrimSpace(name), "none") || strings.TrimSpace(name) == "") {
		return nil, nil
	}
	p, err := cfg.Profile(name)
	if err != nil {
		return nil, usageError{fmt.Errorf("--program: %w", err)}
	}
	if p == nil {
		return nil, nil
	}
	if !slices.Contains(export.ProgramFormats(), strings.ToLower(strings.TrimSpace(format))) {
		return nil, usagef("the %s export is csv or json, not %s (md is the general log's: --program none)", p.Name, format)
	}
	if filter.All {
		return nil, usagef("--all: the %s export holds only what you would submit; excluded rows are never in it (--program none for the general log)", p.Name)
	}
	return p, nil
}

// warnLeftOut says, once per row, which rows p's export left out and why,
// then what to run.
func (m *Main) warnLeftOut(p *program.Profile, left []harvester.LeftOut) {
	if len(left) == 0 {
		return
	}
	for _, l := range left {
		if l.ID == "" {
			m.logger.Warn(l.Why)
			continue
		}
		m.logger.Warn(fmt.Sprintf("%s left out of the %s export: %s", l.ID, p.Name, l.Why))
	}
	if left[len(left)-1].ID == "" {
		return // the daemon's last line said how many more, and what to run
	}
	m.logger.Warn(fmt.Sprintf("%s left out of the %s export; `contriblog check --program %s` says what to fix", plural(len(left), "row"), p.Name, p.Name))
}

func (m *Main) runList(ctx context.Context, args []string) error {
	fs := m.newFlagSet("list", "[--since DATE] [--until DATE] [--person NAME] [--type TYPE] [--all] [--unsubmitted] [--program NAME] [--metrics] | --why ID")
	var ff filterFlags
	ff.register(fs)
	var prog string
	fs.StringVar(&prog, "program", "", "the program --unsubmitted means (default: the config's program:)")
	var why string
	fs.StringVar(&why, "why", "", "say why the contribution `ID` has each of its technology areas")
	var metrics bool
	fs.BoolVar(&metrics, "metrics", false, "show under each row its metrics: first and latest value, with dates")
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
	if err := ff.unsubmittedFor(cfg, prog, &filter); err != nil {
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
	submitted, err := submittedColumn(ctx, svc)
	if err != nil {
		return err
	}
	filter.MetricsHistory = metrics
	enc := export.NewTableEncoder(m.Stdout, export.TableOptions{All: filter.All, Submitted: submitted, Metrics: metrics})
	err = svc.Log(ctx, filter, enc.Encode)
	if errors.Is(err, harvester.ErrUnknownPerson) {
		return personError(err) // no "No contributions." under the error
	}
	if cerr := enc.Close(); err == nil {
		err = cerr
	}
	return err
}

// submittedColumn is list's SUBMITTED column: the programs each row is
// recorded as in; nil (no column) when the log has no record at all.
func submittedColumn(ctx context.Context, svc harvester.LogService) (func(*harvester.Contribution) string, error) {
	subs, err := svc.Submissions(ctx)
	if err != nil || len(subs) == 0 {
		return nil, err
	}
	log, err := readRows(ctx, svc, harvester.Filter{All: true})
	if err != nil {
		return nil, err
	}
	covering := harvester.Covering(subs, log)
	programs := map[string]string{}
	for i := range log {
		var names []string
		for _, s := range covering[log[i].ID] {
			if s.How == harvester.SubmittedSending {
				names = append(names, s.Program+"?")
			} else if !slices.Contains(names, s.Program) {
				names = append(names, s.Program)
			}
		}
		programs[log[i].ID] = strings.Join(names, ",")
	}
	return func(c *harvester.Contribution) string {
		if p := programs[c.ID]; p != "" {
			return p
		}
		return "-"
	}, nil
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
