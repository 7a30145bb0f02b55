package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/contriblog/contriblog/harvester"
)

// history returns the metric points of the observations keys name (every
// one with keys nil).
func history(t *testing.T, s harvester.Store, keys ...string) map[string][]harvester.MetricPoint {
	t.Helper()
	h, err := s.MetricHistory(context.Background(), keys)
	if err != nil {
		t.Fatalf("metric history: %v", err)
	}
	return h
}

// withMetrics is obs(source, id) with these metrics.
func withMetrics(source, id string, metrics map[string]int64) harvester.Observation {
	o := obs(source, id)
	o.Metrics = metrics
	return o
}

func point(metric string, v int64, at time.Time) harvester.MetricPoint {
	return harvester.MetricPoint{Metric: metric, Value: v, At: at}
}

// historyCases pin the metric points SaveBatches keeps and MetricHistory
// reads.
var historyCases = []testCase{
	{"MetricHistory/a point per metric when an observation is new, none for unchanged passes", func(t *testing.T, s harvester.Store) {
		m := map[string]int64{"views": 120, "likes": 4}
		for i := range 10 {
			save(t, s, item("yt", pass(i), withMetrics("yt", "v1", m)))
		}
		want := []harvester.MetricPoint{point("likes", 4, pass(0)), point("views", 120, pass(0))}
		if got := history(t, s, "yt\x00v1")["yt\x00v1"]; !same(got, want) {
			t.Errorf("after ten unchanged passes: %+v, want %+v", got, want)
		}
	}},
	{"MetricHistory/a changed metric gets a point, a drop is kept as reported, an unchanged one none", func(t *testing.T, s harvester.Store) {
		save(t, s, item("yt", pass(1), withMetrics("yt", "v1", map[string]int64{"views": 120, "likes": 4})))
		save(t, s, item("yt", pass(2), withMetrics("yt", "v1", map[string]int64{"views": 900, "likes": 4})))
		// A title change alone is an update with no new point.
		o := withMetrics("yt", "v1", map[string]int64{"views": 900, "likes": 4})
		o.Title = "Renamed"
		save(t, s, item("yt", pass(3), o))
		// Re-uploaded: the views drop, and a new metric appears.
		save(t, s, item("yt", pass(4), withMetrics("yt", "v1", map[string]int64{"views": 35, "likes": 4, "comments": -1})))
		// A metric the source stops reporting keeps its points.
		save(t, s, item("yt", pass(5), withMetrics("yt", "v1", map[string]int64{"views": 35})))
		want := []harvester.MetricPoint{point("likes", 4, pass(1)), point("views", 120, pass(1)), point("views", 900, pass(2)),
			point("comments", -1, pass(4)), point("views", 35, pass(4))}
		if got := history(t, s, "yt\x00v1")["yt\x00v1"]; !same(got, want) {
			t.Errorf("history %+v, want %+v", got, want)
		}
	}},
	{"MetricHistory/every observation with keys nil, only the ones named otherwise", func(t *testing.T, s harvester.Store) {
		save(t, s, item("yt", pass(1), withMetrics("yt", "v1", map[string]int64{"views": 1}), withMetrics("yt", "v2", map[string]int64{"views": 2}),
			withMetrics("yt", "none", nil)))
		all := history(t, s)
		if len(all) != 2 || len(all["yt\x00v1"]) != 1 || len(all["yt\x00v2"]) != 1 {
			t.Errorf("every history: %+v, want v1 and v2 only", all)
		}
		some := history(t, s, "yt\x00v2", "yt\x00none", "nobody\x00x")
		if len(some) != 1 || !same(some["yt\x00v2"], []harvester.MetricPoint{point("views", 2, pass(1))}) {
			t.Errorf("history of v2, none and an unknown key: %+v, want v2 only", some)
		}
		// What is handed out is the caller's.
		some["yt\x00v2"][0].Value = 99
		if got := history(t, s, "yt\x00v2")["yt\x00v2"][0].Value; got != 2 {
			t.Errorf("a change to a returned point reached the store: %d", got)
		}
	}},
	{"MetricHistory/a long native id keeps its points", func(t *testing.T, s harvester.Store) {
		long := "https://example.com/" + stringOf('x', 1500)
		save(t, s, item("yt", pass(1), withMetrics("yt", long, map[string]int64{"views": 1})))
		save(t, s, item("yt", pass(2), withMetrics("yt", long, map[string]int64{"views": 2})))
		key := harvester.ObservationKey("yt", long)
		want := []harvester.MetricPoint{point("views", 1, pass(1)), point("views", 2, pass(2))}
		if got := history(t, s, key)[key]; !same(got, want) {
			t.Errorf("by key: %+v, want %+v", got, want)
		}
		if got := history(t, s)[key]; !same(got, want) {
			t.Errorf("of every observation: %+v, want %+v under the observation's key", got, want)
		}
	}},
	{"MetricHistory/a refused batch adds no point, ForgetSource removes the source's", func(t *testing.T, s harvester.Store) {
		ctx := context.Background()
		save(t, s, item("yt", pass(1), withMetrics("yt", "v1", map[string]int64{"views": 1})), item("blog", pass(1), withMetrics("blog", "p", map[string]int64{"views": 5})))
		bad := withMetrics("yt", "", map[string]int64{"views": 1})
		if _, err := s.SaveBatches(ctx, []harvester.BatchItem{item("yt", pass(2), withMetrics("yt", "v1", map[string]int64{"views": 7}), bad)}); err == nil {
			t.Fatal("a batch with an observation without a native id was saved")
		}
		if got := history(t, s, "yt\x00v1")["yt\x00v1"]; len(got) != 1 {
			t.Errorf("after a refused batch: %+v, want the one point", got)
		}
		if _, err := s.ForgetSource(ctx, "yt"); err != nil {
			t.Fatal(err)
		}
		all := history(t, s)
		if _, ok := all["yt\x00v1"]; ok || len(all["blog\x00p"]) != 1 {
			t.Errorf("after forgetting yt: %+v, want blog's only", all)
		}
		// Seen again, it starts over.
		save(t, s, item("yt", pass(3), withMetrics("yt", "v1", map[string]int64{"views": 7})))
		if got := history(t, s, "yt\x00v1")["yt\x00v1"]; !same(got, []harvester.MetricPoint{point("views", 7, pass(3))}) {
			t.Errorf("seen again: %+v", got)
		}
	}},
	{"MetricHistory/a cancelled context", func(t *testing.T, s harvester.Store) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := s.MetricHistory(ctx, nil); !errors.Is(err, context.Canceled) {
			t.Errorf("MetricHistory with a cancelled ctx: %v, want context.Canceled", err)
		}
	}},
}

func stringOf(c byte, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = c
	}
	return string(b)
}
