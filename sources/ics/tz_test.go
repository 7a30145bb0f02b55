package ics_test

import (
	"strings"
	"testing"
	"time"

	"github.com/contriblog/contriblog/sources/ics"
)

func TestDSTEdges(t *testing.T) {
	_, obs, err := parseFile(t, "dst.ics", ics.Config{})
	if err != nil {
		t.Fatal(err)
	}
	m := byID(t, obs)
	tests := []struct {
		id        string
		start     time.Time
		end       time.Time
		amsterdam string // the day in Europe/Amsterdam
	}{
		// 02:30 does not exist on 2026-03-29: read with the offset before
		// the gap (+01:00), so 01:30Z, which the clock shows as 03:30 CEST.
		{"spring-forward@example.com", utc(2026, 3, 29, 1, 30), utc(2026, 3, 29, 2, 0), "2026-03-29"},
		// 02:30 happens twice on 2026-10-25: the first (CEST, +02:00).
		{"fall-back@example.com", utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 2, 30), "2026-10-25"},
		// 22:30Z on the 24th is already the 25th in Amsterdam.
		{"near-midnight@example.com", utc(2026, 10, 24, 22, 30), utc(2026, 10, 24, 23, 30), "2026-10-25"},
		// A weekly 18:30 stays at 18:30 local across the change.
		{"weekly-across-dst@example.com#20260319T173000Z", utc(2026, 3, 19, 17, 30), utc(2026, 3, 19, 19, 0), "2026-03-19"},
		{"weekly-across-dst@example.com#20260326T173000Z", utc(2026, 3, 26, 17, 30), utc(2026, 3, 26, 19, 0), "2026-03-26"},
		{"weekly-across-dst@example.com#20260402T163000Z", utc(2026, 4, 2, 16, 30), utc(2026, 4, 2, 18, 0), "2026-04-02"},
	}
	for _, tt := range tests {
		o, ok := m[tt.id]
		if !ok {
			t.Errorf("%s missing from %s", tt.id, ids(obs))
			continue
		}
		if !o.Date.Equal(tt.start) || !o.EndDate.Equal(tt.end) || o.Day(amsterdam) != tt.amsterdam {
			t.Errorf("%s: %v to %v (day %s); want %v to %v (day %s)", tt.id, o.Date.UTC(), o.EndDate.UTC(), o.Day(amsterdam), tt.start, tt.end, tt.amsterdam)
		}
		if o.Meta["tz_fallback"] != "" {
			t.Errorf("%s: fallback noted for a known zone: %q", tt.id, o.Meta["tz_fallback"])
		}
	}
	if len(obs) != 7 {
		t.Errorf("%d events, want 7: %s", len(obs), ids(obs))
	}
}

func TestOutlookZones(t *testing.T) {
	_, obs, err := parseFile(t, "outlook.ics", ics.Config{Timezone: mustZone("Asia/Tokyo")})
	if err != nil {
		t.Fatal(err)
	}
	m := byID(t, obs)
	tests := []struct {
		id       string
		start    time.Time
		end      time.Time
		fallback string // substring of Meta["tz_fallback"]; "" means none
	}{
		{"040000008200E00074C5B7101A82E00800000000", utc(2026, 6, 12, 8, 0), utc(2026, 6, 12, 8, 50), ""},
		// "Customized Time Zone": US Eastern rules from its VTIMEZONE.
		{"040000008200E00074C5B7101A82E00800000001", utc(2026, 7, 1, 14, 0), utc(2026, 7, 1, 15, 0), "VTIMEZONE definition"},
		{"040000008200E00074C5B7101A82E00800000002", utc(2026, 12, 1, 15, 0), utc(2026, 12, 1, 15, 45), "VTIMEZONE definition"},
		// An Outlook display name: its first city is an IANA zone.
		{"040000008200E00074C5B7101A82E00800000003", utc(2026, 11, 5, 17, 30), utc(2026, 11, 5, 19, 0), "read as Europe/Amsterdam"},
		// No definition at all: the configured zone, noted.
		{"custom-zone-no-definition", utc(2026, 1, 5, 8, 0), utc(2026, 1, 5, 9, 0), `unknown TZID "Some Custom Zone"; used the configured time zone Asia/Tokyo`},
	}
	for _, tt := range tests {
		o, ok := m[tt.id]
		if !ok {
			t.Errorf("%s missing from %s", tt.id, ids(obs))
			continue
		}
		if !o.Date.Equal(tt.start) || !o.EndDate.Equal(tt.end) {
			t.Errorf("%s: %v to %v; want %v to %v", tt.id, o.Date.UTC(), o.EndDate.UTC(), tt.start, tt.end)
		}
		if got := o.Meta["tz_fallback"]; (tt.fallback == "") != (got == "") || !strings.Contains(got, tt.fallback) {
			t.Errorf("%s: tz_fallback %q, want %q", tt.id, got, tt.fallback)
		}
	}
	o := m["040000008200E00074C5B7101A82E00800000000"]
	if len(o.Authors) != 1 || o.Authors[0] != "Priya Raman" || o.URL != "" || o.URLIsListing || o.Description != "Talk at Cloud Summit 2026 — Room 1 — Priya - Speaking" {
		t.Errorf("outlook event: authors %q, listing %v, description %q", o.Authors, o.URLIsListing, o.Description)
	}
}

// TestZoneFallbackOrder: a TZID nothing knows falls back to X-WR-TIMEZONE
// before the configured zone, and Windows names resolve without a note.
func TestZoneFallbackOrder(t *testing.T) {
	tests := []struct {
		name, header, tzid string
		want               time.Time
		fallback           string
	}{
		{"iana", "", "America/New_York", utc(2026, 7, 1, 14, 0), ""},
		{"mozilla path", "", "/mozilla.org/20070129_1/America/New_York", utc(2026, 7, 1, 14, 0), ""},
		{"windows", "", "Eastern Standard Time", utc(2026, 7, 1, 14, 0), ""},
		{"windows lower case", "", "eastern standard time", utc(2026, 7, 1, 14, 0), ""},
		{"x-wr-timezone", "X-WR-TIMEZONE:America/Chicago\r\n", "Nowhere/Special", utc(2026, 7, 1, 15, 0), "used X-WR-TIMEZONE America/Chicago"},
		{"configured", "", "Nowhere/Special", utc(2026, 7, 1, 8, 0), "used the configured time zone Europe/Amsterdam"},
		{"windows x-wr-timezone", "X-WR-TIMEZONE:Pacific Standard Time\r\n", "Nowhere/Special", utc(2026, 7, 1, 17, 0), "used X-WR-TIMEZONE Pacific Standard Time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := "BEGIN:VCALENDAR\r\n" + tt.header + "BEGIN:VEVENT\r\nUID:1\r\nSUMMARY:x\r\nDTSTART;TZID=" + tt.tzid + ":20260701T100000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
			_, obs, err := ics.Parse([]byte(doc), ics.Config{Name: "z", Timezone: amsterdam, Logger: quiet, Now: fixedNow})
			if err != nil || len(obs) != 1 {
				t.Fatalf("%v, %d events", err, len(obs))
			}
			if !obs[0].Date.Equal(tt.want) || !strings.Contains(obs[0].Meta["tz_fallback"], tt.fallback) || (tt.fallback == "") != (obs[0].Meta["tz_fallback"] == "") {
				t.Errorf("%v, note %q; want %v, %q", obs[0].Date.UTC(), obs[0].Meta["tz_fallback"], tt.want, tt.fallback)
			}
		})
	}
}
