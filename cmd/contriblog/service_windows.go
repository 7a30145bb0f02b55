//go:build windows

package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/kardianos/service"
)

// serviceStopTimeout bounds how long a stop request from the service
// control manager waits for the daemon (docs/daemon.md: 10 s).
const serviceStopTimeout = 10 * time.Second

// underServiceManager marks the context of the daemon that runAsService
// started, so that runDaemon, called again from there, runs the daemon
// instead of asking the service manager once more.
type underServiceManager struct{}

// runAsService runs `contriblog run` for the Windows service control
// manager when it started the process: the SCM wants the process to
// register with it and answer its stop requests, or it kills it. handled
// is false when the process was started from a console, or this is the
// daemon that runAsService itself started.
func (m *Main) runAsService(ctx context.Context, args []string) (handled bool, err error) {
	if service.Interactive() || ctx.Value(underServiceManager{}) != nil {
		return false, nil
	}
	p := &daemonProgram{m: m, ctx: context.WithValue(ctx, underServiceManager{}, true), args: args}
	// The name does not matter for a service that has its process to
	// itself (SERVICE_WIN32_OWN_PROCESS): the SCM already knows which it
	// started.
	s, err := service.New(p, &service.Config{Name: defaultServiceName("windows")})
	if err != nil {
		return true, fmt.Errorf("service: %w", err)
	}
	// A service has no console: logs go to the Windows event log.
	if l, err := s.Logger(nil); err == nil {
		// Masked as Run masks its writers (redactOutput), which it
		// replaces.
		m.Stderr = &redactWriter{w: eventLogWriter{l}, secrets: m.secrets.Load}
	}
	if err := s.Run(); err != nil {
		return true, fmt.Errorf("service: %w", err)
	}
	// Run returned after Stop saw the daemon finish: its error is final.
	return true, p.err
}

// daemonProgram is `contriblog run` as a service.Interface.
type daemonProgram struct {
	m    *Main
	ctx  context.Context
	args []string

	cancel   context.CancelFunc
	done     chan struct{}
	err      error // runDaemon's, readable once done is closed
	stopping atomic.Bool
}

// Start launches the daemon and returns at once: the SCM waits for Start
// before it counts the service as running.
func (p *daemonProgram) Start(service.Service) error {
	ctx, cancel := context.WithCancel(p.ctx)
	p.cancel, p.done = cancel, make(chan struct{})
	go func() {
		defer close(p.done)
		p.err = p.m.runDaemon(ctx, p.args)
		if !p.stopping.Load() {
			// The daemon ended on its own (a config error, a database it
			// cannot open). Leaving without telling the SCM makes it a
			// failure, so the service's recovery action (restart after
			// 30 s) applies; the exit code says which failure.
			os.Exit(p.m.exitCode(p.err))
		}
	}()
	return nil
}

// Stop cancels the daemon and waits for it to finish its write and close
// the database, at most serviceStopTimeout.
func (p *daemonProgram) Stop(service.Service) error {
	p.stopping.Store(true)
	p.cancel()
	select {
	case <-p.done:
		return nil
	case <-time.After(serviceStopTimeout):
		return fmt.Errorf("the daemon did not stop within %s", serviceStopTimeout)
	}
}

// eventLogWriter sends each log line (one Write per slog record) to the
// event log at the record's level.
type eventLogWriter struct{ l service.Logger }

func (w eventLogWriter) Write(b []byte) (int, error) {
	line := strings.TrimSpace(string(b))
	var err error
	switch {
	case strings.Contains(line, "level=ERROR"), strings.Contains(line, `"level":"ERROR"`):
		err = w.l.Error(line)
	case strings.Contains(line, "level=WARN"), strings.Contains(line, `"level":"WARN"`):
		err = w.l.Warning(line)
	default:
		err = w.l.Info(line)
	}
	if err != nil {
		return 0, err
	}
	return len(b), nil
}
