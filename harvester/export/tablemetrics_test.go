package export

import (
	"strings"
	"testing"
	"time"

	"github.com/contriblog/contriblog/harvester"
)

func TestTableMetricLines(t *testing.T) {
	day := func(n int) time.Time { return time.Date(2026, 3, n, 23, 30, 0, 0, time.UTC) }
	c := &harvester.Contribution{ID: "a", Date: "2026-03-01", Title: "Talk", Metrics: map[string]int64{
		"views": 1530, "comments": -3, "stars": -1 << 63, "forks\x1b[31m": 2}, MetricsHistory: map[string][]harvester.MetricPoint{
		"views":    {{Metric: "views", Value: 120, At: day(1)}, {Metric: "views", Value: 1530, At: day(20)}},
		"comments": {{Metric: "comments", Value: -3, At: day(2)}},
	}}
	var b strings.Builder
	enc := NewTableEncoder(&b, TableOptions{Metrics: true})
	if err := enc.Encode(c); err != nil {
		t.Fatal(err)
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
	want := "    comments -3 (2026-03-02)\n    forks[31m 2\n    stars -9,223,372,036,854,775,808\n    views 120 (2026-03-01) → 1,530 (2026-03-20) (2 points)\n"
	if !strings.HasSuffix(b.String(), want) || strings.Contains(b.String(), "\x1b") {
		t.Errorf("table:\n%q\nwant it to end with\n%q", b.String(), want)
	}
	b.Reset()
	plain := NewTableEncoder(&b, TableOptions{})
	plain.Encode(c)
	plain.Close()
	if strings.Contains(b.String(), "views") {
		t.Errorf("a table without Metrics shows them:\n%s", b.String())
	}
}
