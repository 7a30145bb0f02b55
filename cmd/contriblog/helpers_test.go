package main

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/contriblog/contriblog/cmd/contriblog/config"
	"github.com/contriblog/contriblog/cmd/contriblog/daemon"
)

// freeAddr returns a loopback address nothing listens on (yet).
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// runInProcess starts `contriblog -c cfg run` in-process and, with addr
// set, waits for its API there. stop ends it and returns its exit code;
// at the end of the test a daemon not yet stopped is stopped, and a
// non-zero exit reported.
func runInProcess(t *testing.T, cfg, addr string) (tm *testMain, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	tm = newTestMain(nil)
	stopped := make(chan int, 1)
	go func() { stopped <- tm.Run(ctx, []string{"-c", cfg, "run"}) }()
	var once sync.Once
	var code int
	stop = func() int {
		once.Do(func() {
			cancel()
			code = <-stopped
		})
		return code
	}
	t.Cleanup(func() {
		if code := stop(); code != 0 {
			t.Errorf("run exit %d\n%s", code, tm.stderr.String())
		}
	})
	if addr != "" {
		waitFor(t, "the daemon's API", func() bool {
			resp, err := http.Get("http://" + addr + "/healthz")
			if err == nil {
				resp.Body.Close()
			}
			return err == nil && resp.StatusCode == http.StatusOK
		})
	}
	return tm, stop
}

// waitFor polls cond until it holds or a generous deadline passes (a guard
// against hanging, not a speed assertion).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// daemonSecret is the secret the daemon of the config at cfg keeps beside
// its database while it runs, as the commands read it.
func daemonSecret(t *testing.T, cfg string) string {
	t.Helper()
	c, err := config.Load(cfg, config.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := daemon.ReadSecret(daemon.SecretPath(c.Database))
	if err != nil || s == "" {
		t.Fatalf("the daemon's secret beside %s: %q, %v", c.Database, s, err)
	}
	return s
}

// postDaemon posts form to the daemon of the config at cfg, listening
// at addr, with its secret, as a script of the user would.
func postDaemon(t *testing.T, cfg, addr, path string, form url.Values) *http.Response {
	t.Helper()
	req, err := http.NewRequest("POST", "http://"+addr+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set(daemon.SecretHeader, daemonSecret(t, cfg))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}
