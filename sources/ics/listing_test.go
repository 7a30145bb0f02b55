package ics_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/sources/ics"
)

// secretCal is a Google-style secret address: the address is the
// password. secretToken is the part that is the secret.
const (
	secretToken = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
	secretCal   = "https://calendar.google.com/calendar/ical/priya%40example.com/private-" + secretToken + "/basic.ics"
)

// TestListingURLNeverAnEventsLink: the calendar's URL (configured, or its
// own URL property) is a listing, and maybe a secret address: an event
// without a link of its own has no URL, and an event that names the
// calendar as its link has none either (docs/sources.md#calendars-ics).
func TestListingURLNeverAnEventsLink(t *testing.T) {
	const head = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n"
	event := func(url string) string {
		s := "BEGIN:VEVENT\r\nUID:1@t\r\nDTSTART:20260310T180000Z\r\nSUMMARY:Talk\r\n"
		if url != "" {
			s += "URL:" + url + "\r\n"
		}
		return s + "END:VEVENT\r\n"
	}
	tests := []struct {
		name, calURL, calProps, eventURL, want string
	}{
		{"own link kept", "https://cal.example/talks.ics", "", "https://meetup.example/e/42", "https://meetup.example/e/42"},
		{"no link: empty", "https://cal.example/talks.ics", "", "", ""},
		{"no link, secret calendar: empty", secretCal, "", "", ""},
		{"the calendar itself: empty", "https://cal.example/talks.ics", "", "https://cal.example/talks.ics", ""},
		{"the calendar respelled: empty", "webcal://Cal.Example/talks.ics?utm_source=x", "", "https://cal.example/talks.ics", ""},
		{"the secret calendar itself: empty", secretCal, "", secretCal, ""},
		{"the calendar without its credentials: empty", "https://me:pw@cal.example/talks.ics?token=abc", "", "https://cal.example/talks.ics", ""},
		{"the calendar's URL property: empty", "https://cal.example/talks.ics", "URL:https://group.example/events/ical\r\n", "https://group.example/events/ical", ""},
		{"the calendar's URL property is no fallback", "", "URL:https://group.example/events/ical\r\n", "", ""},
		{"credentials dropped from the own link", "https://cal.example/talks.ics", "", "https://u:p@meetup.example/e/42?token=abc&x=1", "https://meetup.example/e/42?x=1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := head + tt.calProps + event(tt.eventURL) + "END:VCALENDAR\r\n"
			_, obs, err := ics.Parse([]byte(doc), ics.Config{Name: "cal", URL: tt.calURL, Logger: quiet, Now: fixedNow})
			if err != nil || len(obs) != 1 {
				t.Fatalf("Parse = %d, %v", len(obs), err)
			}
			o := obs[0]
			if o.URL != tt.want || o.URLIsListing || len(o.OtherURLs) != 0 {
				t.Errorf("URL %q (listing %v), other %q; want %q", o.URL, o.URLIsListing, o.OtherURLs, tt.want)
			}
			noSecretIn(t, o)
		})
	}
}

// TestCorpusNeverListsTheCalendar parses every calendar of the shared
// corpus as if it were read from a secret address: no event is linked to
// the calendar, and nothing stored holds the address or its token.
func TestCorpusNeverListsTheCalendar(t *testing.T) {
	files := corpusFiles(t)
	events := 0
	for _, path := range files {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		_, obs, _ := ics.Parse(b, ics.Config{Name: "corpus", URL: secretCal, Timezone: time.UTC,
			Since: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), Logger: quiet, Now: fixedNow})
		rel, _ := filepath.Rel(corpusRoot, path)
		for _, o := range obs {
			events++
			if o.URLIsListing || harvester.CanonicalURL(o.URL) == harvester.CanonicalURL(secretCal) {
				t.Errorf("%s: %s is linked to the calendar: %q", rel, o.NativeID, o.URL)
			}
			noSecretIn(t, o)
		}
	}
	if events == 0 {
		t.Error("no event in the corpus")
	}
}

// noSecretIn fails when any field of o holds the secret calendar address
// or its token.
func noSecretIn(t *testing.T, o harvester.Observation) {
	t.Helper()
	b, _ := json.Marshal(o)
	for _, s := range []string{secretToken, "private-", "calendar.google.com/calendar/ical"} {
		if strings.Contains(string(b), s) || strings.Contains(strings.ReplaceAll(string(b), `\u0026`, "&"), s) {
			t.Errorf("observation %s holds %q: %s", o.NativeID, s, b)
		}
	}
}
