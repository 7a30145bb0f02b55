package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSyntaxHints holds the hints added to the YAML parser's messages
// about structure, and the likely culprit line, on fixtures under
// testdata/syntax.
func TestSyntaxHints(t *testing.T) {
	tests := []struct {
		file string
		want wantErr
		not  string // must not appear: no culprit is claimed without a clear rule
	}{
		{"no-space.yaml", wantErr{5, "", "could not find expected ':' (likely line 5: ':' needs a space after it; check the indentation"}, ""},
		{"tab.yaml", wantErr{3, "", "tab character that violates indentation (likely line 4: a tab in the indentation; check"}, ""},
		{"over-indented.yaml", wantErr{4, "", "mapping values are not allowed in this context (check the indentation of this line and the one above it"}, "likely"},
		{"list-item.yaml", wantErr{5, "", "did not find expected key (check the indentation"}, "likely"},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "syntax", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			_, err = Parse(data, "contriblog.yaml", testOptions())
			got := configErrors(t, err)
			if len(got) != 1 {
				t.Fatalf("got %d errors, want 1: %v", len(got), err)
			}
			if g := got[0]; g.Line != tc.want.line || !strings.Contains(g.Msg, tc.want.msg) ||
				!strings.Contains(g.Msg, "YAML does not allow tabs") || (tc.not != "" && strings.Contains(g.Msg, tc.not)) {
				t.Errorf("got %q\nwant line %d, msg containing %q", g.Error(), tc.want.line, tc.want.msg)
			}
		})
	}
}
