package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
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
			return usagef("no source named %q in %s", n, cfg.Path)
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
	if err != nil {
		return err
	}
	if pass.Err() != nil {
		return errSourcesFailed
	}
	return nil
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
		Fingerprints: fps, Logger: m.logger, Now: m.Now}, nil
}

// printPass writes one line per source: name, new, updated, unchanged,
// what it kept of what it read (kept), and its error or status; then
// what the stored log holds. Names and
// errors come from servers, the database or the daemon: every cell is
// made printable.
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
			status = "error: " + cell(r.Err.Error())
		case r.NotModified:
			status = "not modified"
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t%s\n", cell(r.Source), r.New, r.Updated, r.Unchanged, keptCell(r), status)
	}
	tw.Flush()
	fmt.Fprintln(w, logLine(p))
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
func logLine(p *harvester.Pass) string {
	switch {
	case p.LogErr == nil && p.Rows < 0:
		// A daemon's report, which does not say why.
		return "log: not rebuilt; the stored log could not be read"
	case p.LogErr == nil && p.LogChanged:
		return fmt.Sprintf("log: %d contributions (changed)", p.Rows)
	case p.LogErr == nil:
		return fmt.Sprintf("log: %d contributions", p.Rows)
	case p.Rows < 0:
		return "log: not rebuilt (" + cell(p.LogErr.Error()) + "); the stored log could not be read"
	}
	return fmt.Sprintf("log: not rebuilt (%s); the stored log still holds %d contributions from an earlier pass",
		cell(p.LogErr.Error()), p.Rows)
}
