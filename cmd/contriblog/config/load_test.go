package config

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadRefuses: a config path that names something other than a
// regular file of reasonable size fails at once, with the file and what
// it is, instead of hanging (a named pipe) or filling memory (/dev/zero).
func TestLoadRefuses(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.yaml")
	// A real config over the limit: the check is on size, not content.
	content := append([]byte("person: A\nsources: []\n"), bytes.Repeat([]byte("# padding\n"), MaxFileSize/10)...)
	if err := os.WriteFile(big, content, 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ name, path, want string }{
		{"directory", dir, dir + ": the config file is a directory, not a regular file"},
		{"over the limit", big, big + ": the config file is larger than 4 MiB, the limit for a config"},
	}
	fifo := filepath.Join(dir, "fifo.yaml")
	switch err := mkfifo(fifo); {
	case !errors.Is(err, errors.ErrUnsupported) && err != nil:
		t.Fatal(err)
	case err == nil:
		cases = append(cases,
			struct{ name, path, want string }{"named pipe", fifo, fifo + ": the config file is a named pipe, not a regular file"},
			struct{ name, path, want string }{"dev zero", "/dev/zero", "/dev/zero: the config file is a device, not a regular file"})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Load(tc.path, testOptions())
			if cfg != nil || err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Load(%s) = %v, %v; want an error saying %q", tc.path, cfg, err, tc.want)
			}
		})
	}
	// Just under the limit still loads.
	ok := filepath.Join(dir, "ok.yaml")
	if err := os.WriteFile(ok, content[:MaxFileSize], 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(ok, testOptions()); err != nil {
		t.Errorf("a config of exactly %d bytes: %v", MaxFileSize, err)
	}
}
