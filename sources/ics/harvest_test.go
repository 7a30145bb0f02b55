package ics_test

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/sources/fetch"
	"github.com/contriblog/contriblog/sources/ics"
)

// serve answers every request with the file, honouring If-None-Match.
func serve(t *testing.T, file, contentType string, status int) (*httptest.Server, *int) {
	t.Helper()
	body, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var conditional int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"v1"`)
		if r.Header.Get("If-None-Match") == `"v1"` {
			conditional++
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv, &conditional
}

func newSource(url string) *ics.Source {
	return ics.New(ics.Config{Name: "ug", URL: url, Person: "Priya Raman", Timezone: amsterdam,
		Client: fetch.New(fetch.Options{Logger: quiet}), Logger: quiet, Now: fixedNow})
}

func TestHarvestConditional(t *testing.T) {
	srv, conditional := serve(t, "testdata/meetup.ics", "text/calendar; charset=utf-8", http.StatusOK)
	src := newSource(srv.URL + "/events/ical/")
	if src.Type() != "ics" || src.Name() != "ug" {
		t.Fatalf("name/type = %q %q", src.Name(), src.Type())
	}
	b, err := src.Harvest(context.Background(), harvester.SourceState{})
	if err != nil || len(b.Observations) != 2 || b.ETag != `"v1"` || b.NotModified {
		t.Fatalf("first harvest: %v, %+v", err, b)
	}
	if o := b.Observations[1]; o.Source != "ug" || o.Person != "Priya Raman" {
		t.Errorf("observation = %+v", o)
	}
	b, err = src.Harvest(context.Background(), harvester.SourceState{ETag: b.ETag})
	if err != nil || !b.NotModified || *conditional != 1 || b.ETag != `"v1"` {
		t.Fatalf("second harvest: %v, %+v; want 304", err, b)
	}
}

func TestHarvestErrors(t *testing.T) {
	tests := []struct {
		name, file string
		status     int
		want       string
		batch      int // observations still returned; -1: no batch
	}{
		{"html login page", "testdata/page.html", http.StatusOK, "HTML page", -1},
		{"not found", "testdata/page.html", http.StatusNotFound, "404", -1},
		{"truncated", "testdata/truncated.ics", http.StatusOK, "truncated calendar", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := serve(t, tt.file, "text/html", tt.status)
			b, err := newSource(srv.URL+"/cal.ics?token=s3cret").Harvest(context.Background(), harvester.SourceState{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Errorf("secret in error: %v", err)
			}
			switch {
			case tt.batch < 0 && b != nil:
				t.Errorf("batch with an error: %+v", b)
			case tt.batch >= 0 && (b == nil || len(b.Observations) != tt.batch || b.ETag != ""):
				t.Errorf("batch = %+v, want %d observations and no validators", b, tt.batch)
			}
		})
	}
	var se *fetch.StatusError
	srv, _ := serve(t, "testdata/page.html", "text/html", http.StatusGone)
	if _, err := newSource(srv.URL).Harvest(context.Background(), harvester.SourceState{}); !errors.As(err, &se) {
		t.Errorf("410: err = %v, want *fetch.StatusError", err)
	}
}

func TestWebcalURL(t *testing.T) {
	srv, _ := serve(t, "testdata/meetup.ics", "text/calendar", http.StatusOK)
	// httptest serves plain http: fetched as https://, the TLS handshake
	// finds no TLS there.
	src := newSource("webcal://" + strings.TrimPrefix(srv.URL, "http://"))
	_, err := src.Harvest(context.Background(), harvester.SourceState{})
	if err == nil || !strings.Contains(err.Error(), "does not speak TLS") {
		t.Errorf("webcal:// not fetched as https://: %v", err)
	}
}

// countsICS has one event of each fate: kept, older than since, not
// matching match, cancelled; and a weekly series of four in the window.
const countsICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" +
	"BEGIN:VEVENT\r\nUID:kept\r\nDTSTART:20260310T180000Z\r\nSUMMARY:Kubernetes night\r\nEND:VEVENT\r\n" +
	"BEGIN:VEVENT\r\nUID:old\r\nDTSTART:20250110T180000Z\r\nSUMMARY:Kubernetes of old\r\nEND:VEVENT\r\n" +
	"BEGIN:VEVENT\r\nUID:other\r\nDTSTART:20260311T180000Z\r\nSUMMARY:Knitting circle\r\nEND:VEVENT\r\n" +
	"BEGIN:VEVENT\r\nUID:off\r\nDTSTART:20260312T180000Z\r\nSUMMARY:Kubernetes, cancelled\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\n" +
	"BEGIN:VEVENT\r\nUID:weekly\r\nDTSTART:20260301T180000Z\r\nRRULE:FREQ=WEEKLY;COUNT=4\r\nSUMMARY:Knitting weekly\r\nEND:VEVENT\r\n" +
	"END:VCALENDAR\r\n"

// TestHarvestCountsDropped: a full read says why it left occurrences out.
func TestHarvestCountsDropped(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/calendar")
		w.Write([]byte(countsICS))
	}))
	defer srv.Close()
	tests := []struct {
		name    string
		match   []string
		kept    int
		dropped map[string]int
	}{
		{"since only", nil, 6, map[string]int{harvester.DroppedSince: 1, harvester.DroppedCancelled: 1}},
		{"match", []string{"kubernetes"}, 1, map[string]int{harvester.DroppedSince: 1, harvester.DroppedMatch: 5, harvester.DroppedCancelled: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := ics.New(ics.Config{Name: "ug", URL: srv.URL, Match: tt.match, Since: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
				Timezone: time.UTC, Client: fetch.New(fetch.Options{Logger: quiet}), Logger: quiet, Now: fixedNow})
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
