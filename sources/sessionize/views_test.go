package sessionize_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/sources/fetch"
	"github.com/contriblog/contriblog/sources/sessionize"
)

func utc(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, time.UTC)
}

// TestLocalTimesAcrossDST: Sessionize writes event-local times without an
// offset; across the October change they are read with the offset of
// their own day, and a time that occurs twice is the first.
func TestLocalTimesAcrossDST(t *testing.T) {
	obs, err := parseFile(t, "dst.json", sessionize.Config{Speaker: "PRIYA RAMAN", Event: "Identity Days"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		id         string
		start, end time.Time
		day        string
	}{
		{"601", utc(2026, 10, 24, 8, 0), utc(2026, 10, 24, 9, 0), "2026-10-24"},
		{"602", utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 0, 45), "2026-10-25"}, // both the first 02:xx
		{"603", utc(2026, 10, 25, 9, 0), utc(2026, 10, 25, 11, 0), "2026-10-25"},
		{"605", utc(2026, 10, 25, 15, 0), utc(2026, 10, 25, 15, 30), "2026-10-25"},
	}
	if len(obs) != len(tests) {
		t.Fatalf("%d sessions, want %d (the waitlisted one skipped): %+v", len(obs), len(tests), obs)
	}
	for i, tt := range tests {
		o := obs[i]
		if o.NativeID != tt.id || !o.Date.Equal(tt.start) || !o.EndDate.Equal(tt.end) || o.Day(amsterdam) != tt.day {
			t.Errorf("session %s: %v to %v (%s); want %s %v to %v (%s)", o.NativeID, o.Date.UTC(), o.EndDate.UTC(), o.Day(amsterdam), tt.id, tt.start, tt.end, tt.day)
		}
		if !strings.Contains(o.Meta["tz_fallback"], "read in Europe/Amsterdam") {
			t.Errorf("session %s: tz_fallback = %q", o.NativeID, o.Meta["tz_fallback"])
		}
	}
	if c := obs[0].Categories; len(c) != 2 || c[0] != "Security" || c[1] != "Introductory and overview" {
		t.Errorf("categories = %q", c)
	}
	ws := obs[2]
	if ws.Role != "" || ws.Description != "Identity Days, Workshop Room — with José Núñez" || strings.Join(ws.Authors, ";") != "Priya Raman;José Núñez" {
		t.Errorf("workshop: role %q, description %q, authors %q", ws.Role, ws.Description, ws.Authors)
	}
	// Listed only in the speaker's own sessions list; recording first.
	h := obs[3]
	if h.URL != "https://www.youtube.com/watch?v=hallway" || len(h.OtherURLs) != 1 || h.OtherURLs[0] != "https://live.example.com/hallway" || h.URLIsListing {
		t.Errorf("links: %q %q", h.URL, h.OtherURLs)
	}
	if len(h.Authors) != 1 || h.Authors[0] != "Priya Raman" {
		t.Errorf("authors = %q", h.Authors)
	}
}

func TestGridSmart(t *testing.T) {
	obs, err := parseFile(t, "gridsmart.json", sessionize.Config{Speaker: "a1b2-priya"})
	if err != nil || len(obs) != 1 {
		t.Fatalf("%v, %+v", err, obs)
	}
	o := obs[0]
	if o.Title != "Zero Trust in Practice" || !o.Date.Equal(utc(2026, 6, 12, 8, 0)) || o.Meta["room"] != "Auditorium" || len(o.Categories) != 1 {
		t.Errorf("obs = %+v", o)
	}
}

func TestSpeakerDefaultsToPerson(t *testing.T) {
	obs, err := parseFile(t, "all.json", sessionize.Config{Person: "Priya Raman"})
	if err != nil || len(obs) != 2 || obs[0].Person != "Priya Raman" {
		t.Fatalf("%v, %+v", err, obs)
	}
}

func TestHarvestErrors(t *testing.T) {
	tests := []struct{ name, body, want string }{
		{"html", "<!DOCTYPE html><html><body>Sign in</body></html>", "HTML"},
		{"truncated", `{"sessions": [{"id": "1"`, "truncated Sessionize JSON"},
		{"unknown speaker", `{"sessions": [], "speakers": [{"id": "1", "fullName": "Priya Rahman"}]}`, `nearest: "Priya Rahman"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Write([]byte(tt.body))
			}))
			defer srv.Close()
			src := sessionize.New(sessionize.Config{Name: "cs", URL: srv.URL + "/api/v2/abcd/view/All?key=s3cret", Speaker: "Priya Raman",
				Client: fetch.New(fetch.Options{})})
			b, err := src.Harvest(context.Background(), harvester.SourceState{})
			if b != nil || err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "parse sessionize") {
				t.Fatalf("batch %+v, err %v; want %q", b, err, tt.want)
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Errorf("secret in error: %v", err)
			}
		})
	}
}

func TestHarvestStatusError(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	_, err := sessionize.New(sessionize.Config{Name: "cs", URL: srv.URL, Speaker: "x"}).Harvest(context.Background(), harvester.SourceState{})
	if err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("err = %v", err)
	}
}

func BenchmarkParseAll(b *testing.B) {
	data, err := os.ReadFile("testdata/all.json")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := sessionize.Parse(data, sessionize.Config{Name: "b", Speaker: "Priya Raman", Timezone: time.UTC}); err != nil {
			b.Fatal(err)
		}
	}
}
