package main

import (
	"context"
	"fmt"
	"os"

	"github.com/contriblog/contriblog/cmd/contriblog/demo"
	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/export"
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
	return m.demoPass(ctx, enc, dir, keep != "")
}

func (m *Main) demoPass(ctx context.Context, enc export.Encoder, dir string, kept bool) error {
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
	if kept {
		fmt.Fprintf(m.Stderr, "demo: config, hand-kept file and database kept in %s; try `contriblog -c %s/contriblog.yaml list`\n", dir, dir)
	}
	if pass.Err() != nil {
		return errSourcesFailed
	}
	return nil
}
