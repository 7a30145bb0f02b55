package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/contriblog/contriblog/sources/file"
)

// The example config at the repository root parses when GITHUB_TOKEN is
// set, and names the variable when it is not.
func TestExampleConfig(t *testing.T) {
	path := filepath.Join("..", "..", "..", "config.example.yaml")
	cfg, err := Load(path, testOptions("GITHUB_TOKEN", "ghp_example"))
	if err != nil {
		t.Fatalf("config.example.yaml: %v", err)
	}
	if len(cfg.Warnings) != 0 {
		t.Errorf("warnings: %q", cfg.Warnings)
	}
	types := map[string]int{}
	for _, s := range cfg.Sources {
		types[s.Type]++
	}
	if types["feed"] < 4 || types["github"] != 1 || types["ics"] != 1 || types["sessionize"] != 1 || types["file"] != 1 {
		t.Errorf("source types %v: want blog, dev.to, Medium, YouTube, podcast, GitHub, Meetup, Sessionize and a file", types)
	}
	_, err = Load(path, testOptions())
	if err == nil || !strings.Contains(err.Error(), "environment variable GITHUB_TOKEN is not set") {
		t.Errorf("without GITHUB_TOKEN: %v", err)
	}
}

// The example hand-kept file parses.
func TestExampleManual(t *testing.T) {
	data, err := os.ReadFile("testdata/manual.yaml")
	if err != nil {
		t.Fatal(err)
	}
	obs, err := file.Parse(data, file.Config{Name: "manual", Path: "testdata/manual.yaml", Person: "Priya Raman"})
	if err != nil {
		t.Fatalf("testdata/manual.yaml: %v", err)
	}
	if len(obs) != 4 {
		t.Errorf("%d entries, want 4", len(obs))
	}
}

func FuzzParse(f *testing.F) {
	for _, p := range []string{"testdata/full.yaml", "testdata/manual.yaml", "../../../config.example.yaml"} {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("schedule: CRON_TZ=Europe/Amsterdam\nsources: [{name: a, type: feed, url: \"${X}\"}]\n"))
	f.Add([]byte("sources:\n  - <<: &d {type: ics}\n    name: a\n  - {<<: [*d, *d], name: b, url: \"http://[::1]:80/\"}\n"))
	opts := testOptions("GITHUB_TOKEN", "ghp_x", "X", "https://example.com/")
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Parse(data, "fuzz.yaml", opts)
		if (cfg == nil) == (err == nil) {
			t.Fatalf("config %v with error %v", cfg != nil, err)
		}
		if err != nil && strings.Contains(err.Error(), "ghp_x") && !strings.Contains(string(data), "ghp_x") {
			t.Fatalf("error shows a token: %v", err)
		}
		if cfg != nil && (cfg.Vocabulary == nil || cfg.Timezone == nil || cfg.Database == "") {
			t.Fatalf("config without defaults: %+v", cfg)
		}
	})
}
