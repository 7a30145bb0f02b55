package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/contriblog/contriblog/cmd/contriblog/config"
	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/export"
	"github.com/contriblog/contriblog/harvester/report"
)

// runReport is `contriblog report`: the log of a period as one
// self-contained HTML page with charts (docs/report.md).
func (m *Main) runReport(ctx context.Context, args []string) error {
	fs := m.newFlagSet("report", "[-o report.html] [--since DATE] [--until DATE] [--person NAME] [--program NAME]")
	var ff filterFlags
	fs.StringVar(&ff.since, "since", "", "from `DATE` (YYYY-MM-DD; default: the program's window, else 12 months back)")
	fs.StringVar(&ff.until, "until", "", "to `DATE` (YYYY-MM-DD; default: today)")
	fs.StringVar(&ff.person, "person", "", "only the contributions of `NAME`")
	var prog, out string
	fs.StringVar(&prog, "program", "", "show what is still to submit to program `NAME` (default: the config's program:)")
	fs.StringVar(&out, "o", "", "write to `FILE` (atomically) instead of stdout")
	fs.StringVar(&out, "output", "", "write to `FILE` (atomically) instead of stdout")
	if err := m.noArgs(fs, args); err != nil {
		return err
	}
	if _, err := ff.filter(); err != nil {
		return err
	}
	cfg, err := m.loadConfig()
	if err != nil {
		return err
	}
	prof, err := cfg.Profile(prog)
	if err != nil {
		return usageError{fmt.Errorf("--program: %w", err)}
	}
	now := m.Now().In(cfg.Timezone)
	since, until, ok := report.Period(now, prof, ff.since, ff.until)
	if !ok {
		return usagef("the report would start on %s, after it ends on %s: give --since or --until", since, until)
	}
	ff.since, ff.until = since, until
	filter, err := ff.filter()
	if err != nil {
		return err
	}
	// Rows come with how their figures grew: the table says where a
	// reach started.
	filter.MetricsHistory = true
	data := report.Data{Program: prof, Vocabulary: cfg.Vocabulary, Since: since, Until: until, GeneratedAt: now}
	write := func(w io.Writer) error {
		if err := m.reportRows(ctx, cfg, filter, &data); err != nil {
			return err
		}
		return report.Render(w, data)
	}
	if out == "" {
		return write(m.Stdout)
	}
	if err := export.WriteFileAtomic(out, 0o644, write); err != nil {
		if errors.Is(err, export.ErrDestination) {
			return usageError{fmt.Errorf("-o %s: %w", out, err)}
		}
		return fmt.Errorf("report to %s: %w", out, err)
	}
	return nil
}

// reportRows reads the rows filter keeps and, for a program, the
// submission records that cover them, into d.
func (m *Main) reportRows(ctx context.Context, cfg *config.Config, filter harvester.Filter, d *report.Data) error {
	svc, err := m.openLogService(cfg, readAccess)
	if err != nil {
		return err
	}
	defer svc.Close()
	rows, err := readRows(ctx, svc, filter)
	if err != nil {
		return personError(err)
	}
	var subs []harvester.Submission
	var log []harvester.Contribution
	if d.Program != nil {
		if subs, err = svc.Submissions(ctx); err != nil {
			return fmt.Errorf("read the submission records: %w", err)
		}
	}
	if len(subs) > 0 {
		// Which row a record covers depends on the whole log
		// (harvester.Covering), not only the period's rows.
		if log, err = readRows(ctx, svc, harvester.Filter{All: true}); err != nil {
			return err
		}
	}
	if d.Rows = report.Attach(rows, log, subs); d.Program == nil {
		return nil
	}
	// What check finds, for the table: the same rows, judged from today.
	today := m.Now().In(cfg.Timezone).Format(harvester.DateLayout)
	probs, err := svc.Check(ctx, harvester.CheckRequest{Program: d.Program.Name, Filter: filter, Today: today})
	if err != nil {
		return fmt.Errorf("check the rows for %s: %w", d.Program.Name, err)
	}
	report.AttachProblems(d.Rows, probs)
	return nil
}
