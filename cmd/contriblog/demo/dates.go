package demo

import (
	"regexp"
	"strconv"
	"time"
)

// dateToken is a date written relative to today in a sample file:
// {{FORMAT:DAYS}}, e.g. {{DAY:-45}} for the date 45 days ago.
var dateToken = regexp.MustCompile(`\{\{([A-Z0-9]+):([+-]?\d+)\}\}`)

// dateFormats are the layouts the tokens name. Times are at 18:30 UTC on
// the day, so a date is the same calendar day in every European zone.
var dateFormats = map[string]string{
	"DAY":     "2006-01-02",          // YAML, JSON
	"RFC1123": time.RFC1123Z,         // RSS
	"RFC3339": time.RFC3339,          // Atom, JSON Feed, GitHub
	"ICSDAY":  "20060102",            // ICS all-day
	"ICSTIME": "20060102T150405",     // ICS local time (with TZID)
	"ICSUTC":  "20060102T150405Z",    // ICS UTC
	"LOCAL":   "2006-01-02T15:04:05", // Sessionize local time
}

// expandDates replaces every date token in s with a date relative to now.
// Unknown formats are left as they are.
func expandDates(s string, now time.Time) string {
	base := time.Date(now.Year(), now.Month(), now.Day(), 18, 30, 0, 0, time.UTC)
	return dateToken.ReplaceAllStringFunc(s, func(tok string) string {
		m := dateToken.FindStringSubmatch(tok)
		layout, ok := dateFormats[m[1]]
		days, err := strconv.Atoi(m[2])
		if !ok || err != nil {
			return tok
		}
		return base.AddDate(0, 0, days).Format(layout)
	})
}
