package main

import (
	"context"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"
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
