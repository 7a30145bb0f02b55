package config

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestFind(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		t.Skip("the per-user config directory below is the XDG one")
	}
	work, xdg := t.TempDir(), t.TempDir()
	t.Chdir(work)
	xdgFile := filepath.Join(xdg, "contriblog", "config.yaml")
	env := testEnv("XDG_CONFIG_HOME", xdg)

	// Nothing anywhere: the error names every place.
	_, err := Find("", env)
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "./contriblog.yaml and "+xdgFile) ||
		!strings.Contains(err.Error(), "$CONTRIBLOG_CONFIG (not set)") {
		t.Errorf("Find() = %v", err)
	}
	// HOME/.config without XDG_CONFIG_HOME.
	if _, err := Find("", testEnv("HOME", "/home/zed")); err == nil || !strings.Contains(err.Error(), "/home/zed/.config/contriblog/config.yaml") {
		t.Errorf("Find() without XDG = %v", err)
	}

	mustWrite(t, xdgFile)
	check(t, "xdg", env, "", xdgFile)
	mustWrite(t, filepath.Join(work, LocalName))
	check(t, "local", env, "", LocalName)
	check(t, "env", testEnv("XDG_CONFIG_HOME", xdg, "CONTRIBLOG_CONFIG", "/etc/c.yaml"), "", "/etc/c.yaml")
	check(t, "flag", testEnv("CONTRIBLOG_CONFIG", "/etc/c.yaml"), "my.yaml", "my.yaml")
}

func check(t *testing.T, name string, env func(string) string, flag, want string) {
	t.Helper()
	got, err := Find(flag, env)
	if err != nil || got != want {
		t.Errorf("%s: Find = %q, %v; want %q", name, got, err, want)
	}
}

func mustWrite(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("sources: []\n"), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestParseSize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		err  string
	}{
		{"16777216", 16 << 20, ""},
		{"16MiB", 16 << 20, ""},
		{"16 MiB", 16 << 20, ""},
		{"512KB", 512_000, ""},
		{"512kib", 512 << 10, ""},
		{"1.5MB", 1_500_000, ""},
		{"2G", 2_000_000_000, ""},
		{"0", 0, "between 1 byte and 1TiB"},
		{"2048GiB", 0, "between 1 byte and 1TiB"},
		{"-5", 0, "expected a size"},
		{"5 XB", 0, `unknown unit "XB"`},
		{"lots", 0, "expected a size"},
	} {
		got, err := parseSize(tc.in)
		switch {
		case tc.err == "" && (err != nil || got != tc.want):
			t.Errorf("parseSize(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("parseSize(%q) error = %v, want %q", tc.in, err, tc.err)
		}
	}
}

func TestParseCron(t *testing.T) {
	for _, tc := range []struct {
		spec string
		ok   bool
	}{
		{"@every 6h", true},
		{"@daily", true},
		{"30 6 * * 1-5", true},
		{"CRON_TZ=Europe/Amsterdam 0 6 * * *", true},
		{"TZ=UTC @hourly", true},
		{"CRON_TZ=Europe/Amsterdam", false}, // panics inside cron v3.0.1
		{"TZ=", false},
		{"CRON_TZ=x", false},
		{"@every -1h", false},
		{"@every", false},
		{"@weekly-ish", false},
		{"* * * *", false},
	} {
		_, err := parseCron(tc.spec)
		if (err == nil) != tc.ok {
			t.Errorf("parseCron(%q) = %v, want ok=%v", tc.spec, err, tc.ok)
		}
	}
}
