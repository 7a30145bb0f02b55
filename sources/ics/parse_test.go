package ics_test

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/sources/ics"
)

var amsterdam = mustZone("Europe/Amsterdam")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err) // tests only: the zone database is part of the toolchain
	}
	return loc
}

// fixedNow is the clock of every test: late November 2026.
func fixedNow() time.Time { return time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC) }

var quiet = slog.New(slog.DiscardHandler)

func parseFile(t *testing.T, name string, cfg ics.Config) (string, []harvester.Observation, error) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Name, cfg.URL, cfg.Person = "cal", "https://example.com/cal.ics", "Priya Raman"
	if cfg.Timezone == nil {
		cfg.Timezone = amsterdam
	}
	if cfg.Now == nil {
		cfg.Now = fixedNow
	}
	cfg.Logger = quiet
	return ics.Parse(b, cfg)
}

// byID indexes observations by native id, failing on duplicates.
func byID(t *testing.T, obs []harvester.Observation) map[string]harvester.Observation {
	t.Helper()
	m := map[string]harvester.Observation{}
	for _, o := range obs {
		if _, dup := m[o.NativeID]; dup {
			t.Errorf("native id %q twice", o.NativeID)
		}
		m[o.NativeID] = o
	}
	return m
}

func ids(obs []harvester.Observation) string {
	var s []string
	for _, o := range obs {
		s = append(s, fmt.Sprintf("%s@%s", o.NativeID, o.Date.UTC().Format(time.RFC3339)))
	}
	return strings.Join(s, ", ")
}

func utc(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, time.UTC)
}

func TestParseFixtures(t *testing.T) {
	tests := []struct {
		name, file string
		cfg        ics.Config
		calName    string
		ids        []string // native ids, in order
	}{
		{"meetup", "meetup.ics", ics.Config{}, "Events - Amsterdam Cloud User Group", []string{"event_301@meetup.com", "event_302@meetup.com"}},
		{"meetup match skips cancelled", "meetup.ics", ics.Config{Match: []string{"priya raman"}}, "Events - Amsterdam Cloud User Group", []string{"event_301@meetup.com"}},
		{"match location", "meetup.ics", ics.Config{Match: []string{"ONLINE EVENT"}}, "Events - Amsterdam Cloud User Group", []string{"event_302@meetup.com"}},
		{"since", "meetup.ics", ics.Config{Since: utc(2026, 3, 20, 0, 0)}, "Events - Amsterdam Cloud User Group", []string{"event_302@meetup.com"}},
		{"match attendee", "outlook.ics", ics.Config{Match: []string{"kowalski"}}, "Priya - Speaking", []string{"040000008200E00074C5B7101A82E00800000000"}},
		{"match organizer", "outlook.ics", ics.Config{Match: []string{"priya"}}, "Priya - Speaking", []string{"040000008200E00074C5B7101A82E00800000000", "040000008200E00074C5B7101A82E00800000001"}},
		{"luma keeps the higher sequence", "luma.ics", ics.Config{}, "Cloud Native Amsterdam", []string{"evt-Q2pL7xWm3@lu.ma", "evt-Rr8sT1uV2@lu.ma"}},
		{"luma match accents and case", "luma.ics", ics.Config{Match: []string{"PRÍYA RAMAN"}}, "Cloud Native Amsterdam", []string{"evt-Q2pL7xWm3@lu.ma"}},
		{"google all day", "google.ics", ics.Config{}, "Talks", []string{"abc123@google.com", "oneday@google.com", "sha256:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name, obs, err := parseFile(t, tt.file, tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if name != tt.calName || len(obs) != len(tt.ids) {
				t.Fatalf("calendar %q with %s; want %q with %d events", name, ids(obs), tt.calName, len(tt.ids))
			}
			for i, id := range tt.ids {
				if !strings.HasPrefix(obs[i].NativeID, id) {
					t.Errorf("event %d id %q, want %q", i, obs[i].NativeID, id)
				}
			}
		})
	}
}

func TestMeetupEvent(t *testing.T) {
	_, obs, err := parseFile(t, "meetup.ics", ics.Config{})
	if err != nil {
		t.Fatal(err)
	}
	o := obs[0]
	checks := []struct {
		what      string
		got, want any
	}{
		{"title (escaped comma and semicolon)", o.Title, "Passkeys, FIDO2 and you; a primer"},
		{"description (folded line)", strings.Contains(o.Description, "pizza included."), true},
		{"location and calendar in description", strings.HasSuffix(o.Description, " — Xebia (Laapersveld 27, Hilversum, NL) — Events - Amsterdam Cloud User Group"), true},
		{"date", o.Date.UTC(), utc(2026, 3, 12, 17, 30)},
		{"end", o.EndDate.UTC(), utc(2026, 3, 12, 20, 0)},
		{"url", o.URL, "https://www.meetup.com/amsterdam-cloud/events/301/"},
		{"url is the event's", o.URLIsListing, false},
		{"activity", o.ActivityType, harvester.TypeThirdParty},
		{"person", o.Person, "Priya Raman"},
		{"source", o.Source, "cal"},
		{"feed title", o.FeedTitle, "Events - Amsterdam Cloud User Group"},
		{"meta location", o.Meta["location"], "Xebia (Laapersveld 27, Hilversum, NL)"},
		{"meta calendar", o.Meta["calendar"], "Events - Amsterdam Cloud User Group"},
		{"no zone fallback", o.Meta["tz_fallback"], ""},
		{"past event", o.Meta["upcoming"], ""},
		{"day in Amsterdam", o.Day(amsterdam), "2026-03-12"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.what, c.got, c.want)
		}
	}
}

func TestAllDayAndFloating(t *testing.T) {
	_, obs, err := parseFile(t, "google.ics", ics.Config{})
	if err != nil {
		t.Fatal(err)
	}
	two, one, floating := obs[0], obs[1], obs[2]
	if !two.AllDay || !two.Date.Equal(utc(2026, 5, 20, 0, 0)) || !two.EndDate.Equal(utc(2026, 5, 21, 0, 0)) {
		t.Errorf("two-day event: all day %v, %v to %v", two.AllDay, two.Date, two.EndDate)
	}
	if two.Description != "Two-day workshop & labs — Talks" || two.URL != "" || two.URLIsListing { // no page of its own: never the calendar's URL
		t.Errorf("two-day event: %q %q listing %v", two.Description, two.URL, two.URLIsListing)
	}
	// An all-day event keeps its calendar day in every zone.
	for _, loc := range []*time.Location{amsterdam, mustZone("Pacific/Auckland"), mustZone("America/Los_Angeles")} {
		if d := one.Day(loc); d != "2026-06-01" || !one.EndDate.IsZero() {
			t.Errorf("one-day event in %s: day %s, end %v", loc, d, one.EndDate)
		}
	}
	// Floating 19:00 in a calendar whose X-WR-TIMEZONE is Amsterdam.
	if !floating.Date.Equal(utc(2026, 7, 2, 17, 0)) || !strings.Contains(floating.Meta["tz_fallback"], "X-WR-TIMEZONE Europe/Amsterdam") {
		t.Errorf("floating: %v %q", floating.Date, floating.Meta["tz_fallback"])
	}
}

func TestLuma(t *testing.T) {
	_, obs, err := parseFile(t, "luma.ics", ics.Config{Match: []string{"Priya Raman"}})
	if err != nil {
		t.Fatal(err)
	}
	o := obs[0]
	if o.Title != "Platform Engineering Night #7" || !o.Date.Equal(utc(2026, 5, 21, 16, 0)) || o.URL != "https://lu.ma/pen-ams-7" {
		t.Errorf("luma event: %q %v %q", o.Title, o.Date, o.URL)
	}
	if !strings.Contains(o.Description, "Priya Raman – Workload identities without secrets") || strings.Contains(o.Description, " — ") {
		t.Errorf("description repeats what it says: %q", o.Description)
	}
	if len(o.Authors) != 1 || o.Authors[0] != "Cloud Native Amsterdam" {
		t.Errorf("authors = %q", o.Authors)
	}
}

func TestUpcoming(t *testing.T) {
	_, obs, err := parseFile(t, "outlook.ics", ics.Config{Now: func() time.Time { return utc(2026, 6, 30, 0, 0) }})
	if err != nil {
		t.Fatal(err)
	}
	m := byID(t, obs)
	if m["040000008200E00074C5B7101A82E00800000000"].Meta["upcoming"] != "" || m["040000008200E00074C5B7101A82E00800000001"].Meta["upcoming"] != "true" {
		t.Errorf("upcoming marks wrong: %s", ids(obs))
	}
}

func TestTruncated(t *testing.T) {
	name, obs, err := parseFile(t, "truncated.ics", ics.Config{})
	if !errors.Is(err, ics.ErrTruncated) || !strings.Contains(err.Error(), "kept the 1 events") {
		t.Fatalf("err = %v, want ErrTruncated", err)
	}
	if name != "Events - Amsterdam Cloud User Group" || len(obs) != 1 || obs[0].NativeID != "event_301@meetup.com" {
		t.Errorf("kept %q %s", name, ids(obs))
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ name, body, want string }{
		{"empty", "", "empty body"},
		{"blank", " \r\n\t", "empty body"},
		{"html", "<!DOCTYPE html><html><body>hi</body></html>", "HTML page"},
		{"html fragment", "<html><head><title>Log in</title>", "HTML page"},
		{"xml", `<?xml version="1.0"?><rss/>`, "XML document"},
		{"json", `{"sessions": []}`, "JSON document"},
		{"text", "hello\nworld", `starts with "hello"`},
		{"vcard", "BEGIN:VCARD\r\nEND:VCARD\r\n", `starts with "BEGIN:VCARD"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, obs, err := ics.Parse([]byte(tt.body), ics.Config{Name: "x", Logger: quiet})
			if err == nil || !strings.Contains(err.Error(), tt.want) || obs != nil {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
	_, _, err := parseFile(t, "page.html", ics.Config{})
	if err == nil || !strings.Contains(err.Error(), "HTML page") {
		t.Errorf("page.html: err = %v", err)
	}
}
