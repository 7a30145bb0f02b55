//go:build unix

package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// The secrets of TestFirstHourSecretsNeverShown: a Google-style secret
// calendar address (the token is the password), one of a calendar that
// fails, an Outlook-style published calendar's token, a Sessionize
// endpoint id and the daemon's token, all given through ${VAR}.
const (
	fhCalToken     = "5e1f0c2d9a8b7c6d5e4f3a2b1c0d9e8f"
	fhBadToken     = "0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d"
	fhOutlookToken = "c0ffee00d15ea5e0123456789abcdef42"
	fhSessionizeID = "sz7k2m9q4x"
	fhListenToken  = "lt-7Hq2Zp9Wm4Rx8Vn3"
)

// TestFirstHourSecretsNeverShown runs the first hour through Main: a
// harvest of an ICS calendar at a secret Google-style address given as
// ${CAL_URL} (one event with a page of its own, one without, one that
// names the calendar as its link and quotes it in its description; the
// calendar's name quotes the address too, as a broken server might), a
// Sessionize source, and calendars that fail (a refused connection, an
// Outlook-style address that answers 404 quoting the request); then
// export in every format (stdout and -o), list, sources, validate, and
// the daemon's HTTP endpoints. No output, export file, log line, HTTP
// answer or the database holds a secret or its token alone, and no
// contribution is linked to the calendar or the Sessionize endpoint.
func TestFirstHourSecretsNeverShown(t *testing.T) {
	dir := t.TempDir()
	var calURL string
	cal := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/calendar")
		io.WriteString(w, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nX-WR-CALNAME:Speaking (from "+calURL+")\r\n"+
			"BEGIN:VEVENT\r\nUID:own@test\r\nDTSTART:20260310T180000Z\r\nSUMMARY:Meetup talk with a page\r\nURL:https://meetup.example/e/42\r\nEND:VEVENT\r\n"+
			"BEGIN:VEVENT\r\nUID:none@test\r\nDTSTART:20260311T180000Z\r\nSUMMARY:Podcast guest spot\r\nEND:VEVENT\r\n"+
			"BEGIN:VEVENT\r\nUID:self@test\r\nDTSTART:20260312T180000Z\r\nSUMMARY:Workshop linked to the calendar\r\n"+
			"URL:"+calURL+"\r\nDESCRIPTION:Subscribe at "+calURL+"\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
	})
	calURL = cal + "/calendar/ical/priya%40example.com/private-" + fhCalToken + "/basic.ics"
	szPath := "/api/v2/" + fhSessionizeID + "/view/All"
	sz := serve(t, body("application/json", `{"sessions":[{"id":"1","title":"Conference session","startsAt":"2026-04-10T10:00:00",
"speakers":["s1"],"roomId":1,"recordingUrl":null,"liveUrl":null}],
"speakers":[{"id":"s1","fullName":"Test Person","sessions":[1]}],"rooms":[{"id":1,"name":"Main"}],"categories":[]}`))
	echo404 := serve(t, func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no calendar at "+r.URL.String(), http.StatusNotFound)
	})
	env := map[string]string{
		"CAL_URL":      calURL,
		"BAD_CAL":      closedPort(t) + "/calendar/ical/x/private-" + fhBadToken + "/basic.ics",
		"OUTLOOK_URL":  echo404 + "/owa/calendar/00000000000000000000000000000001@contoso.com/" + fhOutlookToken + "/calendar.ics",
		"SZ_ID":        fhSessionizeID,
		"LISTEN_TOKEN": fhListenToken,
	}
	secrets := []string{calURL, fhCalToken, fhBadToken, fhOutlookToken, fhSessionizeID, fhListenToken}
	listen := freeAddr(t)
	cfgPath := filepath.Join(dir, "contriblog.yaml")
	os.WriteFile(cfgPath, []byte(`person: Test Person
database: ./contriblog.db
since: 2020-01-01
timezone: UTC
listen: `+listen+`
listen_token: ${LISTEN_TOKEN}
sources:
  - name: talks
    type: ics
    url: ${CAL_URL}
  - name: conf
    type: sessionize
    speaker: Test Person
    url: `+sz+`/api/v2/${SZ_ID}/view/All
  - name: old-cal
    type: ics
    url: ${BAD_CAL}
  - name: outlook
    type: ics
    url: ${OUTLOOK_URL}
`), 0o600)

	var outputs []string
	noLeak := func(what, s string) {
		t.Helper()
		if what != "database file" {
			outputs = append(outputs, what+":\n"+s)
		}
		for _, secret := range secrets {
			if i := strings.Index(s, secret); i >= 0 {
				t.Errorf("%s shows the secret %q: …%s…", what, secret, s[max(0, i-80):min(len(s), i+len(secret)+40)])
			}
		}
	}
	check := func(what string, wantCode int, args ...string) string {
		t.Helper()
		code, out, stderr := run(t, env, append([]string{"-c", cfgPath}, args...)...)
		if code != wantCode {
			t.Errorf("%s: exit %d, want %d\n%s%s", what, code, wantCode, out, stderr)
		}
		noLeak(what+" stdout", out)
		noLeak(what+" stderr", stderr)
		return out + stderr
	}

	harvest := check("harvest -v", exitFailed, "harvest", "-v")
	for _, want := range []string{"old-cal", "outlook", "private-***", "404"} {
		if !strings.Contains(harvest, want) {
			t.Errorf("harvest does not say %q:\n%s", want, harvest)
		}
	}
	check("second harvest", exitFailed, "harvest")
	check("sources", 0, "sources")
	check("list", 0, "list", "--all")
	check("validate", 0, "validate")
	for _, format := range []string{"csv", "json", "md"} {
		exp := check("export "+format, 0, "export", "--format", format, "--all")
		for _, title := range []string{"Meetup talk with a page", "Podcast guest spot", "Workshop linked to the calendar", "Conference session"} {
			if !strings.Contains(exp, title) {
				t.Errorf("export %s lacks %q", format, title)
			}
		}
		links := exportLinks(t, format, exp)
		for _, u := range links {
			for _, listing := range []string{"/basic.ics", szPath, "/view/All", "/calendar/ical/", cal, sz} {
				if strings.Contains(u, listing) {
					t.Errorf("export %s links a contribution to a listing: %s", format, u)
				}
			}
		}
		if !slices.Contains(links, "https://meetup.example/e/42") {
			t.Errorf("export %s lost the event's own page: links %q", format, links)
		}
		out := filepath.Join(dir, "out."+format)
		check("export -o "+format, 0, "export", "--format", format, "--all", "-o", out)
		b, _ := os.ReadFile(out)
		noLeak("export file "+format, string(b))
	}

	fhDaemon(t, env, cfgPath, listen, noLeak)

	raw, _ := os.ReadFile(filepath.Join(dir, "contriblog.db"))
	noLeak("database file", string(raw))
	if t.Failed() {
		t.Logf("outputs:\n%s", strings.Join(outputs, "\n----\n"))
	}
}

// fhDaemon runs `contriblog run` in-process on the config's listen
// address, asks every read endpoint and a harvest, stops it and checks its
// answers and its log lines with noLeak.
func fhDaemon(t *testing.T, env map[string]string, cfgPath, listen string, noLeak func(what, s string)) {
	t.Helper()
	tm := newTestMain(env)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tm.Run(ctx, []string{"-c", cfgPath, "run", "--log-format", "json"})
	}()
	get := func(method, path string) (int, string) {
		req, _ := http.NewRequest(method, "http://"+listen+path, nil)
		req.Header.Set("Authorization", "Bearer "+fhListenToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	defer func() {
		if t.Failed() {
			t.Logf("daemon stderr:\n%s", tm.stderr.String())
		}
	}()
	waitFor(t, "the daemon's first pass", func() bool {
		code, b := get("GET", "/sources")
		// Failed sources' errors name their hosts (old-cal) or their
		// addresses redacted (outlook's 404).
		return code == http.StatusOK && strings.Contains(b, "connection refused") && strings.Contains(b, "/owa/calendar/***/***/")
	})
	for _, ep := range []struct{ method, path string }{{"GET", "/"}, {"GET", "/healthz"}, {"GET", "/sources"}, {"GET", "/metrics"},
		{"GET", "/export.csv"}, {"GET", "/export.json"}, {"GET", "/export.md"}, {"POST", "/harvest?wait=1"}, {"GET", "/nosuch"}} {
		code, b := get(ep.method, ep.path)
		if code == 0 {
			t.Errorf("%s %s: %s", ep.method, ep.path, b)
		}
		noLeak("daemon "+ep.method+" "+ep.path, b)
	}
	cancel()
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("the daemon did not stop")
	}
	noLeak("daemon stdout", tm.stdout.String())
	noLeak("daemon log", tm.stderr.String())
	if !strings.Contains(tm.stderr.String(), "old-cal") {
		t.Errorf("the daemon's log does not name the failing source:\n%s", tm.stderr.String())
	}
}

// exportLinks are the links an export gives its contributions: the URL
// and Other URLs columns of a CSV, every url and other_urls of a JSON
// export (observations' too), every link target of a Markdown one.
func exportLinks(t *testing.T, format, exp string) []string {
	t.Helper()
	var out []string
	switch format {
	case "csv":
		recs, err := csv.NewReader(strings.NewReader(exp)).ReadAll()
		if err != nil || len(recs) == 0 {
			t.Fatalf("csv export: %v", err)
		}
		for _, rec := range recs[1:] {
			for i, col := range recs[0] {
				if col == "Activity URL" || col == "Other URLs" {
					out = append(out, strings.Fields(strings.ReplaceAll(rec[i], ";", " "))...)
				}
			}
		}
	case "json":
		var v any
		if err := json.Unmarshal([]byte(exp), &v); err != nil {
			t.Fatalf("json export: %v", err)
		}
		var walk func(v any)
		walk = func(v any) {
			switch x := v.(type) {
			case map[string]any:
				for k, e := range x {
					if s, ok := e.(string); ok && k == "url" {
						out = append(out, s)
					}
					if l, ok := e.([]any); ok && k == "other_urls" {
						for _, u := range l {
							out = append(out, u.(string))
						}
					}
					walk(e)
				}
			case []any:
				for _, e := range x {
					walk(e)
				}
			}
		}
		walk(v)
	case "md":
		for _, m := range mdLink.FindAllStringSubmatch(exp, -1) {
			out = append(out, m[1])
		}
	}
	return out
}

var mdLink = regexp.MustCompile(`\]\(([^)\s]+)\)`)
