package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/contriblog/contriblog/cmd/contriblog/config"
	"github.com/contriblog/contriblog/cmd/contriblog/daemon"
	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/store"
)

func (m *Main) runHarvest(ctx context.Context, args []string) error {
	fs := m.newFlagSet("harvest", "[--source NAME]...")
	var names stringsFlag
	fs.Var(&names, "source", "harvest only the source `NAME` (repeatable)")
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
	pass, err := m.harvestOrAsk(ctx, cfg, names)
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

// harvestOrAsk runs the pass here, or, when a daemon holds the database
// and the config names its listen address, asks the daemon to run it and
// returns its report (a pass it is running finishes first).
func (m *Main) harvestOrAsk(ctx context.Context, cfg *config.Config, names []string) (*harvester.Pass, error) {
	db, err := m.openStore(cfg, false)
	if remote(cfg, err) {
		rep, rerr := daemon.PostHarvest(ctx, cfg.Listen, cfg.ListenToken, names)
		if rerr != nil {
			return nil, remoteError(err, rerr)
		}
		if rep.Error != "" {
			// The daemon's pass failed as a whole (its store refused a
			// batch, say): tell it, as a pass run here would.
			return rep.Pass(), fmt.Errorf("the daemon's pass failed: %s", rep.Error)
		}
		return rep.Pass(), nil
	}
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return m.harvest(ctx, cfg, db, names)
}

// newHarvester is the pipeline over cfg's sources (the enabled ones, and
// any named in only) into db, as harvest and run use it.
func (m *Main) newHarvester(cfg *config.Config, db *store.DB, only []string) (*harvester.Harvester, error) {
	srcs, err := m.buildSources(cfg, m.newFetchClient(), only)
	if err != nil {
		return nil, err
	}
	fitLimit(len(cfg.Sources))
	return &harvester.Harvester{Store: db, Sources: srcs, Since: cfg.Since, Log: logOptions(cfg),
		Logger: m.logger, Now: m.Now}, nil
}

// harvest runs one pass over cfg's sources (or only the named ones) into
// db, with live progress on a terminal.
func (m *Main) harvest(ctx context.Context, cfg *config.Config, db *store.DB, only []string) (*harvester.Pass, error) {
	h, err := m.newHarvester(cfg, db, only)
	if err != nil {
		return nil, err
	}
	if m.IsTerminal != nil && m.IsTerminal() && !m.g.quiet {
		p := newProgress(m.Stderr, len(h.Sources), m.Now)
		h.OnEvent = p.event
		defer p.stop()
	}
	return h.Run(ctx, only...)
}

// printPass writes one line per source: name, new, updated, unchanged,
// and its error or status; then what the stored log holds. Names and
// errors come from servers, the database or the daemon: every cell is
// made printable.
func printPass(out io.Writer, p *harvester.Pass) {
	// tabwriter writes a cell at a time: ten thousand writes to a pipe
	// for a thousand sources, unbuffered.
	w := bufio.NewWriter(out)
	defer w.Flush()
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SOURCE\tNEW\tUPDATED\tUNCHANGED\tSTATUS")
	for _, r := range p.Results {
		status := "ok"
		switch {
		case r.Err != nil:
			status = "error: " + cell(r.Err.Error())
		case r.NotModified:
			status = "not modified"
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\n", cell(r.Source), r.New, r.Updated, r.Unchanged, status)
	}
	tw.Flush()
	fmt.Fprintln(w, logLine(p))
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
