package daemon

import (
	"bufio"
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/memstore"
)

var (
	helpLine   = regexp.MustCompile(`^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) \S.*$`)
	typeLine   = regexp.MustCompile(`^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge)$`)
	labelPair  = `[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"`
	sampleLine = regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{` + labelPair + `(?:,` + labelPair + `)*\})? (-?[0-9]+(?:\.[0-9]+)?|NaN|[+-]Inf)$`)
)

// checkExposition validates the text format: every family has HELP then
// TYPE once, samples follow their own family, counters end in _total.
func checkExposition(t *testing.T, text string) {
	t.Helper()
	seen := map[string]bool{}
	family, help := "", ""
	sc := bufio.NewScanner(strings.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case helpLine.MatchString(line):
			help = helpLine.FindStringSubmatch(line)[1]
			if seen[help] {
				t.Errorf("line %d: second HELP for %s", n, help)
			}
			seen[help] = true
		case typeLine.MatchString(line):
			m := typeLine.FindStringSubmatch(line)
			if m[1] != help {
				t.Errorf("line %d: TYPE of %s after HELP of %s", n, m[1], help)
			}
			family = m[1]
			if (m[2] == "counter") != strings.HasSuffix(family, "_total") {
				t.Errorf("line %d: %s is a %s", n, family, m[2])
			}
		case sampleLine.MatchString(line):
			if name := sampleLine.FindStringSubmatch(line)[1]; name != family {
				t.Errorf("line %d: sample of %s inside family %s", n, name, family)
			}
		default:
			t.Errorf("line %d is not in the text format: %q", n, line)
		}
	}
}

func TestMetricsEndpoint(t *testing.T) {
	odd := "we\"ird\\src\nx"
	h := &countingHarvester{fn: func(context.Context, int) (*harvester.Pass, error) {
		return &harvester.Pass{Rows: 42, Results: []harvester.Result{
			{Source: "a", New: 3, Updated: 1, Unchanged: 9, Duration: 250 * time.Millisecond},
			{Source: odd, Err: errors.New("boom")},
		}}, nil
	}}
	st := memstore.New()
	success := time.Date(2026, 1, 1, 0, 0, 0, 500_000_000, time.UTC)
	st.States["a"] = harvester.SourceState{Name: "a", LastSuccess: success, Items: 12}
	st.States[odd] = harvester.SourceState{Name: odd, Failures: 4}
	d := &Daemon{Config: Config{Schedule: "@every 1h", Sources: []SourceSchedule{{Name: "a", Enabled: true}, {Name: "idle", Enabled: true}}},
		Harvester: h, Store: st, Logger: testLogger(&logBuffer{})}
	start(t, d)
	eventually(t, "the start-up pass", func() bool { return len(h.calls()) == 1 })
	pass(t, d) // a second pass, not merged into the first
	resp, body := request(t, "GET", serve(t, d).URL+"/metrics", "", "")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain; version=0.0.4") {
		t.Fatalf("%d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	checkExposition(t, body)
	esc := `we\"ird\\src\nx`
	for _, want := range []string{
		"contriblog_passes_total 2",
		"contriblog_log_rows 42",
		"contriblog_pass_running 0",
		`contriblog_source_items{source="a",kind="new"} 3`,
		`contriblog_source_items{source="a",kind="updated"} 1`,
		`contriblog_source_items{source="a",kind="unchanged"} 9`,
		`contriblog_source_items{source="idle",kind="new"} 0`,
		`contriblog_source_passes_total{source="a"} 2`,
		`contriblog_source_errors_total{source="a"} 0`,
		`contriblog_source_errors_total{source="` + esc + `"} 2`,
		`contriblog_source_duration_seconds{source="a"} 0.25`,
		`contriblog_source_last_success_timestamp_seconds{source="a"} 1767225600.5`,
		`contriblog_source_last_success_timestamp_seconds{source="idle"} 0`,
		`contriblog_source_consecutive_failures{source="` + esc + `"} 4`,
		`contriblog_source_observations{source="a"} 12`,
	} {
		if !strings.Contains(body, "\n"+want+"\n") {
			t.Errorf("metrics lack %q:\n%s", want, body)
		}
	}
}

func TestWriteFamiliesEscapes(t *testing.T) {
	f := family{name: "x_total", typ: "counter", help: "Back\\slash and\nnewline."}
	f.add([]label{{"a", `q"b\s` + "\n"}, {"b", ""}}, 1.5)
	var b strings.Builder
	if err := writeFamilies(&b, []family{f, scalar("y", "gauge", "Y.", 1e12)}); err != nil {
		t.Fatal(err)
	}
	want := "# HELP x_total Back\\\\slash and\\nnewline.\n# TYPE x_total counter\n" +
		"x_total{a=\"q\\\"b\\\\s\\n\",b=\"\"} 1.5\n# HELP y Y.\n# TYPE y gauge\ny 1000000000000\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}
