package main

import (
	"encoding/json"
	"flag"
	"go/ast"
	"go/parser"
	"go/token"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/contriblog/contriblog/cmd/contriblog/daemon"
	"github.com/contriblog/contriblog/store"
)

// logCommands are the files of the commands that use the log: each gets
// its harvester.LogService from openLogService and never asks whether it
// is the daemon's.
var logCommands = []string{"harvest.go", "export.go", "check.go", "sources.go", "edit.go", "forget.go", "backup.go", "submitted.go", "submit.go", "report.go"}

// TestCommandsDoNotBranchOnTheDaemon holds docs/cli.md's promise that a
// command does the same beside a running daemon by one rule: the choice
// between the local database and the daemon is made in openLogService
// only. A command file may not import the daemon package, open the store
// itself, look at the lock or the listen address, or call the old
// per-command helpers.
func TestCommandsDoNotBranchOnTheDaemon(t *testing.T) {
	forbidden := map[string]string{
		"remote":      "decides per command whether to ask the daemon",
		"remoteError": "explains a daemon's failure per command",
		"openStore":   "opens the database past the log service",
		"openLocal":   "opens the local log service past the choice",
		"ErrLocked":   "looks at the lock",
		"Listen":      "looks at the listen address",
		"ListenToken": "looks at the listen token",
	}
	fset := token.NewFileSet()
	for _, name := range logCommands {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); strings.HasSuffix(p, "/cmd/contriblog/daemon") {
				t.Errorf("%s imports %s: the command must not know the daemon", fset.Position(imp.Pos()), p)
			}
		}
		uses := false
		ast.Inspect(f, func(n ast.Node) bool {
			id, ok := n.(*ast.Ident)
			if !ok {
				return true
			}
			if why, bad := forbidden[id.Name]; bad {
				t.Errorf("%s: %s %s; use m.openLogService", fset.Position(id.Pos()), id.Name, why)
			}
			uses = uses || id.Name == "openLogService"
			return true
		})
		if !uses {
			t.Errorf("%s does not call openLogService: is it still a command that uses the log?", name)
		}
	}
}

// The edit flags are read into the one request both log services take;
// a bad value is a usage error naming the flag, before any config or
// database is looked at.
func TestEditFlagsAreOneRequest(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--reach", "lots"}, `contriblog: --reach "lots": expected a whole number`},
		{[]string{"--exclude", "--include"}, "contriblog: --exclude and include contradict each other"},
		{[]string{"--split=perhaps"}, `contriblog: --split="perhaps": expected true or false`},
		{[]string{"--url", "ftp://example.com/x"}, `contriblog: --url "ftp://example.com/x": want an http:// or https:// address`},
		{[]string{"--url", "https://"}, `contriblog: --url "https://": the address has no host`},
	} {
		code, _, stderr := run(t, nil, append([]string{"-c", "/nonexistent/contriblog.yaml", "edit", "a1"}, tt.args...)...)
		if code != exitUsage || strings.TrimSpace(stderr) != tt.want {
			t.Errorf("edit %v: exit %d, %q; want 2, %q", tt.args, code, stderr, tt.want)
		}
	}
	var f editFlags
	fs := flag.NewFlagSet("edit", flag.ContinueOnError)
	f.register(fs)
	if err := fs.Parse([]string{"--merge", "b2", "--title", "x", "--title", "", "--merge", "c3", "--exclude=false", "--include",
		"--audience", "IT Pro", "--audience", " Developers ", "--additional-area", "", "--url", " https://priya.dev/zt ",
		"--description", "About"}); err != nil {
		t.Fatal(err)
	}
	req, err := f.request()
	if err != nil || req.Title == nil || *req.Title != "" || !reflect.DeepEqual(req.Merge, []string{"b2", "c3"}) ||
		req.Exclude == nil || *req.Exclude || !reflect.DeepEqual(req.TargetAudience, []string{"IT Pro", "Developers"}) ||
		req.AdditionalAreas == nil || len(req.AdditionalAreas) != 0 || *req.URL != "https://priya.dev/zt" || *req.Description != "About" {
		t.Errorf("request %+v, %v; want the last title, every merge and audience, include, cleared additional areas", req, err)
	}
}

// A pass the daemon ran but could not rebuild the log after prints
// "log: not rebuilt (…)", as a pass run by the command does.
func TestHarvestBesideTheDaemonSaysTheLogWasNotRebuilt(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/harvest" {
			http.NotFound(w, r)
			return
		}
		rep := daemon.PassReport{Rows: 12, LogError: "save batch: disk full\x1b[2J",
			Results: []daemon.SourceReport{{Source: "blog", Type: "feed", New: 1}}}
		if r.FormValue("source") == "failed" {
			// As a real daemon answers: the pass failed as a whole, for
			// the reason the log line gives.
			rep.Error = rep.LogError
		}
		json.NewEncoder(w).Encode(rep)
	}))
	defer srv.Close()
	dir := t.TempDir()
	held, err := store.Open(filepath.Join(dir, "contriblog.db"), store.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	cfgPath := filepath.Join(dir, "contriblog.yaml")
	cfg := "person: Test Person\ndatabase: ./contriblog.db\ntimezone: UTC\nlisten: " + srv.Listener.Addr().String() +
		"\nsources:\n  - name: blog\n" + feedAt(srv.URL)
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := run(t, nil, "-c", cfgPath, "harvest")
	want := `log: not rebuilt (save batch: disk full\x1b[2J); the stored log still holds 12 contributions from an earlier pass`
	if code != 0 || !strings.Contains(out, want) {
		t.Errorf("exit %d\n%s\nwant %s\n%s", code, out, want, stderr)
	}
	// The pass failed as a whole: exit 1, and the reason once, in the log
	// line, not again on stderr.
	os.WriteFile(cfgPath, []byte(cfg+"  - name: failed\n"+feedAt(srv.URL)), 0o600)
	code, out, stderr = run(t, nil, "-c", cfgPath, "harvest", "--source", "failed")
	if code != 1 || !strings.Contains(out, want) || strings.Contains(stderr, "disk full") {
		t.Errorf("failed pass: exit %d\n%s\nstderr: %s", code, out, stderr)
	}
}
