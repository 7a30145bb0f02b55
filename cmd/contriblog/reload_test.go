//go:build unix

package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/contriblog/contriblog/cmd/contriblog/daemon"
	"github.com/contriblog/contriblog/cmd/contriblog/demo"
)

// TestRunDaemonReloadsOnSIGHUP: a source added to the config file is
// harvested once the daemon gets SIGHUP, and a broken config keeps the
// running one, with the reason in the log.
func TestRunDaemonReloadsOnSIGHUP(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a subprocess")
	}
	srv, err := demo.Start(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	extra := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(`<rss version="2.0"><channel><title>Extra</title><item><title>Reloaded Post About Bicep</title>` +
			`<link>https://extra.example/reloaded</link><pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate></item></channel></rss>`))
	}))
	defer extra.Close()

	dir := t.TempDir()
	cfgPath, err := srv.WriteConfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	base, _ := os.ReadFile(cfgPath)
	listen := freeAddr(t)
	exportPath := filepath.Join(dir, "contributions.csv")
	tail := "schedule: \"@every 1h\"\nexport:\n  path: ./contributions.csv\nlisten: " + listen + "\n"
	if err := os.WriteFile(cfgPath, append(base, tail...), 0o600); err != nil {
		t.Fatal(err)
	}

	var logs syncBuffer
	cmd := exec.Command(os.Args[0], "-c", cfgPath, "run", "--log-format", "json")
	cmd.Env = append(os.Environ(), "CONTRIBLOG_TEST_BE_MAIN=1")
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
		if t.Failed() {
			t.Logf("daemon output:\n%s", logs.String())
		}
	}()
	waitFor(t, "the export file", func() bool {
		b, err := os.ReadFile(exportPath)
		return err == nil && bytes.Contains(b, []byte("Conditional Access"))
	})

	// A source added to the file: not scheduled until the daemon reloads.
	added := string(base) + "  - name: extra\n    type: feed\n    url: " + extra.URL + "/feed.xml\n" + tail
	if err := os.WriteFile(cfgPath, []byte(added), 0o600); err != nil {
		t.Fatal(err)
	}
	if st := daemonSource(t, listen, "extra"); st != nil {
		t.Fatalf("the daemon knows a source it was never told about: %+v", st)
	}
	_, out, _ := run(t, nil, "-c", cfgPath, "sources")
	if !regexp.MustCompile(`(?m)^extra .*not scheduled by the daemon: reload it \(SIGHUP\)`).MatchString(out) {
		t.Errorf("sources beside the daemon does not mark the source it does not schedule:\n%s", out)
	}
	if err := cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the added source in the export", func() bool {
		b, err := os.ReadFile(exportPath)
		return err == nil && bytes.Contains(b, []byte("Reloaded Post About Bicep"))
	})
	if st := daemonSource(t, listen, "extra"); st == nil || !st.Scheduled || st.LastSuccess.IsZero() {
		t.Errorf("after SIGHUP /sources says %+v; want extra scheduled and harvested", st)
	}
	if _, out, _ := run(t, nil, "-c", cfgPath, "sources"); strings.Contains(out, "reload it") {
		t.Errorf("sources after the reload still asks for one:\n%s", out)
	}

	// A broken config is refused; the daemon keeps running as it was.
	if err := os.WriteFile(cfgPath, []byte(added+"sources: [\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd.Process.Signal(syscall.SIGHUP)
	waitFor(t, "the refused reload in the log", func() bool {
		return strings.Contains(logs.String(), "config reload failed")
	})
	if st := daemonSource(t, listen, "extra"); st == nil || !st.Scheduled {
		t.Errorf("after a refused reload /sources says %+v; want extra still scheduled", st)
	}
	resp, err := http.Get("http://" + listen + "/healthz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("/healthz after a refused reload: %v %v", resp, err)
	}
	resp.Body.Close()
}

// daemonSource is the daemon's /sources row for name, or nil.
func daemonSource(t *testing.T, listen, name string) *daemon.SourceStatus {
	t.Helper()
	resp, err := http.Get("http://" + listen + "/sources")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var rows []daemon.SourceStatus
	if err := json.NewDecoder(resp.Body).Decode(&rows); err != nil {
		t.Fatal(err)
	}
	for i := range rows {
		if rows[i].Name == name {
			return &rows[i]
		}
	}
	return nil
}

// syncBuffer is a bytes.Buffer a subprocess's output may be copied into
// while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
