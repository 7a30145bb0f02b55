package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/contriblog/contriblog/cmd/contriblog/config"
	"github.com/contriblog/contriblog/cmd/contriblog/daemon"
	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/store"
)

// The log service a command uses is chosen here, once, when it starts
// (docs/cli.md#beside-a-running-daemon): the database on this machine
// (localLog), or the running daemon that holds it (daemon.Client). The
// commands call harvester.LogService and never ask which one they have;
// TestCommandsDoNotBranchOnTheDaemon keeps it so.

// access is what a command needs of the database.
type access int

const (
	// readAccess is a shared lock: list, export, sources and backup, which
	// other readers may run beside.
	readAccess access = iota
	// writeAccess is the lock for writing: edit, forget and harvest.
	writeAccess
)

// openLogService returns the log service for a command that needs the
// database for need. When a running daemon holds the database and the
// config names its listen address, that is the daemon; without a listen
// address a held database is an error, within lockTimeout, with the
// sentence openStore makes (who holds it, where its export is).
func (m *Main) openLogService(cfg *config.Config, need access) (harvester.LogService, error) {
	l, err := m.openLocal(cfg, need)
	if errors.Is(err, store.ErrLocked) && cfg.Listen != "" {
		return heldLog{c: &daemon.Client{Listen: cfg.Listen, Token: cfg.ListenToken,
			SecretFile: daemon.SecretPath(cfg.Database)}, lockErr: err}, nil
	}
	if err != nil {
		return nil, err
	}
	return l, nil
}

// heldLog is the daemon's client as a command sees it after the lock sent
// it there: a failure to reach the daemon is explained by the lock's
// sentence; what the daemon answered is its own (a *daemon.RemoteError,
// a pass's report).
type heldLog struct {
	c       *daemon.Client
	lockErr error
}

var _ harvester.LogService = heldLog{}

// explain is the lock's sentence, then what asking the daemon gave.
func (h heldLog) explain(err error) error {
	var re *daemon.RemoteError
	if err == nil || errors.As(err, &re) {
		return err
	}
	return fmt.Errorf("%w; asking it through its listen address failed too: %v", h.lockErr, err)
}

func (h heldLog) Log(ctx context.Context, f harvester.Filter, fn func(*harvester.Contribution) error) error {
	// fn's own failure (writing the table) is not the daemon's.
	fnFailed := false
	err := h.c.Log(ctx, f, func(c *harvester.Contribution) error {
		err := fn(c)
		fnFailed = err != nil
		return err
	})
	if fnFailed {
		return err
	}
	return h.explain(err)
}

func (h heldLog) Export(ctx context.Context, req harvester.ExportRequest, w io.Writer) ([]harvester.LeftOut, error) {
	// The daemon renders its own export: the same bytes it writes to
	// export.path.
	left, err := h.c.Export(ctx, req, w)
	return left, h.explain(err)
}

func (h heldLog) Check(ctx context.Context, req harvester.CheckRequest) ([]harvester.Problem, error) {
	problems, err := h.c.Check(ctx, req)
	return problems, h.explain(err)
}

func (h heldLog) Edit(ctx context.Context, ids []string, req harvester.EditRequest) ([]harvester.Contribution, error) {
	rows, err := h.c.Edit(ctx, ids, req)
	return rows, h.explain(err)
}

func (h heldLog) ExplainAreas(ctx context.Context, id string) (harvester.AreaExplanation, error) {
	ex, err := h.c.ExplainAreas(ctx, id)
	return ex, h.explain(err)
}

func (h heldLog) Forget(ctx context.Context, source string, apply bool) (harvester.ForgetReport, error) {
	rep, err := h.c.Forget(ctx, source, apply)
	return rep, h.explain(err)
}

func (h heldLog) Harvest(ctx context.Context, req harvester.HarvestRequest) (*harvester.Pass, error) {
	p, err := h.c.Harvest(ctx, req)
	if p != nil {
		// The daemon ran the pass: its error is the pass's.
		return p, err
	}
	return nil, h.explain(err)
}

func (h heldLog) Submissions(ctx context.Context) ([]harvester.Submission, error) {
	subs, err := h.c.Submissions(ctx)
	return subs, h.explain(err)
}

func (h heldLog) SaveSubmissions(ctx context.Context, subs []harvester.Submission) error {
	return h.explain(h.c.SaveSubmissions(ctx, subs))
}

func (h heldLog) DeleteSubmissions(ctx context.Context, program string, ids []string) (int, error) {
	n, err := h.c.DeleteSubmissions(ctx, program, ids)
	return n, h.explain(err)
}

func (h heldLog) AddEntries(ctx context.Context, source string, obs []harvester.Observation) error {
	return h.explain(h.c.AddEntries(ctx, source, obs))
}

func (h heldLog) Sources(ctx context.Context) ([]harvester.SourceState, error) {
	states, err := h.c.Sources(ctx)
	return states, h.explain(err)
}

func (h heldLog) Backup(ctx context.Context, path string) (string, error) {
	out, err := h.c.Backup(ctx, path)
	return out, h.explain(err)
}

func (h heldLog) Close() error { return h.c.Close() }

// readRows is the rows of svc's log that pass f, in log order, in memory:
// for commands that need the whole log at once (the submission records
// cover rows by what the whole log holds).
func readRows(ctx context.Context, svc harvester.LogService, f harvester.Filter) ([]harvester.Contribution, error) {
	var rows []harvester.Contribution
	err := svc.Log(ctx, f, func(c *harvester.Contribution) error {
		rows = append(rows, *c)
		return nil
	})
	return rows, err
}
