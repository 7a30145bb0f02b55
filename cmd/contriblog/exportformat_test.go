package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExportFormatFromExtension: export -o chooses the format from the
// file's extension, as export.path does; an explicit --format wins and an
// extension that names no format keeps csv.
func TestExportFormatFromExtension(t *testing.T) {
	dir, cfgPath, _ := badUseConfig(t)
	if code, out, stderr := run(t, nil, "-c", cfgPath, "harvest"); code != 0 {
		t.Fatalf("harvest exit %d\n%s\n%s", code, out, stderr)
	}
	for _, tt := range []struct {
		name   string
		flags  []string
		prefix string
	}{
		{"out.json", nil, "["},
		{"out.md", nil, "# Contributions"},
		{"out.markdown", nil, "# Contributions"},
		{"OUT.JSON", nil, "["},
		{"out.csv", nil, "ID,Person,"},
		{"out.txt", nil, "ID,Person,"},
		{"forced.json", []string{"--format", "csv"}, "ID,Person,"},
	} {
		path := filepath.Join(dir, tt.name)
		args := append([]string{"-c", cfgPath, "export", "-o", path}, tt.flags...)
		if code, _, stderr := run(t, nil, args...); code != 0 {
			t.Fatalf("export -o %s %v: exit %d: %s", tt.name, tt.flags, code, stderr)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.TrimSpace(string(b)); !strings.HasPrefix(got, tt.prefix) {
			t.Errorf("export -o %s %v: starts %.40q, want %q", tt.name, tt.flags, got, tt.prefix)
		}
	}
}
