package harvester

import (
	"reflect"
	"testing"
	"time"
)

func TestRowMetricsHistory(t *testing.T) {
	day := func(n int) time.Time { return time.Date(2026, 3, n, 6, 0, 0, 0, time.UTC) }
	p := func(m string, v int64, n int) MetricPoint { return MetricPoint{Metric: m, Value: v, At: day(n)} }
	history := map[string][]MetricPoint{
		ObservationKey("blog", "1"):  {p("views", 10, 1), p("views", 40, 2)},
		ObservationKey("devto", "1"): {p("views", 100, 1), p("reactions", 3, 1), p("views", 900, 3), p("views", 850, 4)},
	}
	refs := []ObservationRef{{Source: "blog", NativeID: "1"}, {Source: "devto", NativeID: "1"}}
	tests := []struct {
		name    string
		metrics map[string]int64
		want    map[string][]MetricPoint
	}{
		{"each metric from the observation whose latest value is the row's",
			map[string]int64{"views": 850, "reactions": 3},
			map[string][]MetricPoint{"views": {p("views", 100, 1), p("views", 900, 3), p("views", 850, 4)}, "reactions": {p("reactions", 3, 1)}}},
		{"the smaller sighting when it gives the value",
			map[string]int64{"views": 40},
			map[string][]MetricPoint{"views": {p("views", 10, 1), p("views", 40, 2)}}},
		{"no observation's latest value: the largest",
			map[string]int64{"views": 5000},
			map[string][]MetricPoint{"views": {p("views", 100, 1), p("views", 900, 3), p("views", 850, 4)}}},
		{"a metric without points is absent", map[string]int64{"stars": 7}, nil},
		{"no metrics", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Contribution{Metrics: tt.metrics, Observations: refs}
			if got := RowMetricsHistory(c, history); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestAppendMetricChanges(t *testing.T) {
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	points, grew := AppendMetricChanges(nil, map[string]int64{"views": 5, "likes": -1}, at)
	if !grew || len(points) != 2 || points[0].Metric != "likes" || points[1].Metric != "views" {
		t.Fatalf("first: %+v, %v", points, grew)
	}
	if _, grew := AppendMetricChanges(points, map[string]int64{"views": 5, "likes": -1}, at.Add(time.Hour)); grew {
		t.Error("unchanged values grew the history")
	}
	if _, grew := AppendMetricChanges(points, map[string]int64{"views": 5}, at.Add(time.Hour)); grew {
		t.Error("a metric no longer reported grew the history")
	}
	points, grew = AppendMetricChanges(points, map[string]int64{"views": 2, "likes": -1}, at.Add(time.Hour))
	if !grew || len(points) != 3 || points[2] != (MetricPoint{"views", 2, at.Add(time.Hour)}) {
		t.Errorf("a drop: %+v", points)
	}
}
