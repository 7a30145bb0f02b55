package harvester

import (
	"sort"
	"time"
)

// MetricPoint is one value of a metric of an observation and the pass that
// first saw it (docs/log.md#metrics-history). A store keeps a point only
// when a metric changes, so an observation's points of one metric are its
// growth: oldest first, each value as the source reported it (a drop
// included, never summed).
type MetricPoint struct {
	Metric string    `json:"metric"`
	Value  int64     `json:"value"`
	At     time.Time `json:"at"`
}

// AppendMetricChanges appends to points, dated at, a point for each metric
// of metrics whose value is not the latest of points for it (or that
// points lack), in the order of the metrics' names, and returns the
// result and whether it grew. Every store keeps history with it, so that
// they agree on what a change is.
func AppendMetricChanges(points []MetricPoint, metrics map[string]int64, at time.Time) ([]MetricPoint, bool) {
	if len(metrics) == 0 {
		return points, false
	}
	latest := make(map[string]int64, len(metrics))
	for _, p := range points {
		latest[p.Metric] = p.Value
	}
	names := make([]string, 0, len(metrics))
	for k := range metrics {
		names = append(names, k)
	}
	sort.Strings(names)
	grew := false
	for _, k := range names {
		if v, ok := latest[k]; ok && v == metrics[k] {
			continue
		}
		points = append(points, MetricPoint{Metric: k, Value: metrics[k], At: at})
		grew = true
	}
	return points, grew
}

// RowMetricsHistory returns, for each metric of c, the points of the one
// observation of c that gives c its value of that metric (a row's metric
// is the largest of its observations', see BuildLog): its growth, oldest
// first. history maps observation keys to their points
// (Store.MetricHistory). When no observation's latest value is the row's
// (an edit, a store without the points), the observation with the largest
// latest value is taken. A metric without points is absent, and a row
// without any gets nil.
func RowMetricsHistory(c *Contribution, history map[string][]MetricPoint) map[string][]MetricPoint {
	if len(c.Metrics) == 0 || len(history) == 0 {
		return nil
	}
	var out map[string][]MetricPoint
	for metric, want := range c.Metrics {
		var best []MetricPoint
		var bestLatest int64
		exact := false
		for _, ref := range c.Observations {
			series := pointsOf(history[ObservationKey(ref.Source, ref.NativeID)], metric)
			if len(series) == 0 {
				continue
			}
			latest := series[len(series)-1].Value
			switch {
			case exact:
			case latest == want:
				best, exact = series, true
			case best == nil || latest > bestLatest:
				best, bestLatest = series, latest
			}
		}
		if best == nil {
			continue
		}
		if out == nil {
			out = make(map[string][]MetricPoint, len(c.Metrics))
		}
		out[metric] = best
	}
	return out
}

// pointsOf returns the points of one metric, in their order.
func pointsOf(points []MetricPoint, metric string) []MetricPoint {
	var out []MetricPoint
	for _, p := range points {
		if p.Metric == metric {
			out = append(out, p)
		}
	}
	return out
}
