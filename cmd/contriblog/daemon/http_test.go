package daemon

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/memstore"
)

const testToken = "s3cret-t0ken"

// sampleLog is a stored log with two people, two types and an excluded row.
func sampleLog() []harvester.Contribution {
	return []harvester.Contribution{
		{ID: "a1", Person: "Priya Raman", ActivityType: harvester.TypeBlog, Date: "2026-01-05", Title: "Bicep modules",
			Observations: []harvester.ObservationRef{{Source: "blog", NativeID: "p1"}}},
		{ID: "b2", Person: "Priya Raman", ActivityType: harvester.TypeThirdParty, Date: "2026-02-10", Title: "Zero Trust in Practice"},
		{ID: "c3", Person: "Sam Lee", ActivityType: harvester.TypeBlog, Date: "2026-03-01", Title: "Guest post"},
		{ID: "d4", Person: "Priya Raman", ActivityType: harvester.TypeBlog, Date: "2026-03-05", Title: "Draft", Excluded: true},
	}
}

// apiDaemon is a running daemon over sampleLog whose passes change nothing.
func apiDaemon(t *testing.T, cfg Config) (*Daemon, *memstore.Store, *countingHarvester) {
	t.Helper()
	st := memstore.New()
	st.Log = sampleLog()
	h := &countingHarvester{}
	if cfg.Schedule == "" {
		cfg.Schedule = "@every 1h"
	}
	// The pauses after wrong tokens are pinned by TestWrongTokens; here
	// they would only slow the tests that try many.
	d := &Daemon{Config: cfg, Harvester: h, Store: st, Logger: testLogger(&logBuffer{}),
		authSleep: func(context.Context, time.Duration) {}}
	start(t, d)
	return d, st, h
}

func TestEveryEndpointNeedsTheToken(t *testing.T) {
	d, _, _ := apiDaemon(t, Config{ListenToken: testToken})
	srv := serve(t, d)
	endpoints := []struct{ method, path string }{
		{"GET", "/"}, {"GET", "/healthz"}, {"GET", "/export.csv"}, {"GET", "/export.json"}, {"GET", "/export.md"},
		{"GET", "/sources"}, {"GET", "/metrics"}, {"POST", "/harvest"}, {"POST", "/edit/a1"}, {"POST", "/backup"}, {"GET", "/nope"},
		{"GET", "/submissions"}, {"POST", "/submissions"}, {"POST", "/submissions/delete"}, {"POST", "/entries"},
	}
	for _, e := range endpoints {
		for _, tok := range []string{"", "wrong", testToken + "x", strings.ToUpper(testToken)} {
			resp, body := request(t, e.method, srv.URL+e.path, tok, "")
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("%s %s with token %q: %d; want 401", e.method, e.path, tok, resp.StatusCode)
			}
			if resp.Header.Get("WWW-Authenticate") == "" || strings.Contains(body, testToken) {
				t.Errorf("%s %s: 401 without a challenge, or echoing the token: %q", e.method, e.path, body)
			}
		}
		resp, body := request(t, e.method, srv.URL+e.path, testToken, "")
		if resp.StatusCode == http.StatusUnauthorized || strings.Contains(body, testToken) {
			t.Errorf("%s %s with the token: %d %q", e.method, e.path, resp.StatusCode, body)
		}
	}
	// Another scheme carrying the right secret is still refused.
	req, _ := http.NewRequest("GET", srv.URL+"/healthz", nil)
	req.SetBasicAuth("x", testToken)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("basic auth: %v %v; want 401", resp.StatusCode, err)
	}
}

func TestWithoutATokenOnlyLoopbackHostsAreServed(t *testing.T) {
	d, _, _ := apiDaemon(t, Config{})
	srv := serve(t, d)
	for host, want := range map[string]int{
		"":                         http.StatusOK, // the test server's own 127.0.0.1:port
		"localhost:8787":           http.StatusOK,
		"[::1]:8787":               http.StatusOK,
		"attacker.example:8787":    http.StatusForbidden,
		"rebind.attacker.example":  http.StatusForbidden,
		"192.168.1.5:8787":         http.StatusForbidden,
		"localhost.evil.example:1": http.StatusForbidden,
	} {
		req, _ := http.NewRequest("GET", srv.URL+"/healthz", nil)
		if host != "" {
			req.Host = host
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("Host %q: %d; want %d", host, resp.StatusCode, want)
		}
	}
}

func TestCrossOriginPostsAreRefused(t *testing.T) {
	d, _, h := apiDaemon(t, Config{})
	srv := serve(t, d)
	req, _ := http.NewRequest("POST", srv.URL+"/harvest", strings.NewReader(""))
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin POST: %d; want 403", resp.StatusCode)
	}
	if n := len(h.calls()); n != 1 {
		t.Errorf("%d passes; want only the start-up one", n)
	}
}

func TestHealthz(t *testing.T) {
	t.Run("not running", func(t *testing.T) {
		d := &Daemon{Harvester: &countingHarvester{}, Store: memstore.New()}
		resp, body := request(t, "GET", serve(t, d).URL+"/healthz", "", "")
		if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, `"scheduler": "stopped"`) {
			t.Errorf("%d %s; want 503 with the scheduler stopped", resp.StatusCode, body)
		}
	})
	t.Run("running", func(t *testing.T) {
		d, st, _ := apiDaemon(t, Config{})
		srv := serve(t, d)
		var h health
		resp, body := request(t, "GET", srv.URL+"/healthz", "", "")
		if err := json.Unmarshal([]byte(body), &h); err != nil || resp.StatusCode != http.StatusOK || h.Status != "ok" {
			t.Errorf("%d %s; want 200 ok", resp.StatusCode, body)
		}
		st.SetBroken(errors.New("database not open"))
		resp, body = request(t, "GET", srv.URL+"/healthz", "", "")
		if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "database not open") {
			t.Errorf("broken store: %d %s; want 503 naming the error", resp.StatusCode, body)
		}
	})
}

func TestExportEndpoints(t *testing.T) {
	d, _, _ := apiDaemon(t, Config{})
	srv := serve(t, d)
	tests := []struct {
		query string
		want  []string // ids, for the JSON export
		code  int
	}{
		{"", []string{"a1", "b2", "c3"}, 200},
		{"?all", []string{"a1", "b2", "c3", "d4"}, 200},
		{"?all=true", []string{"a1", "b2", "c3", "d4"}, 200},
		{"?all=0", []string{"a1", "b2", "c3"}, 200},
		{"?since=2026-02-10", []string{"b2", "c3"}, 200},
		{"?until=2026-02-10", []string{"a1", "b2"}, 200},
		{"?since=2026-01-06&until=2026-03-01", []string{"b2", "c3"}, 200},
		{"?person=sam+lee", []string{"c3"}, 200},
		{"?type=blog&all=1", []string{"a1", "c3", "d4"}, 200},
		{"?since=2026-13-01", nil, 400},
		{"?since=2026-03-01&until=2026-01-01", nil, 400},
		{"?all=maybe", nil, 400},
		{"?from=2026-01-01", nil, 400},
		{"?type=Tlak", nil, 400},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			resp, body := request(t, "GET", srv.URL+"/export.json"+tt.query, "", "")
			if resp.StatusCode != tt.code {
				t.Fatalf("%d %s; want %d", resp.StatusCode, body, tt.code)
			}
			if tt.code != 200 {
				return
			}
			var rows []harvester.Contribution
			if err := json.Unmarshal([]byte(body), &rows); err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, r := range rows {
				ids = append(ids, r.ID)
			}
			if !reflect.DeepEqual(ids, tt.want) {
				t.Errorf("ids %v; want %v", ids, tt.want)
			}
		})
	}
	// An unknown type is refused with the CLI's words, not an empty export.
	resp, body := request(t, "GET", srv.URL+"/export.csv?type=Tlak", "", "")
	if resp.StatusCode != 400 || !strings.Contains(body, `type: unknown activity type "Tlak"; did you mean "Talk"?`) {
		t.Errorf("?type=Tlak: %d %s", resp.StatusCode, body)
	}
	for format, want := range map[string]struct{ ctype, contains string }{
		"csv": {"text/csv", "Activity Type"}, "md": {"text/markdown", "Zero Trust in Practice"},
	} {
		resp, body := request(t, "GET", srv.URL+"/export."+format+"?since=2026-02-01", "", "")
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), want.ctype) ||
			!strings.Contains(body, want.contains) || strings.Contains(body, "Bicep") {
			t.Errorf("%s: %d %s %q", format, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
		if rows := resp.Header.Get("X-Contriblog-Rows"); rows != "2" {
			t.Errorf("%s: X-Contriblog-Rows %q; want 2", format, rows)
		}
	}
	if resp, _ := request(t, "POST", srv.URL+"/export.csv", "", ""); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /export.csv: %d; want 405", resp.StatusCode)
	}
}

func TestSourcesEndpoint(t *testing.T) {
	st := memstore.New()
	soon := time.Now().Add(5 * time.Minute).UTC().Truncate(time.Second)
	st.States["a"] = harvester.SourceState{Name: "a", Type: "feed", Failures: 2, LastError: "503",
		FailingSince: time.Now().Add(-time.Hour), NextTry: soon, Data: map[string]string{"etag": "x"}}
	st.States["gone"] = harvester.SourceState{Name: "gone", Type: "ics"}
	d := &Daemon{Config: Config{Schedule: "@every 6h", Sources: []SourceSchedule{
		{Name: "a", Type: "feed", Enabled: true},
		{Name: "b", Type: "github", Schedule: "0 6 * * *", Enabled: false},
		{Name: "c", Type: "file", Schedule: "@every 1h", Enabled: true},
	}}, Harvester: &countingHarvester{fn: func(context.Context, int) (*harvester.Pass, error) {
		return nil, errors.New("keep the states as they are")
	}}, Store: st, Logger: testLogger(&logBuffer{})}
	start(t, d)
	resp, body := request(t, "GET", serve(t, d).URL+"/sources", "", "")
	var got []SourceStatus
	if err := json.Unmarshal([]byte(body), &got); err != nil || resp.StatusCode != 200 {
		t.Fatalf("%d %s: %v", resp.StatusCode, body, err)
	}
	if len(got) != 4 {
		t.Fatalf("%d rows; want a, b, c, gone: %s", len(got), body)
	}
	for i, want := range []struct {
		name, typ, schedule string
		enabled, configured bool
	}{{"a", "feed", "@every 6h", true, true}, {"b", "github", "0 6 * * *", false, true},
		{"c", "file", "@every 1h", true, true}, {"gone", "ics", "", false, false}} {
		g := got[i]
		if g.Name != want.name || g.Type != want.typ || g.Schedule != want.schedule || g.Enabled != want.enabled || g.Configured != want.configured {
			t.Errorf("row %d: %+v; want %+v", i, g, want)
		}
	}
	if !got[0].NextRun.Equal(soon) || got[0].Failures != 2 || got[0].Data != nil {
		t.Errorf("a: next run %s (want its retry %s), failures %d, data %v (want none)", got[0].NextRun, soon, got[0].Failures, got[0].Data)
	}
	if !got[1].NextRun.IsZero() {
		t.Errorf("disabled b has a next run %s", got[1].NextRun)
	}
	if wait := time.Until(got[2].NextRun); wait <= 0 || wait > time.Hour {
		t.Errorf("c runs next in %s; want within its hourly schedule", wait)
	}
}

func TestHarvestEndpoint(t *testing.T) {
	h := &countingHarvester{fn: func(_ context.Context, n int) (*harvester.Pass, error) {
		return &harvester.Pass{Rows: 7, Results: []harvester.Result{
			{Source: "a", Type: "feed", New: 2, Duration: 1500 * time.Millisecond},
			{Source: "b", Type: "ics", Err: errors.New("404 Not Found")}}}, nil
	}}
	d := &Daemon{Config: Config{Schedule: "@every 1h", Sources: []SourceSchedule{{Name: "a", Enabled: true}, {Name: "b", Enabled: true}, {Name: "off"}}},
		Harvester: h, Store: memstore.New(), Logger: testLogger(&logBuffer{})}
	srv := serve(t, d)
	if resp, _ := request(t, "POST", srv.URL+"/harvest", "", ""); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("before Run: %d; want 503", resp.StatusCode)
	}
	start(t, d)
	resp, body := request(t, "POST", srv.URL+"/harvest", "", "source=a")
	if resp.StatusCode != http.StatusAccepted || !strings.Contains(body, `"a"`) {
		t.Errorf("queue: %d %s; want 202", resp.StatusCode, body)
	}
	resp, body = request(t, "POST", srv.URL+"/harvest?wait=1", "", "source=b&source=a")
	var rep PassReport
	if err := json.Unmarshal([]byte(body), &rep); err != nil || resp.StatusCode != 200 {
		t.Fatalf("wait: %d %s", resp.StatusCode, body)
	}
	if rep.Rows != 7 || len(rep.Results) != 2 || rep.Results[1].Error != "404 Not Found" || rep.Results[0].DurationSeconds != 1.5 {
		t.Errorf("report %+v", rep)
	}
	if p := rep.Pass(); p.Err() == nil || p.Results[0].New != 2 {
		t.Errorf("report as a pass: %+v", p)
	}
	eventually(t, "the queued passes", func() bool { return h.callsFor("a") >= 2 })
	for form, want := range map[string]int{"source=off": 400, "source=nope": 400, "wait=perhaps": 400, "sources=a": 400} {
		if resp, body := request(t, "POST", srv.URL+"/harvest", "", form); resp.StatusCode != want {
			t.Errorf("%s: %d %s; want %d", form, resp.StatusCode, body, want)
		}
	}
	if resp, _ := request(t, "GET", srv.URL+"/harvest", "", ""); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET /harvest: %d; want 405", resp.StatusCode)
	}
}
