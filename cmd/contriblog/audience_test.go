package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestSourceTargetAudience: a source's target_audience fills its rows'
// Target Audience in the export, for a calendar and a hand-kept file
// alike; a hand-kept entry's own target_audience wins; taking the key out
// of the config takes the audience out of the next export; a key of the
// wrong type is a config error naming the file, line and key.
func TestSourceTargetAudience(t *testing.T) {
	dir := t.TempDir()
	cal := serve(t, body("text/calendar", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n"+
		"BEGIN:VEVENT\r\nUID:1@t\r\nDTSTART:20260310T180000Z\r\nSUMMARY:Campus talk\r\nURL:https://uni.example/talk\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"))
	os.WriteFile(filepath.Join(dir, "manual.yaml"), []byte(`- title: Mentoring new speakers
  date: 2026-02-01
  activity_type: Mentorship/Coaching
- title: Article for IT pros
  date: 2026-03-01
  activity_type: Article
  url: https://mag.example/a
  target_audience: [IT Pro]
`), 0o600)
	cfgPath := filepath.Join(dir, "contriblog.yaml")
	write := func(audiences ...string) {
		src := "person: Test Person\ndatabase: ./contriblog.db\nsince: 2020-01-01\ntimezone: UTC\nsources:\n" +
			"  - name: campus\n    type: ics\n    url: " + cal + "/cal.ics\n" + audiences[0] +
			"  - name: manual\n    type: file\n    path: manual.yaml\n" + audiences[1]
		if err := os.WriteFile(cfgPath, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	audiences := func() map[string][]string {
		t.Helper()
		code, out, stderr := run(t, nil, "-c", cfgPath, "export", "--format", "json", "--all")
		if code != 0 {
			t.Fatalf("export: exit %d\n%s", code, stderr)
		}
		var rows []struct {
			Title          string   `json:"title"`
			TargetAudience []string `json:"target_audience"`
		}
		if err := json.Unmarshal([]byte(out), &rows); err != nil {
			t.Fatalf("export json: %v\n%s", err, out)
		}
		got := map[string][]string{}
		for _, c := range rows {
			got[c.Title] = c.TargetAudience
		}
		return got
	}

	write("    target_audience: [Students, Developers]\n", "    target_audience: Community Leaders\n")
	if code, out, stderr := run(t, nil, "-c", cfgPath, "harvest"); code != 0 {
		t.Fatalf("harvest: exit %d\n%s%s", code, out, stderr)
	}
	want := map[string][]string{
		"Campus talk":            {"Students", "Developers"},
		"Mentoring new speakers": {"Community Leaders"},
		"Article for IT pros":    {"IT Pro"},
	}
	if got := audiences(); !reflect.DeepEqual(got, want) {
		t.Errorf("target audiences = %q, want %q", got, want)
	}

	// Without the key, the source's rows have none, at the next export:
	// no harvest needed.
	write("", "")
	want = map[string][]string{"Campus talk": {}, "Mentoring new speakers": {}, "Article for IT pros": {"IT Pro"}}
	if got := audiences(); !reflect.DeepEqual(got, want) {
		t.Errorf("target audiences without the key = %q, want %q", got, want)
	}

	write("    target_audience: {students: yes}\n", "")
	code, _, stderr := run(t, nil, "-c", cfgPath, "validate")
	if code != exitUsage || !strings.Contains(stderr, "contriblog.yaml:9: sources[0].target_audience: target_audience is a list of audiences such as [Developers, IT Pros], got a mapping") {
		t.Errorf("validate of a mapping: exit %d\n%s", code, stderr)
	}
}
