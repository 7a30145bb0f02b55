package harvester_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/contriblog/contriblog/harvester"
)

func TestCheckPerson(t *testing.T) {
	log, cfg := []string{"", "Ada Lovelace", "Priya Raman"}, []string{"Priya Raman", "Grace Hopper"}
	many := []string{"P00", "P01", "P02", "P03", "P04", "P05", "P06", "P07", "P08", "P09", "P10", "P11"}
	tests := []struct {
		name  string
		known [][]string
		want  string // "" for nil
	}{
		{"", [][]string{log, cfg}, ""},
		{"ada LOVELACE", [][]string{log, cfg}, ""},
		{"Grace Hopper", [][]string{log, cfg}, ""}, // the config's, no row yet
		{"Ada Lovelce", [][]string{log, cfg}, `unknown person "Ada Lovelce" (did you mean "Ada Lovelace"?)`},
		{"grace hoper", [][]string{log, cfg}, `unknown person "grace hoper" (did you mean "Grace Hopper"?)`},
		{"Linus", [][]string{log, cfg}, `unknown person "Linus"; persons: "Ada Lovelace", "Grace Hopper", "Priya Raman"`},
		{"Linus", nil, `unknown person "Linus": the log has no person yet`},
		{"Linus", [][]string{many}, `unknown person "Linus"; persons: "P00", "P01", "P02", "P03", "P04", "P05", "P06", "P07", "P08", "P09", … (12 in all)`},
	}
	for _, tt := range tests {
		err := harvester.CheckPerson(tt.name, tt.known...)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("CheckPerson(%q) = %v, want nil", tt.name, err)
		case tt.want != "" && (err == nil || err.Error() != tt.want || !errors.Is(err, harvester.ErrUnknownPerson)):
			t.Errorf("CheckPerson(%q) = %v, want %s", tt.name, err, tt.want)
		}
	}
}

func TestLogSummary(t *testing.T) {
	excluded, persons := harvester.LogSummary([]harvester.Contribution{
		{Person: "Priya Raman"}, {Person: "Ada Lovelace", Excluded: true}, {Person: "Priya Raman", Excluded: true}, {},
	})
	if excluded != 2 || !slices.Equal(persons, []string{"", "Ada Lovelace", "Priya Raman"}) {
		t.Errorf("LogSummary = %d, %q", excluded, persons)
	}
	if excluded, persons := harvester.LogSummary(nil); excluded != 0 || persons != nil {
		t.Errorf("LogSummary(nil) = %d, %q", excluded, persons)
	}
}
