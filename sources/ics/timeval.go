package ics

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// stamp is one parsed DTSTART, DTEND, RECURRENCE-ID, RDATE or EXDATE value.
type stamp struct {
	t      time.Time // the instant; for all-day values midnight UTC of the day
	allDay bool
	// wall is the local clock reading as written, in UTC fields: what a
	// recurrence rule repeats (RFC 5545 repeats local time across DST).
	wall     time.Time
	loc      *time.Location // the zone wall is read in
	fallback string         // how loc was chosen when the value did not say
}

// parseDate reads a DATE value: YYYYMMDD, tolerating YYYY-MM-DD.
func parseDate(v string) (time.Time, error) {
	v = strings.ReplaceAll(strings.TrimSpace(v), "-", "")
	if len(v) < 8 {
		return time.Time{}, fmt.Errorf("bad date %q", v)
	}
	d, err := time.Parse("20060102", v[:8])
	if err != nil {
		return time.Time{}, fmt.Errorf("bad date %q", v)
	}
	return d, nil
}

// isoSeparators are the characters ISO 8601 adds to RFC 5545's basic format.
var isoSeparators = strings.NewReplacer("-", "", ":", "")

// parseWall reads a DATE-TIME value without its zone: YYYYMMDDTHHMMSS
// (seconds optional), tolerating the dashes and colons of ISO 8601. utc
// says the value ended in Z.
func parseWall(v string) (wall time.Time, utc bool, err error) {
	v = strings.TrimSpace(v)
	if n := len(v); n > 0 && (v[n-1] == 'Z' || v[n-1] == 'z') {
		utc, v = true, v[:n-1]
	}
	v = isoSeparators.Replace(v)
	if i := strings.IndexByte(v, '.'); i > 0 {
		v = v[:i] // fractional seconds: not RFC 5545, but seen
	}
	for _, layout := range []string{"20060102T150405", "20060102T1504"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, utc, nil
		}
	}
	return time.Time{}, false, fmt.Errorf("bad date-time %q", v)
}

// inZone turns a wall-clock reading (in UTC fields) into the instant it
// names in loc. A time that falls in a spring-forward gap is read with the
// offset before the gap and a time that occurs twice at fall-back is the
// first of the two, as RFC 5545 §3.3.5 says. (Go's time.Date agrees on the
// gap but picks the second of two.)
func inZone(wall time.Time, loc *time.Location) time.Time {
	y, mo, d := wall.Date()
	h, mi, s := wall.Clock()
	t := time.Date(y, mo, d, h, mi, s, 0, loc)
	_, after := t.Zone()
	_, before := t.Add(-6 * time.Hour).Zone()
	if before > after {
		// Fall-back: the same reading may exist earlier, under the
		// offset that applied before the change.
		e := t.Add(-time.Duration(before-after) * time.Second)
		if sameClock(e.In(loc), t) {
			return e
		}
	}
	return t
}

func sameClock(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd && a.Hour() == b.Hour() && a.Minute() == b.Minute() && a.Second() == b.Second()
}

// wallOf is the inverse of inZone: the clock reading of instant t in loc,
// in UTC fields.
func wallOf(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
}

// parseDuration reads an RFC 5545 DURATION: [+-]P[nW][nD][T[nH][nM][nS]].
func parseDuration(s string) (time.Duration, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimLeft(s, "+-")
	if !strings.HasPrefix(s, "P") || len(s) < 3 {
		return 0, false
	}
	var d time.Duration
	num, inTime := "", false
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			num += string(c)
		case c == 'T' && num == "":
			inTime = true
		default:
			n, err := strconv.Atoi(num)
			u, ok := durationUnit(c, inTime)
			if err != nil || !ok || n > 100000 {
				return 0, false
			}
			d += time.Duration(n) * u
			num = ""
		}
	}
	if num != "" {
		return 0, false
	}
	if neg {
		d = -d
	}
	return d, true
}

func durationUnit(c byte, inTime bool) (time.Duration, bool) {
	switch {
	case !inTime && c == 'W':
		return 7 * 24 * time.Hour, true
	case !inTime && c == 'D':
		return 24 * time.Hour, true
	case inTime && c == 'H':
		return time.Hour, true
	case inTime && c == 'M':
		return time.Minute, true
	case inTime && c == 'S':
		return time.Second, true
	}
	return 0, false
}
