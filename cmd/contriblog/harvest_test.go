package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/contriblog/contriblog/harvester"
)

// The line under harvest's table says what the stored log holds: after a
// pass whose save failed, the earlier log's rows and why it was not
// rebuilt, never "0 contributions".
func TestPrintPassLogLine(t *testing.T) {
	saveErr := errors.New("blog: save: disk full\x1b[2J")
	tests := []struct {
		name string
		pass harvester.Pass
		want string
	}{
		{"rebuilt", harvester.Pass{Rows: 52, LogChanged: true}, "log: 52 contributions (changed)\n"},
		{"unchanged", harvester.Pass{Rows: 52}, "log: 52 contributions\n"},
		{"excluded rows apart", harvester.Pass{Rows: 52, Excluded: 2}, "log: 50 contributions (2 more excluded, not exported)\n"},
		{"changed, excluded rows apart", harvester.Pass{Rows: 52, Excluded: 2, LogChanged: true},
			"log: 50 contributions (changed; 2 more excluded, not exported)\n"},
		{"save failed", harvester.Pass{Rows: 52, LogErr: saveErr},
			"log: not rebuilt (blog: save: disk full\\x1b[2J); the stored log still holds 52 contributions from an earlier pass\n"},
		{"log unreadable", harvester.Pass{Rows: -1, LogErr: saveErr},
			"log: not rebuilt (blog: save: disk full\\x1b[2J); the stored log could not be read\n"},
		{"daemon's log unreadable", harvester.Pass{Rows: -1}, "log: not rebuilt; the stored log could not be read\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			tt.pass.Results = []harvester.Result{{Source: "blog", Err: saveErr}}
			printPass(&out, &tt.pass)
			lines := strings.SplitAfter(out.String(), "\n")
			if got := lines[len(lines)-2]; got != tt.want {
				t.Errorf("last line %q, want %q", got, tt.want)
			}
			checkPrintable(t, "harvest's table", out.String())
		})
	}
}
