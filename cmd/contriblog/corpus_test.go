package main

import (
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestCorpusThroughTheProgram harvests every feed and calendar of
// ../shared/corpus (files written by others, broken ones included) through
// the real sources, served over HTTP on loopback, and exports the log:
// no source may panic, every source ends with items or a named error, and
// every export is valid UTF-8.
func TestCorpusThroughTheProgram(t *testing.T) {
	root := filepath.Join("..", "..", "..", "shared", "corpus")
	if _, err := os.Stat(root); err != nil {
		t.Skip("corpus not present:", err)
	}
	if testing.Short() {
		t.Skip("harvests the whole corpus")
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(root)))
	defer srv.Close()

	var cfg strings.Builder
	cfg.WriteString("person: Corpus Person\ndatabase: ./contriblog.db\nsince: 1990-01-01\ntimezone: UTC\nsources:\n")
	kinds := map[string]int{}
	for _, kind := range []struct{ dir, typ string }{{"feeds", "feed"}, {"ics", "ics"}} {
		filepath.WalkDir(filepath.Join(root, kind.dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !corpusFile(kind.typ, d.Name()) {
				return nil
			}
			rel, _ := filepath.Rel(root, path)
			kinds[kind.typ]++
			fmt.Fprintf(&cfg, "  - {name: %s-%d, type: %s, url: %q}\n", kind.typ, kinds[kind.typ], kind.typ,
				srv.URL+"/"+filepath.ToSlash(rel))
			return nil
		})
	}
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "contriblog.yaml")
	if err := os.WriteFile(cfgPath, []byte(cfg.String()), 0o600); err != nil {
		t.Fatal(err)
	}

	code, out, stderr := run(t, nil, "-q", "-c", cfgPath, "harvest")
	if code != 0 && code != 1 {
		t.Fatalf("harvest exit %d\n%s", code, stderr)
	}
	line := regexp.MustCompile(`^(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(.*)$`)
	ok, failed, items := map[string]int{}, map[string]int{}, 0
	for _, l := range strings.Split(out, "\n") {
		m := line.FindStringSubmatch(l)
		if m == nil || m[1] == "SOURCE" {
			continue
		}
		typ := m[1][:strings.IndexByte(m[1], '-')]
		status := m[5]
		switch {
		case strings.Contains(status, "panic"):
			t.Errorf("%s panicked: %s", m[1], status)
		case status == "error (below)":
			failed[typ]++
			msg := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(m[1]) + `: (.*)$`).FindStringSubmatch(out)
			if msg == nil || len(strings.TrimSpace(msg[1])) < 10 {
				t.Errorf("%s: an error that says nothing: %q", m[1], msg)
			}
		default:
			ok[typ]++
			var n int
			fmt.Sscan(m[2], &n)
			items += n
		}
	}
	for typ, n := range kinds {
		if ok[typ]+failed[typ] != n {
			t.Errorf("%s: %d sources configured, %d reported", typ, n, ok[typ]+failed[typ])
		}
		t.Logf("%s: %d files, %d harvested, %d failed with an error", typ, n, ok[typ], failed[typ])
	}
	t.Logf("%d items stored", items)

	for _, format := range []string{"csv", "json", "md"} {
		code, out, stderr := run(t, nil, "-c", cfgPath, "export", "--format", format)
		if code != 0 {
			t.Errorf("export %s: exit %d\n%s", format, code, stderr)
		}
		if !utf8.ValidString(out) {
			t.Errorf("export %s is not valid UTF-8", format)
		}
		if strings.ContainsAny(out, "\x00\x1b") {
			t.Errorf("export %s carries control characters", format)
		}
	}
}

// corpusFile reports whether a corpus file is a document to harvest, not
// a licence or an origin project's expected-output file.
func corpusFile(typ, name string) bool {
	lower := strings.ToLower(name)
	if strings.HasPrefix(lower, "license") || strings.HasPrefix(lower, "readme") || strings.HasPrefix(lower, "copying") {
		return false
	}
	if typ == "ics" {
		return strings.HasSuffix(lower, ".ics") || strings.HasSuffix(lower, ".ical") || strings.HasSuffix(lower, ".ifb")
	}
	switch filepath.Ext(lower) {
	case ".yaml", ".yml", ".md", ".txt", ".rs", ".go", ".rb", ".py", ".js", ".toml":
		return false
	}
	return true
}
