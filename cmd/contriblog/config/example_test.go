package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/contriblog/contriblog/sources/file"
)

// The example config at the repository root parses as it is copied, with
// no variable set (its token lines are comments), and with the token line
// enabled, when GITHUB_TOKEN is set.
func TestExampleConfig(t *testing.T) {
	path := filepath.Join("..", "..", "..", "config.example.yaml")
	cfg, err := Load(path, testOptions())
	if err != nil {
		t.Fatalf("config.example.yaml: %v", err)
	}
	if len(cfg.Warnings) != 0 {
		t.Errorf("warnings: %q", cfg.Warnings)
	}
	if err := cfg.UnsetVars(); err != nil {
		t.Errorf("config.example.yaml needs a variable as copied: %v", err)
	}
	types := map[string]int{}
	for _, s := range cfg.Sources {
		types[s.Type]++
	}
	if types["feed"] < 4 || types["github"] != 1 || types["ics"] != 1 || types["sessionize"] != 1 || types["file"] != 1 ||
		types["stackexchange"] != 1 || types["packages"] != 1 {
		t.Errorf("source types %v: want blog, dev.to, Medium, YouTube, podcast, GitHub, Meetup, Sessionize, a file, Stack Overflow and packages", types)
	}

	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	enabled := strings.Replace(string(data), "# token: ${GITHUB_TOKEN}", "token: ${GITHUB_TOKEN}", 1)
	if enabled == string(data) {
		t.Fatal("config.example.yaml has no commented-out `# token: ${GITHUB_TOKEN}` line")
	}
	cfg, err = Parse([]byte(enabled), path, testOptions("GITHUB_TOKEN", "ghp_example"))
	if err != nil || len(cfg.Warnings) != 0 {
		t.Fatalf("with the token line enabled: %v %q", err, cfg.Warnings)
	}
	for _, s := range cfg.Sources {
		if s.Type == "github" && s.Values.String("token") != "ghp_example" {
			t.Errorf("the enabled token line is not the github source's token")
		}
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
