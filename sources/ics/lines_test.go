package ics_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/contriblog/contriblog/sources/ics"
)

// TestRepairs feeds the damage real calendars carry and checks what
// survives.
func TestRepairs(t *testing.T) {
	ev := func(uid, extra string) string {
		return "BEGIN:VEVENT\r\nUID:" + uid + "\r\nSUMMARY:Talk " + uid + "\r\nDTSTART:20260301T100000Z\r\n" + extra + "END:VEVENT\r\n"
	}
	tests := []struct {
		name  string
		doc   string
		uids  string // the ids kept, comma-separated
		trunc bool
		check func(t *testing.T, desc string)
	}{
		{"lower-case keywords", "begin:vcalendar\nbegin:vevent\nuid:a\nsummary:x\ndtstart:20260301T100000Z\nend:vevent\nend:vcalendar\n", "a", false, nil},
		{"lone CR line ends", strings.ReplaceAll("BEGIN:VCALENDAR\r\n"+ev("a", "")+"END:VCALENDAR\r\n", "\r\n", "\r"), "a", false, nil},
		{"BOM and blank lines", "\ufeffBEGIN:VCALENDAR\r\n\r\n" + ev("a", "") + "\r\n\r\nEND:VCALENDAR\r\n", "a", false, nil},
		{"bare event", ev("a", ""), "a", false, nil},
		{"two calendars", "BEGIN:VCALENDAR\r\n" + ev("a", "") + "END:VCALENDAR\r\nBEGIN:VCALENDAR\r\n" + ev("b", "") + "END:VCALENDAR\r\n", "a,b", false, nil},
		{"trailer after the end", "BEGIN:VCALENDAR\r\n" + ev("a", "") + "END:VCALENDAR\r\n\r\n<!-- served by x -->\r\n", "a", false, nil},
		{"missing END:VCALENDAR", "BEGIN:VCALENDAR\r\n" + ev("a", ""), "a", false, nil},
		{"missing END:VEVENT before END:VCALENDAR", "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:20260301T100000Z\r\nEND:VCALENDAR\r\n", "a", false, nil},
		{"stray END", "BEGIN:VCALENDAR\r\nEND:VTODO\r\n" + ev("a", "") + "END:VCALENDAR\r\n", "a", false, nil},
		{"event cut by the next", "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:cut\r\nDTSTART:20260301T100000Z\r\n" + ev("b", "") + "END:VCALENDAR\r\n", "b", false, nil},
		{"cut inside an event", "BEGIN:VCALENDAR\r\n" + ev("a", "") + "BEGIN:VEVENT\r\nUID:b\r\nSUMMARY:Tal", "a", true, nil},
		{"cut inside an alarm", "BEGIN:VCALENDAR\r\n" + ev("a", "") + "BEGIN:VEVENT\r\nUID:b\r\nBEGIN:VALARM\r\n", "a", true, nil},
		{"unfolded description", "BEGIN:VCALENDAR\r\n" + ev("a", "DESCRIPTION:Dear all,\r\n\r\nJoin Zoom Meeting\r\nhttps://zoom.us/j/1\r\n&nbsp; And a non-breaking space.\r\n") + "END:VCALENDAR\r\n", "a", false,
			func(t *testing.T, desc string) {
				if !strings.HasPrefix(desc, "Dear all, Join Zoom Meeting https://zoom.us/j/1") {
					t.Errorf("description = %q", desc)
				}
			}},
		{"broken parameter dropped", "BEGIN:VCALENDAR\r\n" + ev("a", "X-BAD;FOO\r\nLOCATION;LANGUAGE=en:Hall 1\r\n") + "END:VCALENDAR\r\n", "a", false,
			func(t *testing.T, desc string) {
				if desc != "Hall 1" {
					t.Errorf("description = %q", desc)
				}
			}},
		{"event without start skipped", "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:nostart\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:baddate\r\nDTSTART:2026-13-45\r\nEND:VEVENT\r\n" + ev("a", "") + "END:VCALENDAR\r\n", "a", false, nil},
		{"empty calendar", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "", false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, obs, err := ics.Parse([]byte(tt.doc), ics.Config{Name: "r", Logger: quiet, Now: fixedNow})
			if tt.trunc != errors.Is(err, ics.ErrTruncated) || (!tt.trunc && err != nil) {
				t.Fatalf("err = %v, truncated %v", err, tt.trunc)
			}
			var got []string
			for _, o := range obs {
				got = append(got, o.NativeID)
			}
			if strings.Join(got, ",") != tt.uids {
				t.Errorf("kept %q, want %q", got, tt.uids)
			}
			if tt.check != nil && len(obs) > 0 {
				tt.check(t, obs[0].Description)
			}
		})
	}
}
