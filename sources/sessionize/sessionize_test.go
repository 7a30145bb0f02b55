package sessionize_test

import (
	"context"
	"encoding/json"
	"io/fs"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/sources/fetch"
	"github.com/contriblog/contriblog/sources/sessionize"
)

var amsterdam, _ = time.LoadLocation("Europe/Amsterdam")

func parseFile(t *testing.T, name string, cfg sessionize.Config) ([]harvester.Observation, error) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Name, cfg.URL, cfg.Timezone = "cloudsummit", "https://sessionize.com/api/v2/abcd/view/All", amsterdam
	return sessionize.Parse(b, cfg)
}

func TestParse(t *testing.T) {
	tests := []struct {
		name, file string
		cfg        sessionize.Config
		n          int
		check      func(t *testing.T, obs []harvester.Observation)
	}{
		{"all by name", "all.json", sessionize.Config{Speaker: "priya raman", Event: "Cloud Summit 2026"}, 2, func(t *testing.T, obs []harvester.Observation) {
			o := obs[0]
			if o.NativeID != "501" || o.Title != "Zero Trust in Practice" || o.Role != "" || o.FeedTitle != "Cloud Summit 2026" {
				t.Errorf("obs = %+v", o)
			}
			if !o.Date.Equal(time.Date(2026, 6, 12, 8, 0, 0, 0, time.UTC)) || !o.EndDate.Equal(time.Date(2026, 6, 12, 8, 50, 0, 0, time.UTC)) {
				t.Errorf("date %v end %v", o.Date, o.EndDate)
			}
			if o.Description != "Conditional Access, device compliance & workload identities. — Cloud Summit 2026, Auditorium" {
				t.Errorf("description = %q", o.Description)
			}
			if o.URL != "https://www.youtube.com/watch?v=zt2026" || o.URLIsListing || o.ActivityType != harvester.TypeThirdParty {
				t.Errorf("url %q listing %v", o.URL, o.URLIsListing)
			}
			p := obs[1]
			if p.Role != "Panelist" || p.URL != "https://live.example.com/panel" || !strings.HasSuffix(p.Description, "with Marta Silva, Zoë Ångström") {
				t.Errorf("panel = %+v", p)
			}
			if p.Meta["room"] != "Room 2" || p.Meta["speakers"] != "Marta Silva; Priya Raman; Zoë Ångström" || p.Meta["event"] != "Cloud Summit 2026" {
				t.Errorf("meta = %v", p.Meta)
			}
		}},
		{"all by id", "all.json", sessionize.Config{Speaker: "C3D4-MARTA"}, 2, func(t *testing.T, obs []harvester.Observation) {
			if !obs[1].Date.Equal(time.Date(2026, 6, 12, 11, 0, 0, 0, time.UTC)) {
				t.Errorf("offset time = %v", obs[1].Date)
			}
			if obs[1].FeedTitle != "cloudsummit" || obs[1].URLIsListing || obs[1].URL != "" {
				t.Errorf("fallbacks = %+v", obs[1])
			}
		}},
		{"accents", "all.json", sessionize.Config{Speaker: "zoe  angstrom"}, 1, nil},
		{"since", "all.json", sessionize.Config{Speaker: "Priya Raman", Since: time.Date(2026, 6, 12, 9, 0, 0, 0, time.UTC)}, 1, nil},
		{"view sessions", "sessions.json", sessionize.Config{Speaker: "Priya Raman"}, 1, func(t *testing.T, obs []harvester.Observation) {
			if obs[0].Meta["room"] != "Auditorium" || !obs[0].Date.Equal(time.Date(2026, 6, 12, 8, 0, 0, 0, time.UTC)) {
				t.Errorf("obs = %+v", obs[0])
			}
		}},
		{"view speakers", "speakers.json", sessionize.Config{Speaker: "Priya Raman"}, 2, func(t *testing.T, obs []harvester.Observation) {
			if !obs[0].Date.IsZero() || obs[0].DateFallback != "first_seen" || obs[1].Title != "Panel: Identity in 2030" || obs[1].NativeID != "502" {
				t.Errorf("obs = %+v", obs)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obs, err := parseFile(t, tt.file, tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if len(obs) != tt.n {
				t.Fatalf("%d sessions, want %d: %+v", len(obs), tt.n, obs)
			}
			if tt.check != nil {
				tt.check(t, obs)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ body, speaker, want string }{
		{"", "x", "empty body"},
		{"<html><body>Sign in</body></html>", "x", "HTML"},
		{`{"hello": 1}`, "x", "not a Sessionize view/All"},
		{`{"sessions": [`, "x", "truncated Sessionize JSON"},
		{`{"sessions": [{"id": "1", "title": "A"}], "speakers": [{"id": "1", "fullName": "A B"}]`, "x", "truncated Sessionize JSON"},
		{`{"sessions": "none", "speakers": []}`, "x", "wrong shape"},
		{`{"sessions": [], "speakers": {"id": 1}}`, "x", "wrong shape"},
		{`{"sessions": [] "speakers": []}`, "x", "malformed Sessionize JSON at byte"},
		{"BEGIN:VCALENDAR\r\n", "x", "not a Sessionize JSON document"},
		{`"just a string"`, "x", "not a Sessionize JSON document"},
		{`[{"foo": 1}]`, "x", "neither view/Sessions"},
		{`{"sessions": [], "speakers": []}`, "x", "lists no speakers"},
		{`{"sessions": [], "speakers": [{"id": "1", "fullName": "A B"}]}`, "", "no speaker configured"},
	}
	for _, tt := range tests {
		_, err := sessionize.Parse([]byte(tt.body), sessionize.Config{Name: "x", Speaker: tt.speaker})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%q) err = %v, want %q", tt.body, err, tt.want)
		}
	}
}

func TestSpeakerNotFound(t *testing.T) {
	_, err := parseFile(t, "all.json", sessionize.Config{Speaker: "Priya Ramen"})
	want := `speaker "Priya Ramen" not found among 3 speakers; nearest: "Priya Raman", `
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("err = %v, want %q", err, want)
	}
}

func TestHarvestConditional(t *testing.T) {
	body, _ := os.ReadFile("testdata/all.json")
	var conditional int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Last-Modified", "Mon, 01 Jun 2026 10:00:00 GMT")
		if r.Header.Get("If-Modified-Since") != "" {
			conditional++
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
	defer srv.Close()
	src := sessionize.New(sessionize.Config{Name: "cs", URL: srv.URL + "/api/v2/abcd/view/All", Speaker: "Priya Raman", Client: fetch.New(fetch.Options{})})
	if src.Type() != "sessionize" || src.Name() != "cs" {
		t.Fatalf("name/type = %q %q", src.Name(), src.Type())
	}
	b, err := src.Harvest(context.Background(), harvester.SourceState{})
	if err != nil || len(b.Observations) != 2 || b.LastModified == "" {
		t.Fatalf("first harvest: %v, %+v", err, b)
	}
	b, err = src.Harvest(context.Background(), harvester.SourceState{LastModified: b.LastModified})
	if err != nil || !b.NotModified || conditional != 1 {
		t.Fatalf("second harvest: %v, %+v; want 304", err, b)
	}
}

// demoToken and expandDemo do what the demo server does to its sample
// files (cmd/contriblog/demo/dates.go): {{FORMAT:DAYS}} becomes the date
// DAYS from today, at 18:30.
var demoToken = regexp.MustCompile(`\{\{([A-Z0-9]+):([+-]?\d+)\}\}`)

func expandDemo(s string, today time.Time) string {
	base := time.Date(today.Year(), today.Month(), today.Day(), 18, 30, 0, 0, time.UTC)
	return demoToken.ReplaceAllStringFunc(s, func(m string) string {
		g := demoToken.FindStringSubmatch(m)
		n, _ := strconv.Atoi(g[2])
		layout := map[string]string{"DAY": "2006-01-02", "LOCAL": "2006-01-02T15:04:05"}[g[1]]
		return base.AddDate(0, 0, n).Format(layout)
	})
}

func TestDemoData(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "cmd", "contriblog", "demo", "data", "sessionize", "cloudsummit.json"))
	if err != nil {
		t.Skip("demo data not present:", err)
	}
	today := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	doc := expandDemo(string(b), today)
	if strings.Contains(doc, "{{") {
		t.Fatalf("unexpanded token in demo data")
	}
	obs, err := sessionize.Parse([]byte(doc), sessionize.Config{Name: "cloudsummit", Event: "Cloud Summit", Speaker: "Priya Raman",
		URL: "http://127.0.0.1/sessionize/cloudsummit.json", Timezone: amsterdam})
	if err != nil || len(obs) != 2 {
		t.Fatalf("demo: %v, %d sessions", err, len(obs))
	}
	zt, panel := obs[0], obs[1]
	if zt.Title != "Zero Trust in Practice" || zt.Day(amsterdam) != "2026-10-13" || zt.URL != "https://www.youtube.com/watch?v=ZtInPr4ct1c" || zt.Role != "" {
		t.Errorf("talk = %q %s %q %q", zt.Title, zt.Day(amsterdam), zt.URL, zt.Role)
	}
	if want := time.Date(2026, 10, 13, 16, 30, 0, 0, time.UTC); !zt.Date.Equal(want) {
		t.Errorf("talk at %v, want 18:30 in Amsterdam (%v)", zt.Date.UTC(), want)
	}
	if panel.Role != "Panelist" || panel.Day(amsterdam) != "2026-10-13" || !panel.URLIsListing && panel.URL == "" {
		t.Errorf("panel = %+v", panel)
	}
}

// TestCorpus runs every real-world Sessionize document through Parse with
// the first speaker it names: observations or a clear error, never a
// panic, valid UTF-8.
func TestCorpus(t *testing.T) {
	root := filepath.Join("..", "..", "..", "shared", "corpus", "sessionize")
	if _, err := os.Stat(root); err != nil {
		t.Skip("corpus not present:", err)
	}
	var parsed, failed, sessions int
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(d.Name(), ".json") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return nil
		}
		obs, err := sessionize.Parse(b, sessionize.Config{Name: "corpus", URL: "https://example.com/", Speaker: firstSpeaker(b), Timezone: time.UTC})
		if err != nil {
			failed++
			t.Logf("%s: %v", filepath.Base(path), err)
			return nil
		}
		parsed++
		sessions += len(obs)
		checkObs(t, path, obs)
		return nil
	})
	t.Logf("corpus: %d files parsed (%d sessions), %d rejected with an error", parsed, sessions, failed)
	if parsed == 0 {
		t.Error("no corpus file parsed")
	}
}

// firstSpeaker finds the id of the first speaker the document names, in
// whichever view it is.
func firstSpeaker(b []byte) string {
	var v any
	if json.Unmarshal(b, &v) != nil {
		return ""
	}
	var walk func(v any, key string) string
	walk = func(v any, key string) string {
		switch x := v.(type) {
		case map[string]any:
			if key == "speakers" || x["fullName"] != nil {
				if id, ok := x["id"].(string); ok {
					return id
				}
			}
			for _, k := range []string{"speakers", "sessions", "rooms"} {
				if id := walk(x[k], k); id != "" {
					return id
				}
			}
		case []any:
			for _, e := range x {
				if s, ok := e.(string); ok && key == "speakers" {
					return s
				}
				if id := walk(e, key); id != "" {
					return id
				}
			}
		}
		return ""
	}
	return walk(v, "")
}

func checkObs(t *testing.T, where string, obs []harvester.Observation) {
	t.Helper()
	for _, o := range obs {
		strs := []string{o.Title, o.Description, o.URL, o.NativeID, o.FeedTitle}
		for k, v := range o.Meta {
			strs = append(strs, k, v)
		}
		for _, s := range strs {
			if !utf8.ValidString(s) {
				t.Errorf("%s: invalid UTF-8 %q", where, s)
			}
		}
		if o.NativeID == "" || o.Title == "" {
			t.Errorf("%s: session without id or title: %+v", where, o)
		}
	}
}

// FuzzParse seeds from the package's fixtures and the corpus samples.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.json")
	more, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "corpus", "sessionize", "*", "*.json"))
	files = append(files, more...)
	for _, p := range files {
		b, _ := os.ReadFile(p)
		f.Add(b, "Priya Raman")
		if id := firstSpeaker(b); id != "" {
			f.Add(b, id)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte, speaker string) {
		obs, err := sessionize.Parse(b, sessionize.Config{Name: "f", URL: "https://example.com/", Speaker: speaker})
		if err != nil {
			return
		}
		checkObs(t, "fuzz", obs)
	})
}

// TestHarvestCountsDropped: a full read says why it left sessions out
// (all.json: two of Priya's, one of Marta's alone, two service sessions).
func TestHarvestCountsDropped(t *testing.T) {
	body, _ := os.ReadFile("testdata/all.json")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
	defer srv.Close()
	tests := []struct {
		name    string
		since   time.Time
		kept    int
		dropped map[string]int
	}{
		{"no window", time.Time{}, 2, map[string]int{harvester.DroppedService: 2, harvester.DroppedOtherPerson: 1}},
		{"since", time.Date(2026, 6, 12, 9, 0, 0, 0, time.UTC), 1,
			map[string]int{harvester.DroppedService: 2, harvester.DroppedOtherPerson: 1, harvester.DroppedSince: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := sessionize.New(sessionize.Config{Name: "cs", URL: srv.URL + "/api/v2/abcd/view/All", Speaker: "Priya Raman",
				Since: tt.since, Timezone: amsterdam, Client: fetch.New(fetch.Options{})})
			b, err := src.Harvest(context.Background(), harvester.SourceState{})
			if err != nil {
				t.Fatal(err)
			}
			if len(b.Observations) != tt.kept || !maps.Equal(b.Dropped, tt.dropped) {
				t.Errorf("kept %d, dropped %v; want %d, %v", len(b.Observations), b.Dropped, tt.kept, tt.dropped)
			}
		})
	}
}
