//go:build unix

package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// get answers a GET of the daemon at addr: status and body.
func get(t *testing.T, addr, path string) (int, string) {
	t.Helper()
	resp, err := http.Get("http://" + addr + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestPersonsJSONAndExcelBesideTheDaemon (issue 15, items 8-10 through
// `contriblog run`): ?person= and --person filter the daemon's rows and
// refuse a typo with a suggestion; its JSON answers have null for an
// unknown reach, [] for no items and no failing_since for a source that
// never failed; harvest's count through it is the export's; and
// export.excel gives its export file a byte-order mark.
func TestPersonsJSONAndExcelBesideTheDaemon(t *testing.T) {
	addr := freeAddr(t)
	cfg := personsConfig(t, "schedule: \"@every 1h\"\nlisten: "+addr+"\nexport: {path: ./out.csv, excel: true}\n")
	runInProcess(t, cfg, "")
	exportFile := filepath.Join(filepath.Dir(cfg), "out.csv")
	waitFor(t, "the daemon's export", func() bool {
		b, err := os.ReadFile(exportFile)
		return err == nil && strings.Contains(string(b), "A draft")
	})

	b, _ := os.ReadFile(exportFile)
	if !strings.HasPrefix(string(b), "\xef\xbb\xbfID,Person,") || !strings.Contains(string(b), "Don’t panic ★") ||
		strings.Count(string(b), "\n") != strings.Count(string(b), "\r\n") {
		t.Errorf("export.path with export.excel: %q", b)
	}

	// ?person= filters, a typo is refused with a suggestion.
	code, body := get(t, addr, "/export.json?person="+url.QueryEscape("ada lovelace"))
	var rows []map[string]json.RawMessage
	if err := json.Unmarshal([]byte(body), &rows); code != 200 || err != nil || len(rows) != 1 || string(rows[0]["person"]) != `"Ada Lovelace"` {
		t.Errorf("/export.json?person=ada lovelace: %d %s", code, body)
	}
	code, body = get(t, addr, "/export.csv?person="+url.QueryEscape("Ada Lovelce"))
	if code != http.StatusBadRequest || !strings.Contains(body, `unknown person "Ada Lovelce" (did you mean "Ada Lovelace"?)`) {
		t.Errorf("/export.csv?person=Ada Lovelce: %d %s", code, body)
	}
	if code, body = get(t, addr, "/export.md"); code != 200 || !strings.Contains(body, "\n## Ada Lovelace\n") || !strings.Contains(body, "\n## Priya Raman\n") {
		t.Errorf("/export.md of two persons: %d\n%s", code, body)
	}

	// JSON: null reach, [] arrays, no never-set times.
	code, body = get(t, addr, "/export.json?person=Priya%20Raman")
	if code != 200 || !strings.Contains(body, `"reach":null`) || !strings.Contains(body, `"other_urls":[]`) || strings.Contains(body, `"reach":0`) {
		t.Errorf("/export.json: %d %s", code, body)
	}
	code, body = get(t, addr, "/sources")
	var sources []map[string]json.RawMessage
	if err := json.Unmarshal([]byte(body), &sources); code != 200 || err != nil || len(sources) != 2 {
		t.Fatalf("/sources: %d %v %s", code, err, body)
	}
	for _, s := range sources {
		for _, k := range []string{"failing_since", "next_try"} {
			if v, ok := s[k]; ok {
				t.Errorf("/sources %s has %s %s for a source that never failed", s["name"], k, v)
			}
		}
		if _, ok := s["last_run"]; !ok {
			t.Errorf("/sources %s has no last_run after its pass", s["name"])
		}
	}
	if strings.Contains(body, "0001-01-01") || strings.Contains(body, "null") {
		t.Errorf("/sources holds a zero time or a null:\n%s", body)
	}
	if code, body = get(t, addr, "/healthz"); code != 200 || !strings.Contains(body, `"stuck": []`) {
		t.Errorf("/healthz: %d %s", code, body)
	}

	// Commands through the daemon: the same filter, the same refusal.
	if out := mustRun(t, "-c", cfg, "list", "--person", "Ada Lovelace"); !strings.Contains(out, "Zero Trust") || strings.Contains(out, "PERSON") {
		t.Errorf("list --person through the daemon:\n%s", out)
	}
	if out := mustRun(t, "-c", cfg, "list"); !strings.Contains(out, "PERSON") {
		t.Errorf("list through the daemon has no PERSON column:\n%s", out)
	}
	code, out, stderr := run(t, nil, "-c", cfg, "export", "--person", "Ada Lovelce")
	if code != exitUsage || out != "" || !strings.Contains(stderr, `(did you mean "Ada Lovelace"?)`) {
		t.Errorf("export --person Ada Lovelce through the daemon: exit %d, %q, %s", code, out, stderr)
	}
	if out := mustRun(t, "-c", cfg, "list", "--person", "Grace Hopper"); out != "No contributions.\n" {
		t.Errorf("list --person Grace Hopper through the daemon: %q", out)
	}
	if out := mustRun(t, "-c", cfg, "export", "--excel"); !strings.HasPrefix(out, "\xef\xbb\xbfID,") {
		t.Errorf("export --excel through the daemon starts %q", out[:8])
	}

	// An exclusion: the edit's answer says null, harvest counts what the
	// export has.
	id := idOf(t, cfg, "A draft nobody should see")
	resp := postDaemon(t, cfg, addr, "/edit/"+id, url.Values{"exclude": {"1"}})
	edited, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(edited), `"reach": null`) || !strings.Contains(string(edited), `"excluded": true`) ||
		!strings.Contains(string(edited), `"additional_areas": []`) {
		t.Errorf("POST /edit: %d %s", resp.StatusCode, edited)
	}
	if out := mustRun(t, "-c", cfg, "harvest"); !strings.HasSuffix(out, "\nlog: 2 contributions (1 more excluded, not exported)\n") {
		t.Errorf("harvest through the daemon:\n%s", out)
	}
	resp = postDaemon(t, cfg, addr, "/harvest", url.Values{"wait": {"1"}, "source": {"grace"}})
	var rep map[string]json.RawMessage
	json.NewDecoder(resp.Body).Decode(&rep)
	resp.Body.Close()
	if string(rep["rows"]) != "3" || string(rep["excluded"]) != "1" || !strings.HasPrefix(string(rep["results"]), "[") {
		t.Errorf("POST /harvest report: %v", rep)
	}
}
