package ics_test

import (
	"strings"
	"testing"
	"time"

	"github.com/contriblog/contriblog/sources/ics"
)

// An event without a URL of its own falls back to the calendar's URL,
// which is stored and exported: never with the URL's credentials.
func TestListingURLCarriesNoCredentials(t *testing.T) {
	doc := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:1@t\r\nDTSTART:20260310T180000Z\r\nSUMMARY:Talk\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	_, obs, err := ics.Parse([]byte(doc), ics.Config{Name: "cal", URL: "https://me:hunter2@cal.example/private.ics?token=s3cret&tz=UTC",
		Now: func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }})
	if err != nil || len(obs) != 1 {
		t.Fatalf("Parse = %d, %v", len(obs), err)
	}
	if obs[0].URL != "https://cal.example/private.ics?tz=UTC" || strings.Contains(obs[0].URL, "hunter2") {
		t.Errorf("URL = %q", obs[0].URL)
	}
}
