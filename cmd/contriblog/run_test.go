//go:build unix

package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/contriblog/contriblog/cmd/contriblog/demo"
	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/store"
)

// TestMain lets the test binary stand in for contriblog: with
// CONTRIBLOG_TEST_BE_MAIN set it runs main() with its arguments, so that
// tests start the real program as a subprocess and signal it.
func TestMain(m *testing.M) {
	if os.Getenv("CONTRIBLOG_TEST_BE_MAIN") == "1" {
		os.Args = append([]string{"contriblog"}, os.Args[1:]...)
		main()
		return
	}
	os.Exit(m.Run())
}

// TestRunDaemon starts `contriblog run` as a subprocess against the demo's
// sources plus one that hangs on its second request: the export file
// appears, the HTTP API answers, export, list, sources, edit and harvest
// beside the daemon go through it, a command without listen gets the lock
// sentence, and SIGTERM mid-pass ends the daemon with exit 0 and a
// database that opens.
func TestRunDaemon(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a subprocess")
	}
	srv, err := demo.Start(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	var slowCalls atomic.Int32
	hanging := make(chan struct{}, 8)
	slow := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if slowCalls.Add(1) == 1 {
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Write([]byte(`<rss version="2.0"><channel><title>Slow</title></channel></rss>`))
			return
		}
		hanging <- struct{}{}
		<-r.Context().Done() // hang until the client gives up
	})}
	sln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go slow.Serve(sln)
	defer slow.Close()

	dir := t.TempDir()
	cfgPath, err := srv.WriteConfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	base, _ := os.ReadFile(cfgPath)
	listen := freeAddr(t)
	exportPath := filepath.Join(dir, "out", "contributions.csv")
	os.Mkdir(filepath.Join(dir, "out"), 0o755)
	cfg := string(base) + "  - name: slow\n    type: feed\n    url: http://" + sln.Addr().String() + "/feed.xml\n    schedule: \"@every 1s\"\n" +
		"schedule: \"@every 1h\"\nexport:\n  path: ./out/contributions.csv\n  format: csv\nlisten: " + listen + "\n"
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	// The same database, but no listen address to ask.
	noListen := filepath.Join(dir, "nolisten.yaml")
	os.WriteFile(noListen, []byte(strings.Replace(cfg, "listen: "+listen+"\n", "", 1)), 0o600)

	var logs bytes.Buffer
	cmd := exec.Command(os.Args[0], "-c", cfgPath, "run", "--log-format", "json")
	cmd.Env = append(os.Environ(), "CONTRIBLOG_TEST_BE_MAIN=1")
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			<-exited
		}
		if t.Failed() {
			t.Logf("daemon output:\n%s", logs.String())
		}
	}()

	waitFor(t, "the export file", func() bool {
		b, err := os.ReadFile(exportPath)
		return err == nil && bytes.Contains(b, []byte("Conditional Access"))
	})
	entries, _ := os.ReadDir(filepath.Join(dir, "out"))
	if len(entries) != 1 {
		t.Errorf("export directory holds %d files, want only the export (no temp files left)", len(entries))
	}
	resp, err := http.Get("http://" + listen + "/healthz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("/healthz: %v %v", resp, err)
	}
	resp.Body.Close()

	// Commands beside the daemon go through its listen address.
	code, out, stderr := run(t, nil, "-c", cfgPath, "export")
	if code != 0 || !strings.HasPrefix(out, "ID,Person,Activity Type,") || !strings.Contains(out, "Conditional Access") {
		t.Fatalf("export beside the daemon: exit %d\n%s\n%s", code, out, stderr)
	}
	code, out, stderr = run(t, nil, "-c", cfgPath, "list", "--type", "Blog")
	if code != 0 || !strings.Contains(out, "Conditional Access") || strings.Contains(out, "Zero Trust") {
		t.Errorf("list beside the daemon: exit %d\n%s\n%s", code, out, stderr)
	}
	// The table's labels work beside the daemon too, and the daemon
	// refuses an unknown type with the CLI's words (400).
	code, out, stderr = run(t, nil, "-c", cfgPath, "export", "--type", "talk")
	if code != 0 || strings.Count(out, harvester.TypeThirdParty) < 2 || strings.Contains(out, ",Blog,") {
		t.Errorf("export --type talk beside the daemon: exit %d\n%s\n%s", code, out, stderr)
	}
	if resp, err := http.Get("http://" + listen + "/export.csv?type=Tlak"); err != nil || resp.StatusCode != http.StatusBadRequest {
		t.Errorf("/export.csv?type=Tlak: %v %v, want 400", resp, err)
	} else {
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(body), `unknown activity type "Tlak"; did you mean "Talk"?`) {
			t.Errorf("/export.csv?type=Tlak: %s", body)
		}
	}
	code, out, stderr = run(t, nil, "-c", cfgPath, "sources")
	if code != 0 || !strings.Contains(out, "cloudsummit") || !strings.Contains(out, "slow") {
		t.Errorf("sources beside the daemon: exit %d\n%s\n%s", code, out, stderr)
	}
	id := rowID(t, cfgPath, "Zero Trust in Practice")
	code, out, stderr = run(t, nil, "-c", cfgPath, "edit", id, "--exclude", "--reach", "250")
	if code != 0 || !strings.Contains(out, "250") {
		t.Errorf("edit beside the daemon: exit %d\n%s\n%s", code, out, stderr)
	}
	code, out, _ = run(t, nil, "-c", cfgPath, "export")
	if code != 0 || strings.Contains(out, "Zero Trust in Practice") {
		t.Errorf("the excluded row is still exported:\n%s", out)
	}
	code, _, stderr = run(t, nil, "-c", cfgPath, "edit", "nosuchrow", "--exclude")
	if code != 2 || !strings.Contains(stderr, "nosuchrow") {
		t.Errorf("edit of an unknown id beside the daemon: exit %d, %s", code, stderr)
	}

	// Without a listen address, the lock's sentence: who holds the file
	// and where its export is.
	code, _, stderr = run(t, nil, "-c", noListen, "list")
	if code == 0 || !strings.Contains(stderr, "contriblog run") || !strings.Contains(stderr, "contributions.csv") {
		t.Errorf("list without listen beside the daemon: exit %d, %s", code, stderr)
	}

	// SIGTERM while the slow source's pass is in flight.
	select {
	case <-hanging:
	case <-time.After(60 * time.Second):
		t.Fatal("the slow source was never asked again")
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		var ee *exec.ExitError
		if errors.As(err, &ee) || err != nil {
			t.Fatalf("daemon exit after SIGTERM: %v", err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("the daemon did not stop after SIGTERM")
	}
	db, err := store.Open(filepath.Join(dir, "contriblog.db"), store.Options{Timeout: time.Second})
	if err != nil {
		t.Fatalf("database after SIGTERM: %v", err)
	}
	defer db.Close()
	n := 0
	db.ForEachContribution(context.Background(), func(*harvester.Contribution) error { n++; return nil })
	if n < 20 {
		t.Errorf("database after SIGTERM holds %d contributions", n)
	}
}

// rowID finds the id of the row titled title through `list --all`.
func rowID(t *testing.T, cfgPath, title string) string {
	t.Helper()
	_, out, _ := run(t, nil, "-c", cfgPath, "list", "--all")
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, title) {
			return strings.Fields(line)[0]
		}
	}
	t.Fatalf("no row %q in\n%s", title, out)
	return ""
}
