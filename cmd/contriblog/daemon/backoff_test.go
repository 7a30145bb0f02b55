package daemon

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/memstore"
)

func TestNextTry(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	hour := now.Add(time.Hour)
	tests := []struct {
		name      string
		failures  int
		scheduled time.Time
		want      time.Time
		retry     bool
	}{
		{"first failure waits the base", 1, hour, now.Add(time.Minute), true},
		{"zero failures counts as one", 0, hour, now.Add(time.Minute), true},
		{"second doubles", 2, hour, now.Add(2 * time.Minute), true},
		{"fifth", 5, hour, now.Add(16 * time.Minute), true},
		{"capped at the next scheduled run", 7, hour, hour, false},
		{"many failures do not overflow", 500, hour, hour, false},
		{"schedule sooner than the base", 1, now.Add(30 * time.Second), now.Add(30 * time.Second), false},
		{"no schedule caps at a day", 100, time.Time{}, now.Add(maxBackoff), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, retry := nextTry(now, tt.failures, time.Minute, tt.scheduled)
			if !got.Equal(tt.want) || retry != tt.retry {
				t.Errorf("nextTry = %s, %v; want %s, %v", got.Sub(now), retry, tt.want.Sub(now), tt.retry)
			}
		})
	}
}

// TestBackoffProgressesAndResets runs the real pipeline with a source that
// fails three times: each failure is retried after twice the delay of the
// one before, recorded in the source's state, and the success clears it.
func TestBackoffProgressesAndResets(t *testing.T) {
	st := memstore.New()
	flaky := &fakeSource{name: "flaky", fn: func(_ context.Context, n int) ([]harvester.Observation, error) {
		if n <= 3 {
			return nil, errors.New("503 Service Unavailable")
		}
		return posts("flaky", 1), nil
	}}
	steady := &fakeSource{name: "steady", fn: func(context.Context, int) ([]harvester.Observation, error) {
		return posts("steady", 1), nil
	}}
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	base := 20 * time.Millisecond
	d := &Daemon{
		Config: Config{Schedule: "@every 1h", BackoffBase: base, Sources: []SourceSchedule{
			{Name: "flaky", Enabled: true}, {Name: "steady", Enabled: true}}},
		Harvester: &harvester.Harvester{Store: st, Sources: []harvester.Source{flaky, steady}, Logger: testLogger(&logBuffer{})},
		Store:     st, Logger: testLogger(&logBuffer{}),
		Now: func() time.Time { return t0 }, // NextTry = t0 + delay exactly
	}
	start(t, d)
	eventually(t, "flaky to recover", func() bool {
		s, _ := st.SourceState(context.Background(), "flaky")
		return flaky.calls.Load() == 4 && s.Failures == 0 && s.NextTry.IsZero()
	})

	saved := st.SavedStates()
	want := []time.Duration{base, 2 * base, 4 * base, 0}
	if len(saved) != len(want) {
		t.Fatalf("%d SaveState calls %+v; want %d (three backoffs, one reset; none for steady)", len(saved), saved, len(want))
	}
	for i, s := range saved {
		if s.Name != "flaky" {
			t.Errorf("SaveState %d for %s; want flaky", i, s.Name)
		}
		if want[i] == 0 {
			if !s.NextTry.IsZero() || s.Failures != 0 {
				t.Errorf("after recovery: next try %s, failures %d; want both cleared", s.NextTry, s.Failures)
			}
			continue
		}
		if got := s.NextTry.Sub(t0); got != want[i] || s.Failures != i+1 {
			t.Errorf("failure %d: next try after %s with failures %d; want %s with %d", i+1, got, s.Failures, want[i], i+1)
		}
		if !s.FailingSince.Equal(saved[0].FailingSince) || s.FailingSince.IsZero() {
			t.Errorf("failure %d: failing since %s; want the first failure's %s", i+1, s.FailingSince, saved[0].FailingSince)
		}
	}
	if n := steady.calls.Load(); n != 1 {
		t.Errorf("steady harvested %d times; want once (retries name only the failing source)", n)
	}
	if n := d.retries.pending(); n != 0 {
		t.Errorf("%d retries still pending after recovery", n)
	}
}

// TestBackoffLeavesRetryToTheSchedule: when the next scheduled run comes
// before the backoff would, that run is the retry and no timer is set.
func TestBackoffLeavesRetryToTheSchedule(t *testing.T) {
	st := memstore.New()
	broken := &fakeSource{name: "broken", fn: func(context.Context, int) ([]harvester.Observation, error) {
		return nil, errors.New("no such host")
	}}
	d := &Daemon{
		Config:    Config{Schedule: "@every 1h", BackoffBase: 2 * time.Hour, Sources: []SourceSchedule{{Name: "broken", Enabled: true}}},
		Harvester: &harvester.Harvester{Store: st, Sources: []harvester.Source{broken}, Logger: testLogger(&logBuffer{})},
		Store:     st, Logger: testLogger(&logBuffer{}),
	}
	start(t, d)
	eventually(t, "the backoff to be recorded", func() bool { return len(st.SavedStates()) == 1 })
	s := st.SavedStates()[0]
	if wait := time.Until(s.NextTry); wait <= 0 || wait > time.Hour {
		t.Errorf("next try in %s; want the next hourly run", wait)
	}
	if n := d.retries.pending(); n != 0 {
		t.Errorf("%d retry timers set; want none (the schedule retries)", n)
	}
}

func TestRetriesReplaceAndStop(t *testing.T) {
	r := newRetries()
	fired := make(chan string, 4)
	r.set("a", time.Hour, func() { fired <- "a-old" })
	r.set("a", time.Millisecond, func() { fired <- "a-new" })
	if got := <-fired; got != "a-new" {
		t.Errorf("fired %s; want the replacing timer", got)
	}
	r.set("b", time.Hour, func() { fired <- "b" })
	r.stopAll()
	r.set("c", time.Millisecond, func() { fired <- "c" })
	if n := r.pending(); n != 0 {
		t.Errorf("%d timers pending after stopAll; want 0", n)
	}
}
