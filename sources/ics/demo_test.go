package ics_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/contriblog/contriblog/sources/ics"
)

// demoToken and expandDemo do what the demo server does to its sample
// files (cmd/contriblog/demo/dates.go): {{FORMAT:DAYS}} becomes the date
// DAYS from today, at 18:30.
var demoToken = regexp.MustCompile(`\{\{([A-Z0-9]+):([+-]?\d+)\}\}`)

var demoLayouts = map[string]string{"DAY": "2006-01-02", "ICSDAY": "20060102", "ICSTIME": "20060102T150405", "ICSUTC": "20060102T150405Z"}

func expandDemo(s string, today time.Time) string {
	base := time.Date(today.Year(), today.Month(), today.Day(), 18, 30, 0, 0, time.UTC)
	return demoToken.ReplaceAllStringFunc(s, func(m string) string {
		g := demoToken.FindStringSubmatch(m)
		n, _ := strconv.Atoi(g[2])
		return base.AddDate(0, 0, n).Format(demoLayouts[g[1]])
	})
}

// TestDemoData checks the demo's calendars: the talks and the days they
// are on, so that the demo shows the cross-listing merge.
func TestDemoData(t *testing.T) {
	today := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	day := func(n int) string { return today.AddDate(0, 0, n).Format("2006-01-02") }
	tests := []struct {
		file  string
		match []string
		want  []string // title @ day in Amsterdam
	}{
		{"talks.ics", nil, []string{
			"Cloud Summit 2026: Zero Trust in Practice @ " + day(-40),
			"Passkeys for admins @ " + day(-100),
			"Workshop: Entra ID Governance hands-on @ " + day(-150),
		}},
		{"usergroup.ics", []string{"Priya Raman"}, []string{
			"Amsterdam Cloud User Group: Passkeys for admins @ " + day(-100),
			"Cloud Summit community track: Zero Trust in Practice @ " + day(-40),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("..", "..", "cmd", "contriblog", "demo", "data", "ics", tt.file))
			if err != nil {
				t.Skip("demo data not present:", err)
			}
			doc := expandDemo(string(b), today)
			if strings.Contains(doc, "{{") {
				t.Fatal("unexpanded token")
			}
			_, obs, err := ics.Parse([]byte(doc), ics.Config{Name: "demo", URL: "http://127.0.0.1/ics/" + tt.file, Match: tt.match,
				Timezone: amsterdam, Since: today.AddDate(-1, 0, 0), Logger: quiet, Now: func() time.Time { return today }})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, o := range obs {
				got = append(got, o.Title+" @ "+o.Day(amsterdam))
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}
