package daemon

import (
	"context"
	"net"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/memstore"
)

func TestScheduledPassesRunEachSourceOnItsSchedule(t *testing.T) {
	h := &countingHarvester{}
	d := &Daemon{
		Config: Config{Schedule: "@every 1h", Sources: []SourceSchedule{
			{Name: "fast", Schedule: "@every 1s", Enabled: true},
			{Name: "slow", Enabled: true},
			{Name: "off", Schedule: "@every 1s", Enabled: false},
		}},
		Harvester: h, Store: memstore.New(), Logger: testLogger(&logBuffer{}),
	}
	start(t, d)
	eventually(t, "three scheduled passes of fast", func() bool { return h.callsFor("fast") >= 3 })

	calls := h.calls()
	if calls[0] != nil {
		t.Errorf("first pass named %v; want the start-up pass over every source", calls[0])
	}
	for _, names := range calls[1:] {
		if !reflect.DeepEqual(names, []string{"fast"}) {
			t.Errorf("scheduled pass named %v; want only [fast] (slow runs hourly, off is disabled)", names)
		}
	}
	if p := h.peak.Load(); p != 1 {
		t.Errorf("%d passes ran at once; want 1", p)
	}
}

func TestPassesNeverOverlapAndRequestsCoalesce(t *testing.T) {
	release := make(chan struct{})
	h := &countingHarvester{fn: func(ctx context.Context, n int) (*harvester.Pass, error) {
		if n == 1 {
			<-release
		}
		return &harvester.Pass{Rows: n}, nil
	}}
	d := &Daemon{Config: Config{Schedule: "@every 1h"}, Harvester: h, Store: memstore.New(), Logger: testLogger(&logBuffer{})}
	start(t, d)
	eventually(t, "the start-up pass", func() bool { return h.inFlight.Load() == 1 })

	waits := []<-chan outcome{d.q.add([]string{"b"}), d.q.add([]string{"a"}), d.q.add([]string{"b"})}
	close(release)
	for i, w := range waits {
		out := <-w
		if out.Err != nil || out.Pass == nil || out.Pass.Rows != 2 {
			t.Errorf("request %d: outcome %+v; want the second pass's", i, out)
		}
	}
	calls := h.calls()
	if len(calls) != 2 || !reflect.DeepEqual(calls[1], []string{"a", "b"}) {
		t.Errorf("passes %v; want the start-up pass and one pass over [a b]", calls)
	}
	if p := h.peak.Load(); p != 1 {
		t.Errorf("%d passes ran at once; want 1", p)
	}
}

func TestScheduledRunIsSkippedWhileThePreviousStillRuns(t *testing.T) {
	release := make(chan struct{})
	h := &countingHarvester{fn: func(ctx context.Context, n int) (*harvester.Pass, error) {
		if n == 2 { // the first scheduled run of busy
			select {
			case <-release:
			case <-ctx.Done():
			}
		}
		return &harvester.Pass{}, nil
	}}
	logs := &logBuffer{}
	d := &Daemon{
		Config:    Config{Sources: []SourceSchedule{{Name: "busy", Schedule: "@every 1s", Enabled: true}}},
		Harvester: h, Store: memstore.New(), Logger: testLogger(logs),
	}
	start(t, d)
	eventually(t, "a skipped run", func() bool {
		return strings.Contains(logs.String(), "scheduled run skipped") && strings.Contains(logs.String(), "source=busy")
	})
	if n := h.callsFor("busy"); n != 1 {
		t.Errorf("busy harvested %d times while its first run was blocked; want 1", n)
	}
	close(release)
	eventually(t, "runs to resume after the blocked one", func() bool { return h.callsFor("busy") >= 3 })
	if p := h.peak.Load(); p != 1 {
		t.Errorf("%d passes ran at once; want 1", p)
	}
}

// TestGuardJobSurvivesAPanic pins the chain order: with Recover inside
// SkipIfStillRunning, a job that panicked once still runs the next time.
func TestGuardJobSurvivesAPanic(t *testing.T) {
	var runs atomic.Int32
	job := guardJob(cronLogger{testLogger(&logBuffer{})}, cron.FuncJob(func() {
		if runs.Add(1) == 1 {
			panic("boom")
		}
	}))
	job.Run()
	job.Run()
	if n := runs.Load(); n != 2 {
		t.Errorf("job ran %d times; want 2 (a panic must not make it skipped for ever)", n)
	}
}

func TestJitterStaysWithinItsBounds(t *testing.T) {
	tests := []struct {
		spec   string
		jitter time.Duration
		max    time.Duration
	}{
		{"@every 6h", 30 * time.Second, 30 * time.Second},
		{"@every 1m", 30 * time.Second, 6 * time.Second}, // a tenth of the interval
		{"0 6 * * *", 30 * time.Second, 30 * time.Second},
		{"@every 1s", 30 * time.Second, 100 * time.Millisecond},
		{"@every 6h", -1, 0},            // none
		{"@every 1h", 0, DefaultJitter}, // the default
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			d := &Daemon{Config: Config{Jitter: tt.jitter}}
			d.init()
			sched, err := parseSpec(tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			for range 200 {
				if j := d.jitter(sched); j < 0 || j > tt.max || (tt.max > 0 && j == tt.max) {
					t.Fatalf("jitter %s; want in [0, %s)", j, tt.max)
				}
			}
		})
	}
}

func TestRunRefusesToStart(t *testing.T) {
	held, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"bad schedule", Config{Schedule: "every day", Sources: []SourceSchedule{{Name: "a", Enabled: true}}}, `source a: schedule "every day"`},
		{"malformed CRON_TZ", Config{Sources: []SourceSchedule{{Name: "a", Schedule: "CRON_TZ=Europe/Amsterdam", Enabled: true}}}, "CRON_TZ"},
		{"no schedule", Config{Sources: []SourceSchedule{{Name: "a", Enabled: true}}}, "source a: no schedule"},
		{"open listen without token", Config{Listen: "0.0.0.0:8787"}, "set listen_token"},
		{"empty host without token", Config{Listen: ":8787"}, "set listen_token"},
		{"listen without port", Config{Listen: "localhost"}, "expected host:port"},
		{"port in use", Config{Listen: held.Addr().String()}, "listen on"},
		{"unknown export format", Config{ExportFormat: "xlsx"}, "xlsx"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &Daemon{Config: tt.cfg, Harvester: &countingHarvester{}, Store: memstore.New(), Logger: testLogger(&logBuffer{})}
			err := d.Run(context.Background())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Run: %v; want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestRunReturnsAfterCancelWhileAPassWaitsOnItsContext(t *testing.T) {
	h := &countingHarvester{fn: func(ctx context.Context, n int) (*harvester.Pass, error) {
		<-ctx.Done()
		return &harvester.Pass{Results: []harvester.Result{{Source: "a", Err: ctx.Err()}}}, ctx.Err()
	}}
	d := &Daemon{Config: Config{Listen: "127.0.0.1:0"}, Harvester: h, Store: memstore.New(), Logger: testLogger(&logBuffer{})}
	stop := start(t, d)
	eventually(t, "the pass to start", func() bool { return h.inFlight.Load() == 1 })
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if h.inFlight.Load() != 0 {
		t.Error("Run returned while the pass was still running")
	}
	if d.scheduling.Load() {
		t.Error("the scheduler still reports running")
	}
}

func TestRunGivesUpOnAPassThatIgnoresCancellation(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	h := &countingHarvester{fn: func(ctx context.Context, n int) (*harvester.Pass, error) {
		<-release
		return &harvester.Pass{}, nil
	}}
	logs := &logBuffer{}
	d := &Daemon{Harvester: h, Store: memstore.New(), Logger: testLogger(logs), ShutdownTimeout: 50 * time.Millisecond}
	stop := start(t, d)
	eventually(t, "the pass to start", func() bool { return h.inFlight.Load() == 1 })
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "did not stop in time") {
		t.Errorf("logs do not say what did not stop:\n%s", logs)
	}
}

func TestSchedulesHonourTheConfigZoneAndCRON_TZ(t *testing.T) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Skip("no zone database:", err)
	}
	d := &Daemon{Config: Config{Schedule: "0 6 * * *", Location: ams, Sources: []SourceSchedule{
		{Name: "local", Enabled: true},
		{Name: "utc", Schedule: "CRON_TZ=UTC 0 6 * * *", Enabled: true},
	}}}
	d.init()
	plans, err := makePlans(d.live().Config)
	if err != nil {
		t.Fatal(err)
	}
	d.plans = plans
	now := time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC) // summer: Amsterdam is UTC+2
	for name, want := range map[string]time.Time{
		"local": time.Date(2026, 7, 2, 4, 0, 0, 0, time.UTC),
		"utc":   time.Date(2026, 7, 2, 6, 0, 0, 0, time.UTC),
	} {
		if got := d.nextScheduled(name, now); !got.Equal(want) {
			t.Errorf("%s: next run %s; want %s", name, got.UTC(), want)
		}
	}
}

func TestAPanickingPassDoesNotEndTheDaemon(t *testing.T) {
	h := &countingHarvester{fn: func(_ context.Context, n int) (*harvester.Pass, error) {
		if n == 1 {
			panic("rebuild exploded")
		}
		return &harvester.Pass{Rows: n}, nil
	}}
	logs := &logBuffer{}
	d := &Daemon{Config: Config{Schedule: "@every 1h"}, Harvester: h, Store: memstore.New(), Logger: testLogger(logs)}
	start(t, d)
	eventually(t, "the start-up pass", func() bool { return len(h.calls()) == 1 })
	if out := <-d.q.add(nil); out.Err != nil || out.Pass == nil || out.Pass.Rows != 2 {
		t.Errorf("the pass after a panic: %+v", out)
	}
	if !strings.Contains(logs.String(), "pass panicked") {
		t.Errorf("the panic was not logged:\n%s", logs)
	}
}
