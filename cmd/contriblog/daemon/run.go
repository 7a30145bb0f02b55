package daemon

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/contriblog/contriblog/harvester/export"
)

// Run is the daemon: it binds the HTTP API (when Listen is set), runs a
// pass over every source at once, then passes on each source's schedule
// and backoff retries until ctx ends. It then cancels the running pass
// (whose writer finishes or rolls back its transaction), stops the
// scheduler and the HTTP server, and returns within ShutdownTimeout; the
// caller closes the store afterwards. It returns an error only when it
// cannot start (a bad schedule or export format, a listen address it may
// not or cannot use).
func (d *Daemon) Run(ctx context.Context) error {
	d.init()
	if !d.started.CompareAndSwap(false, true) {
		return errors.New("daemon: Run called twice")
	}
	if err := validate(d.live()); err != nil {
		return err
	}
	plans, err := makePlans(d.live().Config)
	if err != nil {
		return err
	}
	if d.Store == nil {
		return errors.New("daemon: a Store is required")
	}
	d.mu.Lock()
	d.runCtx = ctx
	d.mu.Unlock()
	d.setPlans(plans)
	srv, ln, err := d.listen(ctx)
	if err != nil {
		return err
	}
	if srv != nil {
		if err := d.writeSecret(); err != nil {
			ln.Close()
			return err
		}
		defer d.removeSecret()
	}
	serveErr := make(chan error, 1)
	if srv != nil {
		go func() { serveErr <- srv.Serve(ln) }()
	}
	runnerDone := make(chan struct{})
	go func() {
		defer close(runnerDone)
		d.runPasses(ctx)
	}()
	d.q.add(nil) // the start-up pass, over every source
	d.startScheduler(ctx)
	d.Logger.Info("daemon started", "scheduled_sources", len(plans), "listen", d.listenAddr(),
		"export", d.live().ExportPath)

	select {
	case <-ctx.Done():
	case err := <-serveErr:
		// The server stopped on its own (it should not): keep harvesting,
		// which is what the daemon is for, and say so.
		d.Logger.Error("HTTP server stopped", "err", err)
		<-ctx.Done()
	}
	d.shutdown(srv, runnerDone)
	return nil
}

// validate refuses settings the daemon must not run with.
func validate(s *settings) error {
	if s.harvester == nil {
		return errors.New("daemon: a Harvester is required")
	}
	if _, err := export.New(s.ExportFormat, io.Discard, export.Options{}); err != nil {
		return fmt.Errorf("export format: %w", err)
	}
	if s.Listen == "" {
		return nil
	}
	loop, err := isLoopback(s.Listen)
	if err != nil {
		return err
	}
	if !loop && s.ListenToken == "" {
		return fmt.Errorf("listen %s is not a loopback address: set listen_token so that only holders of the token can read the log", s.Listen)
	}
	return nil
}

// listen binds the HTTP API, so a port in use fails Run at once rather
// than after the first pass.
func (d *Daemon) listen(ctx context.Context) (*http.Server, net.Listener, error) {
	if d.Config.Listen == "" {
		return nil, nil, nil
	}
	ln, err := net.Listen("tcp", d.Config.Listen)
	if err != nil {
		return nil, nil, fmt.Errorf("listen on %s: %w", d.Config.Listen, err)
	}
	if a, ok := ln.Addr().(*net.TCPAddr); ok {
		d.addr.Store(a)
	}
	srv := &http.Server{
		Handler:           NewHandler(d),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		// Exports are rendered before the first byte is written; only
		// POST /harvest?wait=1 lifts this deadline, for a long pass.
		WriteTimeout:   2 * time.Minute,
		IdleTimeout:    2 * time.Minute,
		MaxHeaderBytes: 16 << 10,
		// Handlers see the daemon stopping, so none holds up shutdown.
		BaseContext: func(net.Listener) context.Context { return ctx },
		ErrorLog:    slog.NewLogLogger(d.Logger.Handler(), slog.LevelWarn),
	}
	return srv, ln, nil
}

func (d *Daemon) setPlans(plans map[string]plan) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.plans = plans
}

// stopCron stops the scheduler, if it started, and returns what closes
// when its running jobs have returned (nil if it never started).
func (d *Daemon) stopCron() <-chan struct{} {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.cron == nil {
		return nil
	}
	return d.cron.Stop().Done()
}

func (d *Daemon) listenAddr() string {
	if a := d.Addr(); a != nil {
		return a.String()
	}
	return ""
}

// shutdown stops everything Run started, within ShutdownTimeout: the
// scheduler and retry timers first (no new passes), then it waits for the
// running pass, whose context is already cancelled, and for the HTTP
// server's in-flight requests.
func (d *Daemon) shutdown(srv *http.Server, runnerDone <-chan struct{}) {
	d.Logger.Info("shutting down")
	deadline, cancel := context.WithTimeout(context.Background(), d.ShutdownTimeout)
	defer cancel()
	d.scheduling.Store(false)
	d.retries.stopAll()
	cronDone := d.stopCron()
	srvDone := make(chan struct{})
	go func() {
		defer close(srvDone)
		if srv == nil {
			return
		}
		if err := srv.Shutdown(deadline); err != nil {
			srv.Close()
		}
	}()
	for _, w := range []struct {
		what string
		done <-chan struct{}
	}{{"the running pass", runnerDone}, {"the scheduler", cronDone}, {"the HTTP server", srvDone}} {
		if w.done == nil {
			continue
		}
		select {
		case <-w.done:
		case <-deadline.Done():
			d.Logger.Warn("stopping anyway: "+w.what+" did not stop in time", "timeout", d.ShutdownTimeout)
			d.auth.close()
			return
		}
	}
	d.auth.close()
	d.Logger.Info("stopped")
}
