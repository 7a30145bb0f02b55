package main

import (
	"testing"
	"time"

	"github.com/contriblog/contriblog/harvester"
)

// TestNextRunConfigTimezone: a spec without CRON_TZ= is evaluated in the
// config's timezone, as the daemon's scheduler does.
func TestNextRunConfigTimezone(t *testing.T) {
	loc, err := time.LoadLocation("Pacific/Kiritimati") // UTC+14
	if err != nil {
		t.Skip(err)
	}
	now := time.Date(2026, 12, 3, 11, 0, 0, 0, time.UTC) // 01:00 on 4 Dec there
	want := fmtTime(time.Date(2026, 12, 4, 9, 0, 0, 0, loc), loc)
	if got := nextRun("0 9 * * *", "", harvester.SourceState{}, now, loc); got != want {
		t.Errorf("nextRun = %q, want %q", got, want)
	}
}
