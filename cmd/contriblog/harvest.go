package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/contriblog/contriblog/cmd/contriblog/config"
	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/store"
)

func (m *Main) runHarvest(ctx context.Context, args []string) error {
	fs := m.newFlagSet("harvest", "[--refetch] [--source NAME]...")
	var names stringsFlag
	fs.Var(&names, "source", "harvest only the source `NAME` (repeatable)")
	refetch := fs.Bool("refetch", false, "read every document in full, ignoring the stored ETag/Last-Modified")
	pos, err := m.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("harvest takes no arguments (got %q); use --source NAME", pos[0])
	}
	cfg, err := m.loadConfig()
	if err != nil {
		return err
	}
	for _, n := range names {
		if !cfg.HasSource(n) {
			return unknownSource(cfg, n)
		}
	}
	svc, err := m.openLogService(cfg, writeAccess)
	if err != nil {
		return err
	}
	defer svc.Close()
	pass, err := svc.Harvest(ctx, harvester.HarvestRequest{Names: names, Refetch: *refetch})
	if pass != nil {
		printPass(m.Stdout, pass)
	}
	switch {
	case err != nil && pass != nil && pass.LogErr != nil && !errors.Is(err, context.Canceled):
		// The log line under the table already says what failed.
		return errSourcesFailed
	case err != nil:
		return err
	case pass.Err() != nil:
		return errSourcesFailed
	}
	return nil
}

// unknownSource is the error for --source NAME when the config has no
// such source: the nearest name when it looks like a typo, else the names.
func unknownSource(cfg *config.Config, name string) error {
	names := make([]string, len(cfg.Sources))
	for i, s := range cfg.Sources {
		names[i] = s.Name
	}
	if near := harvester.SuggestName(name, names); near != "" {
		return usagef("no source named %q in %s; did you mean %q?", name, cfg.Path, near)
	}
	return usagef("no source named %q in %s; its sources: %s", name, cfg.Path, strings.Join(names, ", "))
}

// newHarvester is the pipeline over cfg's sources (the enabled ones, and
// any named in only) into db, as harvest and run use it.
func (m *Main) newHarvester(cfg *config.Config, db *store.DB, only []string) (*harvester.Harvester, error) {
	srcs, err := m.buildSources(cfg, m.newFetchClient(), only)
	if err != nil {
		return nil, err
	}
	fitLimit(len(cfg.Sources))
	fps := make(map[string]string, len(cfg.Sources))
	for _, sc := range cfg.Sources {
		fps[sc.Name] = sc.Fingerprint()
	}
	return &harvester.Harvester{Store: db, Sources: srcs, Since: cfg.Since, Log: logOptions(cfg),
		Fingerprints: fps, Logger: m.passLogger(), Now: m.Now}, nil
}

// printPass writes one line per source: name, new, updated, unchanged,
// what it kept of what it read (kept), and its status; then each failed
// source's error, once, as "NAME: error" under the table (not in its
// cell, where a long error stretches the table past the screen); last,
// what the stored log holds. Names and errors come from servers, the
// database or the daemon: every cell and line is made printable.
func printPass(out io.Writer, p *harvester.Pass) {
	// tabwriter writes a cell at a time: ten thousand writes to a pipe
	// for a thousand sources, unbuffered.
	w := bufio.NewWriter(out)
	defer w.Flush()
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SOURCE\tNEW\tUPDATED\tUNCHANGED\tKEPT\tSTATUS")
	for _, r := range p.Results {
		status := "ok"
		switch {
		case r.Err != nil:
			status = "error (below)"
		case r.NotModified:
			status = "not modified"
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t%s\n", cell(r.Source), r.New, r.Updated, r.Unchanged, keptCell(r), status)
	}
	tw.Flush()
	printErrors(w, p)
	fmt.Fprintln(w, logLine(p))
}

// printErrors writes each failed source's error as "NAME: error",
// between blank lines. An error of several lines (a hand-kept file's
// problems) keeps them, each indented under the first so that none can
// pass for a line of its own.
func printErrors(w io.Writer, p *harvester.Pass) {
	first := true
	for _, r := range p.Results {
		if r.Err == nil {
			continue
		}
		if first {
			fmt.Fprintln(w)
			first = false
		}
		msg := strings.TrimSpace(r.Err.Error())
		fmt.Fprintf(w, "%s: %s\n", cell(r.Source), strings.ReplaceAll(printableLines(msg), "\n", "\n  "))
	}
	if !first {
		fmt.Fprintln(w)
	}
}

// keptCell says what a source's pass kept of what it read: "3 of 15 (12
// older than since)"; "-" when it read nothing (answered "not modified",
// or failed before reading).
func keptCell(r harvester.Result) string {
	if r.NotModified || (r.Seen == 0 && r.Err != nil) {
		return "-"
	}
	return cell(harvester.KeptSummary(r.Seen, r.Kept, r.Dropped))
}

// logLine says what the stored log holds after p: a pass that failed
// before its rebuild left an earlier pass's log, which is still there.
// The count is the rows an export has: rows curated as excluded are
// counted apart (docs/cli.md#harvest).
func logLine(p *harvester.Pass) string {
	n := p.Rows - p.Excluded
	var notes []string
	if p.LogErr == nil && p.LogChanged {
		notes = append(notes, "changed")
	}
	if p.Excluded > 0 {
		notes = append(notes, fmt.Sprintf("%d more excluded, not exported", p.Excluded))
	}
	counted := fmt.Sprintf("%d contributions", n)
	if len(notes) > 0 {
		counted += " (" + strings.Join(notes, "; ") + ")"
	}
	switch {
	case p.LogErr == nil && p.Rows < 0:
		// A daemon's report, which does not say why.
		return "log: not rebuilt; the stored log could not be read"
	case p.LogErr == nil:
		return "log: " + counted
	case p.Rows < 0:
		return "log: not rebuilt (" + cell(p.LogErr.Error()) + "); the stored log could not be read"
	}
	return fmt.Sprintf("log: not rebuilt (%s); the stored log still holds %s from an earlier pass",
		cell(p.LogErr.Error()), counted)
}
