package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/contriblog/contriblog/cmd/contriblog/daemon"
	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/store"
)

// hostileStatus is a status line whose reason phrase writes the
// clipboard (OSC 52), clears the screen (CSI 2J, and the one-byte C1 CSI)
// and reverses the text after it (U+202E).
const hostileStatus = "HTTP/1.1 500 \x1b]52;c;ZXZpbA==\x07\x1b[2J\u009b2J\u202e Oops"

// rawServer answers every connection on a loopback port with answer and
// closes it; it returns the port's URL. A raw listener, because net/http's
// server writes only reason phrases it knows.
func rawServer(t *testing.T, answer string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				// Read the request head before answering, so that the
				// client is not answered while it is still writing.
				buf := make([]byte, 4096)
				var req []byte
				for !bytes.Contains(req, []byte("\r\n\r\n")) {
					n, err := c.Read(buf)
					req = append(req, buf[:n]...)
					if err != nil {
						return
					}
				}
				io.WriteString(c, answer)
			}()
		}
	}()
	return "http://" + ln.Addr().String()
}

// checkPrintable fails unless s holds only what a terminal shows as it
// is: valid UTF-8 without control bytes (but newlines, and tabs), C1
// controls, bidi or other format characters.
func checkPrintable(t *testing.T, what, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Errorf("%s: invalid UTF-8:\n%q", what, s)
	}
	for _, r := range s {
		if r == '\n' || r == '\t' {
			continue
		}
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || (unicode.Is(unicode.Cf, r) && r != '\u200d') {
			t.Errorf("%s: holds %U raw:\n%q", what, r, s)
			return
		}
	}
}

// Nothing a server sends reaches the terminal raw: a reason phrase with
// escape sequences, and the feed URL an HTML page advertises, are shown
// escaped in harvest's table, in `sources`, and in the logs.
func TestServerTextEscaped(t *testing.T) {
	dir := t.TempDir()
	evil := rawServer(t, hostileStatus+"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
	page := "<!DOCTYPE html><html><head><link rel=\"alternate\" type=\"application/rss+xml\" href=\"/feed\x1b[2J\u202e.xml\"></head></html>"
	html := rawServer(t, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n"+page)
	cfg := "person: Test Person\ndatabase: ./data/contriblog.db\ntimezone: UTC\nsources:\n" +
		"  - name: evil-status\n" + feedAt(evil) +
		"  - name: evil-page\n" + feedAt(html)
	cfgPath := filepath.Join(dir, "contriblog.yaml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}

	code, out, stderr := run(t, nil, "-c", cfgPath, "-v", "harvest")
	if code != 1 {
		t.Errorf("harvest exit %d, want 1\n%s\n%s", code, out, stderr)
	}
	checkPrintable(t, "harvest stdout", out)
	checkPrintable(t, "harvest stderr", stderr)
	for _, want := range []string{`500 \x1b]52;c;ZXZpbA==\x07\x1b[2J\u009b2J\u202e Oops`, `try url: `, `\x1b[2J\u202e.xml`} {
		if !strings.Contains(out, want) {
			t.Errorf("harvest's table does not show %q escaped:\n%s", want, out)
		}
	}

	code, out, stderr = run(t, nil, "-c", cfgPath, "sources")
	if code != 0 {
		t.Errorf("sources exit %d\n%s", code, stderr)
	}
	checkPrintable(t, "sources stdout", out)
	checkPrintable(t, "sources stderr", stderr)
	if !strings.Contains(out, `\x1b]52;c;`) {
		t.Errorf("sources does not show the error escaped:\n%s", out)
	}
}

// An error printed at exit keeps its lines (a config's problems, one a
// line) and has each made printable.
func TestExitErrorEscaped(t *testing.T) {
	tm := newTestMain(nil)
	err := errors.Join(errors.New("GET http://x/: server answered 500 \x1b]52;c;ZXZpbA==\x07"), errors.New("second\u202e"))
	if code := tm.exitCode(err); code != exitFailed {
		t.Errorf("exit %d, want %d", code, exitFailed)
	}
	want := "contriblog: GET http://x/: server answered 500 \\x1b]52;c;ZXZpbA==\\x07\nsecond\\u202e\n"
	if got := tm.stderr.String(); got != want {
		t.Errorf("stderr = %q, want %q", got, want)
	}
	tm.stderr.Reset()
	tm.exitCode(usagef("no source named %q", "a\x1b[2J"))
	checkPrintable(t, "usage error", tm.stderr.String())
}

// The live progress line names the slowest source as printable text.
func TestProgressLineEscaped(t *testing.T) {
	now := func() time.Time { return fixedNow }
	p := &progress{now: now, total: 2, running: map[string]time.Time{"evil\x1b]52;c;ZXZpbA==\x07": fixedNow.Add(-3 * time.Second)}}
	line := p.line()
	checkPrintable(t, "progress line", line)
	if !strings.Contains(line, `waiting on evil\x1b]52;c;ZXZpbA==\x07 (3s)`) {
		t.Errorf("progress line = %q", line)
	}
}

// Every log line, text or JSON (the daemon's --log-format json), has its
// message, keys, string values, errors and groups made printable.
func TestLogsEscaped(t *testing.T) {
	for _, json := range []bool{false, true} {
		tm := newTestMain(nil)
		log := tm.newLogger(json)
		log.With("source", "evil\u202e", slog.Group("g", "k", "\u2066v")).WithGroup("grp\x1b").
			Error("saving failed \x1b[2J", "err", errors.New("500 \x1b]52;c;ZXZpbA==\x07\u009b2J\u202e Oops"),
				"names", []string{"a\u0085"}, slog.Group("inner", "path", "\u200ex"))
		out := tm.stderr.String()
		checkPrintable(t, "log", out)
		if !strings.Contains(out, `x1b]52;c;ZXZpbA==`) || !strings.Contains(out, `u202e Oops`) {
			t.Errorf("json %v: the error is not shown escaped:\n%s", json, out)
		}
		if strings.Count(out, "\n") != 1 {
			t.Errorf("json %v: not one line:\n%s", json, out)
		}
	}
}

// What a daemon answers is outside text too: when the database is held
// and the config names a listen address, harvest and sources print the
// daemon's report, escaped, and harvest says when the daemon's pass
// failed as a whole.
func TestDaemonAnswersEscaped(t *testing.T) {
	evil := "500 \x1b]52;c;ZXZpbA==\x07\u202e"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var v any
		switch r.URL.Path {
		case "/harvest":
			v = daemon.PassReport{Rows: 52, Error: "blog: save: disk full " + evil,
				Results: []daemon.SourceReport{{Source: "blog", Type: "feed", Error: "save: disk full " + evil}}}
		case "/sources":
			v = []daemon.SourceStatus{{SourceState: harvester.SourceState{Name: "gone\x1b[2J", Type: "feed\u202e", LastError: evil}}}
		default:
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(v)
	}))
	defer srv.Close()
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "data"), 0o700)
	// Held as a running daemon holds it: the commands ask srv instead.
	db, err := store.Open(filepath.Join(dir, "data", "contriblog.db"), store.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cfgPath := filepath.Join(dir, "contriblog.yaml")
	cfg := "person: Test Person\ndatabase: ./data/contriblog.db\ntimezone: UTC\nlisten: " + srv.Listener.Addr().String() +
		"\nsources:\n  - name: blog\n" + feedAt(srv.URL)
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}

	code, out, stderr := run(t, nil, "-c", cfgPath, "harvest")
	if code != 1 {
		t.Errorf("harvest exit %d, want 1", code)
	}
	checkPrintable(t, "harvest stdout", out)
	checkPrintable(t, "harvest stderr", stderr)
	if !strings.Contains(out, "\nblog: save: disk full 500 \\x1b]52;c;ZXZpbA==\\x07\\u202e") || !strings.Contains(out, "log: 52 contributions") {
		t.Errorf("harvest does not show the daemon's report:\n%s", out)
	}
	if !strings.Contains(stderr, `contriblog: the daemon's pass failed: blog: save: disk full 500 \x1b]52;`) {
		t.Errorf("harvest does not say the daemon's pass failed:\n%s", stderr)
	}

	code, out, stderr = run(t, nil, "-c", cfgPath, "sources")
	if code != 0 {
		t.Errorf("sources exit %d\n%s", code, stderr)
	}
	checkPrintable(t, "sources stdout", out)
	if !strings.Contains(out, `gone\x1b[2J`) {
		t.Errorf("sources does not show the daemon's source escaped:\n%s", out)
	}
}
