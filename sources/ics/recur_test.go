package ics_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/contriblog/contriblog/sources/ics"
)

func TestRecurrence(t *testing.T) {
	_, obs, err := parseFile(t, "recurring.ics", ics.Config{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		id    string
		title string
		start time.Time
	}{
		{"identity-hour@google.com#20260305T160000Z", "Identity Hour livestream", utc(2026, 3, 5, 16, 0)},
		{"identity-hour@google.com#20260312T160000Z", "Identity Hour livestream", utc(2026, 3, 12, 16, 0)},
		// 19 March is an EXDATE; 26 March is moved to the 27th at noon.
		{"identity-hour@google.com#20260326T160000Z", "Identity Hour livestream: passkeys special", utc(2026, 3, 27, 11, 0)},
		// 2 April is cancelled; 9 April is the last before UNTIL.
		{"identity-hour@google.com#20260409T150000Z", "Identity Hour livestream", utc(2026, 4, 9, 15, 0)},
		{"monthly-panel@google.com#20260115", "Monthly community panel", utc(2026, 1, 15, 0, 0)},
		{"monthly-panel@google.com#20260219", "Monthly community panel", utc(2026, 2, 19, 0, 0)},
		{"monthly-panel@google.com#20260319", "Monthly community panel", utc(2026, 3, 19, 0, 0)},
		{"monthly-panel@google.com#20260501", "Monthly community panel", utc(2026, 5, 1, 0, 0)}, // RDATE
		{"hourly-standup@google.com", "Office hours slots", utc(2026, 1, 10, 9, 0)},
		{"orphan-override@google.com#20260210T180000Z", "Guest slot on the Azure Friday series", utc(2026, 2, 10, 18, 0)},
	}
	if len(obs) != len(tests) {
		t.Fatalf("%d occurrences, want %d: %s", len(obs), len(tests), ids(obs))
	}
	for i, tt := range tests {
		o := obs[i]
		if o.NativeID != tt.id || o.Title != tt.title || !o.Date.Equal(tt.start) {
			t.Errorf("occurrence %d: %s %q %v; want %s %q %v", i, o.NativeID, o.Title, o.Date.UTC(), tt.id, tt.title, tt.start)
		}
	}
	if o := obs[0]; o.Meta["series"] != "identity-hour@google.com" || !strings.HasPrefix(o.Meta["recurrence"], "occurrence of FREQ=WEEKLY") || !o.EndDate.Equal(o.Date.Add(time.Hour)) {
		t.Errorf("series meta %v, end %v", o.Meta, o.EndDate)
	}
	if o := obs[4]; !o.AllDay || !o.EndDate.IsZero() || o.URL != "" {
		t.Errorf("all-day occurrence: %+v", o)
	}
	if m := obs[8].Meta["recurrence"]; !strings.Contains(m, "FREQ=HOURLY") || !strings.Contains(m, "first occurrence only") {
		t.Errorf("unexpanded rule meta = %q", m)
	}
}

// TestRecurrenceWindow: Since and Until bound the expansion; an endless
// rule stops at Until (default a year after Now).
func TestRecurrenceWindow(t *testing.T) {
	doc := "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:w\r\nSUMMARY:Weekly stream\r\n" +
		"DTSTART;TZID=Europe/Amsterdam:20250106T200000\r\nRRULE:FREQ=WEEKLY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	tests := []struct {
		name         string
		since, until time.Time
		n            int
		first, last  string
	}{
		{"since and until", utc(2026, 1, 1, 0, 0), utc(2026, 2, 1, 0, 0), 4, "w#20260105T190000Z", "w#20260126T190000Z"},
		{"default until", utc(2026, 11, 1, 0, 0), time.Time{}, 55, "w#20261102T190000Z", "w#20271115T190000Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, obs, err := ics.Parse([]byte(doc), ics.Config{Name: "w", Since: tt.since, Until: tt.until, Logger: quiet, Now: fixedNow})
			if err != nil {
				t.Fatal(err)
			}
			if len(obs) != tt.n || obs[0].NativeID != tt.first || obs[len(obs)-1].NativeID != tt.last {
				t.Errorf("%d occurrences %s .. %s; want %d %s .. %s", len(obs), obs[0].NativeID, obs[len(obs)-1].NativeID, tt.n, tt.first, tt.last)
			}
		})
	}
}

// TestRecurrenceRefused: rules that could make the expansion search for
// years keep the first occurrence and say why.
func TestRecurrenceRefused(t *testing.T) {
	tests := []struct{ rule, why string }{
		{"FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "never meet"},
		{"FREQ=SECONDLY", "FREQ=SECONDLY not supported"},
		{"FREQ=YEARLY;BYWEEKNO=60", "BYWEEKNO not supported"},
		{"FREQ=WEEKLY;BYDAY=XX", "bad RRULE"},
		{"INTERVAL=2", "bad RRULE"},
		{"FREQ=DAILY;BYSETPOS=2", "never occurs"},
		{"FREQ=YEARLY;BYSETPOS=-366;BYDAY=MO", "never occurs"},
	}
	for _, tt := range tests {
		doc := "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:r\r\nSUMMARY:x\r\nDTSTART:20260106T200000Z\r\nRRULE:" + tt.rule + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
		_, obs, err := ics.Parse([]byte(doc), ics.Config{Name: "r", Logger: quiet, Now: fixedNow})
		if err != nil || len(obs) != 1 || obs[0].NativeID != "r" || !strings.Contains(obs[0].Meta["recurrence"], tt.why) {
			t.Errorf("%s: %v %s %v", tt.rule, err, ids(obs), obs)
		}
	}
}

// TestRecurrenceBudget: a calendar of hundreds of series expands the first
// maxSeries (200) and keeps the first occurrence of the rest.
func TestRecurrenceBudget(t *testing.T) {
	var doc strings.Builder
	doc.WriteString("BEGIN:VCALENDAR\r\n")
	for i := 0; i < 250; i++ {
		fmt.Fprintf(&doc, "BEGIN:VEVENT\r\nUID:s%d\r\nSUMMARY:x\r\nDTSTART:20260106T200000Z\r\nRRULE:FREQ=WEEKLY;COUNT=2\r\nEND:VEVENT\r\n", i)
	}
	doc.WriteString("END:VCALENDAR\r\n")
	_, obs, err := ics.Parse([]byte(doc.String()), ics.Config{Name: "b", Logger: quiet, Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	if len(obs) != 200*2+50 || obs[len(obs)-1].NativeID != "s249" || !strings.Contains(obs[len(obs)-1].Meta["recurrence"], "more than 200 recurring events") {
		t.Errorf("%d occurrences, last %+v", len(obs), obs[len(obs)-1])
	}
}
