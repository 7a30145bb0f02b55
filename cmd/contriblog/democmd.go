package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/contriblog/contriblog/cmd/contriblog/demo"
	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/export"
	"github.com/contriblog/contriblog/harvester/program"
)

// runDemo harvests the bundled sample sources, served on loopback, into a
// temporary database through the real code, and prints the log.
func (m *Main) runDemo(ctx context.Context, args []string) error {
	fs := m.newFlagSet("demo", "[--format table|csv|json|md] [--keep DIR]")
	var format, keep string
	fs.StringVar(&format, "format", "table", "print the log as `FORMAT`: table, csv, json or md")
	fs.StringVar(&keep, "keep", "", "keep the demo's config, hand-kept file and database in `DIR`")
	if err := m.noArgs(fs, args); err != nil {
		return err
	}
	var enc export.Encoder
	if format == "table" {
		enc = export.NewTableEncoder(m.Stdout, export.TableOptions{})
	} else {
		var err error
		if enc, err = export.New(format, m.Stdout, export.Options{}); err != nil {
			return usageError{err}
		}
	}
	dir := keep
	if dir == "" {
		tmp, err := os.MkdirTemp("", "contriblog-demo-")
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	} else if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	srv, err := demo.Start(m.Now)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	defer srv.Close()
	if m.g.config, err = srv.WriteConfig(dir); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	return m.demoPass(ctx, enc, dir, keep != "", format == "table")
}

func (m *Main) demoPass(ctx context.Context, enc export.Encoder, dir string, kept, programs bool) error {
	cfg, err := m.loadConfig()
	if err != nil {
		return err
	}
	// The demo's database is its own, in a temporary directory: no daemon
	// holds it.
	svc, err := m.openLocal(cfg, writeAccess)
	if err != nil {
		return err
	}
	defer svc.Close()
	fmt.Fprintf(m.Stderr, "demo: harvesting %d sample sources served on loopback for %s\n", len(cfg.Sources), demo.Person)
	pass, err := svc.Harvest(ctx, harvester.HarvestRequest{})
	if pass != nil {
		printPass(m.Stderr, pass)
	}
	if err != nil {
		return err
	}
	err = svc.Log(ctx, harvester.Filter{All: true}, enc.Encode)
	if cerr := enc.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if programs {
		// After the table, what a program makes of the log: a data
		// format on stdout stays the document alone.
		if err := m.demoPrograms(ctx, svc, cfg.Timezone); err != nil {
			return err
		}
	}
	if kept {
		fmt.Fprintf(m.Stderr, "demo: config, hand-kept file and database kept in %s; try `contriblog -c %s/contriblog.yaml list`\n", dir, dir)
	}
	if pass.Err() != nil {
		return errSourcesFailed
	}
	return nil
}

// demoPrograms shows what the programs make of the demo's log: `check
// --program mvp` and the start of `export --program stars --format json`.
func (m *Main) demoPrograms(ctx context.Context, svc harvester.LogService, loc *time.Location) error {
	p, _ := program.Builtin("mvp")
	today := m.Now().In(loc).Format(harvester.DateLayout)
	problems, err := svc.Check(ctx, harvester.CheckRequest{Program: p.Name, Today: today})
	if err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, "\n$ contriblog check --program mvp    # what the MVP form would refuse, and what to do")
	if err := writeProblems(m.Stdout, p, problems); err != nil {
		return err
	}
	var buf bytes.Buffer
	if _, err := svc.Export(ctx, harvester.ExportRequest{Format: "json", Program: "stars"}, &buf); err != nil {
		return err
	}
	const shown = 3
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	fmt.Fprintln(m.Stdout, "\n$ contriblog export --program stars --format json    # the GitHub Stars API's body")
	if len(lines) > shown+2 {
		more := len(lines) - 2 - shown
		lines = append(lines[:1+shown], fmt.Sprintf("  … %d more", more), lines[len(lines)-1])
	}
	_, err = fmt.Fprintln(m.Stdout, strings.Join(lines, "\n"))
	return err
}
