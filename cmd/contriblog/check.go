package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/contriblog/contriblog/cmd/contriblog/config"
	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/program"
)

// errProblems says `check` found an error: exit 1, with nothing more
// printed than the problems.
var errProblems = errors.New("check found errors")

// runCheck is `contriblog check`: every row a program's form would refuse,
// or that lacks what it asks, one line each (docs/programs.md#check).
func (m *Main) runCheck(ctx context.Context, args []string) error {
	fs := m.newFlagSet("check", "[--program NAME] [--since DATE] [--until DATE] [--person NAME] [--type TYPE] [--all] [--format text|json]")
	var ff filterFlags
	ff.register(fs)
	var prog, format string
	fs.StringVar(&prog, "program", "", "check against program `NAME` (mvp, stars, gde, or one of the config's; default the config's program:)")
	fs.StringVar(&format, "format", "text", "`FORMAT`: text (one line per problem) or json (for scripts)")
	if err := m.noArgs(fs, args); err != nil {
		return err
	}
	filter, err := ff.filter()
	if err != nil {
		return err
	}
	format = strings.ToLower(strings.TrimSpace(format))
	if format != "text" && format != "json" {
		return usagef("--format %q: check writes text or json", format)
	}
	cfg, err := m.loadConfig()
	if err != nil {
		return err
	}
	if err := resolveType(cfg, &filter); err != nil {
		return err
	}
	p, err := checkProgram(cfg, prog)
	if err != nil {
		return err
	}
	svc, err := m.openLogService(cfg, readAccess)
	if err != nil {
		return err
	}
	defer svc.Close()
	// The window and "in the future" count from this command's clock, in
	// the person's zone, wherever the log is.
	today := m.Now().In(cfg.Timezone).Format(harvester.DateLayout)
	problems, err := svc.Check(ctx, harvester.CheckRequest{Program: p.Name, Filter: filter, Today: today})
	if err != nil {
		return personError(err)
	}
	if format == "json" {
		err = writeProblemsJSON(m.Stdout, problems)
	} else {
		err = writeProblems(m.Stdout, p, problems)
	}
	if err != nil {
		return err
	}
	for _, pr := range problems {
		if pr.Severity == harvester.SeverityError {
			return errProblems
		}
	}
	return nil
}

// checkProgram is the program check checks against: --program's, else
// the config's program:; with neither, a usage error, since what the log
// lacks depends on the form it goes to.
func checkProgram(cfg *config.Config, name string) (*program.Profile, error) {
	p, err := cfg.Profile(name)
	if err != nil {
		return nil, usageError{fmt.Errorf("--program: %w", err)}
	}
	if p == nil {
		return nil, usagef("check needs a program: --program NAME (%s), or program: in the config", strings.Join(cfg.ProgramNames(), ", "))
	}
	return p, nil
}

// writeProblems writes one line per problem, "ID  severity  problem  →
// what to do", then a summary line.
func writeProblems(w io.Writer, p *program.Profile, problems []harvester.Problem) error {
	bw := bufio.NewWriter(w)
	errs, warns := 0, 0
	for _, pr := range problems {
		if pr.Severity == harvester.SeverityError {
			errs++
		} else {
			warns++
		}
		fmt.Fprintf(bw, "%s  %-7s  %s  →  %s\n", cell(pr.ID), pr.Severity, cell(pr.Problem), cell(pr.Fix))
	}
	switch {
	case len(problems) == 0:
		fmt.Fprintf(bw, "Nothing to fix for %s.\n", cell(p.Title))
	default:
		fmt.Fprintf(bw, "%s, %s for %s", plural(errs, "error"), plural(warns, "warning"), cell(p.Title))
		if errs > 0 {
			bw.WriteString(": fix the errors before you submit")
		}
		bw.WriteString(".\n")
	}
	return bw.Flush()
}

// writeProblemsJSON writes the problems as a JSON array, [] for none.
func writeProblemsJSON(w io.Writer, problems []harvester.Problem) error {
	if problems == nil {
		problems = []harvester.Problem{}
	}
	for i := range problems {
		pr := &problems[i]
		pr.ID, pr.Problem, pr.Fix = harvester.CleanText(pr.ID), harvester.CleanText(pr.Problem), harvester.CleanText(pr.Fix)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(problems)
}
