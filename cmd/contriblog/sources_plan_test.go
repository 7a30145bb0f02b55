package main

import (
	"testing"
	"time"

	"github.com/contriblog/contriblog/cmd/contriblog/config"
	"github.com/contriblog/contriblog/harvester"
)

// TestNextRunCell: beside a daemon, NEXT RUN is the daemon's plan, and a
// difference from the file asks for a reload.
func TestNextRunCell(t *testing.T) {
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	cfg := &config.Config{Schedule: "0 6 * * *", Timezone: time.UTC}
	next := now.Add(3 * time.Hour) // the daemon's; the file's schedule says the same, with its clock
	tests := []struct {
		name    string
		enabled bool
		plan    *harvester.DaemonPlan
		want    string
	}{
		{"no daemon, enabled: the config's schedule", true, nil, "2026-03-02 06:00"},
		{"no daemon, disabled", false, nil, "disabled"},
		{"daemon schedules it", true, &harvester.DaemonPlan{Scheduled: true, NextRun: next}, "2026-03-02 06:00"},
		{"added to the file since the daemon started", true, &harvester.DaemonPlan{}, "not scheduled by the daemon: reload it (SIGHUP)"},
		{"disabled in the file, still scheduled", false, &harvester.DaemonPlan{Scheduled: true, NextRun: next}, "disabled, but the daemon still schedules it: reload it (SIGHUP)"},
		{"disabled in both", false, &harvester.DaemonPlan{}, "disabled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := config.Source{Name: "blog", Enabled: tt.enabled}
			got := nextRunCell(cfg, sc, harvester.SourceState{Name: "blog", Daemon: tt.plan}, now)
			if got != tt.want {
				t.Errorf("got %q; want %q", got, tt.want)
			}
		})
	}
	if got := notInConfig(harvester.SourceState{Daemon: &harvester.DaemonPlan{Scheduled: true}}); got != "not in config, but the daemon still schedules it: reload it (SIGHUP)" {
		t.Errorf("notInConfig = %q", got)
	}
}
