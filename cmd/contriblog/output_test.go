package main

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// writeOutputConfig writes a config with a good feed and one whose port
// refuses connections, and returns its path and the refused host.
func writeOutputConfig(t *testing.T) (cfgPath, refusedHost string) {
	t.Helper()
	good := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, goodFeed)
	})
	refused := closedPort(t)
	dir := t.TempDir()
	cfgPath = filepath.Join(dir, "contriblog.yaml")
	cfg := "person: Test Person\ndatabase: ./contriblog.db\nsince: 2020-01-01\ntimezone: UTC\nsources:\n" +
		"  - name: blog\n" + feedAt(good) + "  - name: podcast\n" + feedAt(refused)
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return cfgPath, strings.TrimPrefix(refused, "http://")
}

// harvest shows the table, then each error once, as a line under it in
// plain words; no structured log lines unless -v.
func TestHarvestOutputIsReadable(t *testing.T) {
	cfg, host := writeOutputConfig(t)
	code, out, stderr := run(t, nil, "-c", cfg, "harvest")
	if code != 1 {
		t.Fatalf("harvest exit %d, want 1\n%s\n%s", code, out, stderr)
	}
	if !regexp.MustCompile(`(?m)^podcast\s+0\s+0\s+0\s+-\s+error \(below\)$`).MatchString(out) ||
		!regexp.MustCompile(`(?m)^blog\s+3\s+0\s+0\s+3 of 3\s+ok$`).MatchString(out) {
		t.Errorf("table lacks its rows:\n%s", out)
	}
	want := "\npodcast: connection refused by " + host + "\n\nlog: 3 contributions (changed)\n"
	if !strings.HasSuffix(out, want) {
		t.Errorf("stdout does not end with the error, then the log line:\n%s\nwant suffix:\n%s", out, want)
	}
	if n := strings.Count(out+stderr, "connection refused"); n != 1 {
		t.Errorf("the error is shown %d times, want once:\nstdout:\n%s\nstderr:\n%s", n, out, stderr)
	}
	for _, noise := range []string{"level=", "time=", `Get "`, "dial tcp"} {
		if strings.Contains(out+stderr, noise) {
			t.Errorf("output holds %q:\nstdout:\n%s\nstderr:\n%s", noise, out, stderr)
		}
	}

	// -v asks for every detail: the structured lines are back.
	code, _, stderr = run(t, nil, "-v", "-c", cfg, "harvest")
	if code != 1 || !strings.Contains(stderr, "level=INFO") {
		t.Errorf("harvest -v exit %d, stderr lacks the structured lines:\n%s", code, stderr)
	}
}

// demo prints the log, and no structured log lines.
func TestDemoOutputIsReadable(t *testing.T) {
	code, out, stderr := run(t, nil, "demo")
	if code != 0 {
		t.Fatalf("demo exit %d\n%s", code, stderr)
	}
	if strings.Contains(stderr, "level=") || strings.Contains(stderr, "time=") || !strings.Contains(out, "Conditional Access") {
		t.Errorf("demo output:\nstdout:\n%s\nstderr:\n%s", out, stderr)
	}
}

// Warnings print as plain lines: "warning: SOURCE: MESSAGE: ERROR (k=v)",
// made printable, a message's own lines indented under its first.
func TestPlainHandler(t *testing.T) {
	var buf bytes.Buffer
	l := slog.New(newPlainHandler(&buf, slog.LevelWarn))
	l.Info("hidden")
	l.With("source", "blog").Warn("GitHub search timed out", "query", "is:pr", "err", errors.New("no answer\x1b[2J"))
	l.Error("backup failed", "err", errors.New("disk full\nsecond line"))
	l.WithGroup("g").Warn("grouped", "k", 1)
	want := "warning: blog: GitHub search timed out: no answer\\x1b[2J (query=is:pr)\n" +
		"error: backup failed: disk full\n  second line\n" +
		"warning: grouped (g.k=1)\n"
	if buf.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", buf.String(), want)
	}
}

// COMMAND --help, COMMAND -h and help COMMAND print the command's help
// once, to stdout, with --long spellings, and exit 0.
func TestHelp(t *testing.T) {
	var names []string
	for n := range commands {
		if n != "help" {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			var first string
			for _, args := range [][]string{{name, "--help"}, {name, "-h"}, {"help", name}} {
				code, out, stderr := run(t, nil, args...)
				if code != 0 || stderr != "" {
					t.Fatalf("%q: exit %d, stderr %q", args, code, stderr)
				}
				if strings.Count(out, "usage:") != 1 || !strings.HasPrefix(out, "usage: contriblog "+name) {
					t.Errorf("%q: usage not printed once:\n%s", args, out)
				}
				if !strings.Contains(out, "  -c, --config FILE") || regexp.MustCompile(`(?m)^\s+-[a-z]{2,}`).MatchString(out) {
					t.Errorf("%q: flags not in --long spelling:\n%s", args, out)
				}
				if first == "" {
					first = out
				} else if out != first {
					t.Errorf("%q prints another help:\n%s\nthan:\n%s", args, out, first)
				}
			}
		})
	}
	_, out, _ := run(t, nil, "export", "--help")
	if !regexp.MustCompile(`(?m)^  -o, --output FILE\s+write to FILE`).MatchString(out) ||
		!regexp.MustCompile(`(?m)^  --type TYPE\s`).MatchString(out) {
		t.Errorf("export --help:\n%s", out)
	}
	if code, out, _ := run(t, nil, "--help"); code != 0 || !strings.Contains(out, "commands:") {
		t.Errorf("--help exit %d:\n%s", code, out)
	}
}

// A misspelt command, flag or source name gets the one it resembles.
func TestDidYouMean(t *testing.T) {
	cfg, _ := writeOutputConfig(t)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"exprot"}, "unknown command \"exprot\"; did you mean `contriblog export`?"},
		{[]string{"help", "lis"}, "unknown command \"lis\"; did you mean `contriblog list`?"},
		{[]string{"frobnicate"}, "unknown command \"frobnicate\"; commands: backup, check, demo,"},
		{[]string{"-c", cfg, "harvest", "--sorce", "blog"}, "harvest: unknown flag --sorce; did you mean --source?"},
		{[]string{"-c", cfg, "export", "--fromat", "csv"}, "export: unknown flag --fromat; did you mean --format?"},
		{[]string{"-c", cfg, "list", "--colour"}, "list: unknown flag --colour (see `contriblog list --help`)"},
		{[]string{"-c", cfg, "harvest", "--source"}, "harvest: --source needs NAME"},
		{[]string{"-c", cfg, "harvest", "--source", "podcats"}, `no source named "podcats" in ` + cfg + `; did you mean "podcast"?`},
		{[]string{"-c", cfg, "harvest", "--source", "youtube"}, `no source named "youtube" in ` + cfg + `; its sources: blog, podcast`},
	}
	for _, tt := range tests {
		code, out, stderr := run(t, nil, tt.args...)
		if code != 2 || !strings.Contains(stderr, tt.want) || out != "" {
			t.Errorf("%q: exit %d, stderr:\n%s\nwant exit 2 and %q", tt.args, code, stderr, tt.want)
		}
		if strings.Count(stderr, "\n") != 1 {
			t.Errorf("%q: more than the error line:\n%s", tt.args, stderr)
		}
	}
}
