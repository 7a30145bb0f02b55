package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPrograms(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "mvp-2027.yaml"), []byte("name: mvp\ntitle: MVP 2026–27\nlimits: {title: 120}\n"), 0o600)
	os.WriteFile(filepath.Join(dir, "broken.yaml"), []byte("name: mvp\nlimits:\n  titel: 100\n"), 0o600)
	os.WriteFile(filepath.Join(dir, "aws.yaml"), []byte("name: aws\ntitle: AWS Heroes\ntypes:\n  - name: Content\n    from: [Blog]\n"), 0o600)
	base := "person: Ann\nsources: []\n"
	tests := []struct {
		name, yaml string
		check      func(t *testing.T, cfg *Config)
		errs       []string
		warns      []string
	}{
		{"none: the built-in profiles, no program", base, func(t *testing.T, cfg *Config) {
			if cfg.Program != "" || cfg.Programs["mvp"].Limits.Title != 100 {
				t.Errorf("Program %q, mvp %+v", cfg.Program, cfg.Programs["mvp"].Limits)
			}
			if p, err := cfg.Profile(""); p != nil || err != nil {
				t.Errorf("Profile(\"\") = %v, %v; want the general log", p, err)
			}
		}, nil, nil},
		{"program and a file override", base + "program: MVP\nprograms:\n  mvp: {file: ./mvp-2027.yaml}\n", func(t *testing.T, cfg *Config) {
			p, err := cfg.Profile("")
			if err != nil || p.Title != "MVP 2026–27" || p.Limits.Title != 120 || p.Limits.Description != 1000 || len(p.Types) != 11 {
				t.Errorf("Profile() = %+v, %v", p, err)
			}
		}, nil, nil},
		{"inline override", base + "programs:\n  gde:\n    areas: [Google Cloud, Flutter]\n", func(t *testing.T, cfg *Config) {
			if _, ok := cfg.Programs["gde"].Area("Android"); ok {
				t.Error("the inline areas did not replace gde's free tags")
			}
		}, nil, nil},
		{"a program of one's own", base + "programs:\n  aws: {file: aws.yaml}\nprogram: aws\n", func(t *testing.T, cfg *Config) {
			if cfg.Program != "aws" || cfg.Programs["aws"].Title != "AWS Heroes" {
				t.Errorf("Program %q, %+v", cfg.Program, cfg.Programs["aws"])
			}
		}, nil, nil},
		{"unknown program", base + "program: mpv\n", nil, []string{`:3: program: unknown program "mpv" (did you mean "mvp"?)`}, nil},
		{"a broken profile file", base + "programs:\n  mvp: {file: broken.yaml}\n", nil,
			[]string{filepath.Join(dir, "broken.yaml") + `:3: limits.titel: unknown key (did you mean "title"?)`}, nil},
		{"a missing profile file", base + "programs:\n  mvp: {file: nope.yaml}\n", nil, []string{`:4: programs.mvp.file: ` + filepath.Join(dir, "nope.yaml")}, nil},
		{"a broken inline profile", base + "programs:\n  mvp:\n    types: 7\n", nil, []string{`:5: programs.mvp.types: expected a list of types, got a number`}, nil},
		{"a new program without a profile", base + "programs:\n  aws: {}\n", nil, []string{`programs.aws: program "aws" is not built in`}, nil},
		{"a profile under another name", base + "programs:\n  heroes: {file: aws.yaml}\n", nil, []string{`the profile is named "aws"`}, nil},
		{"areas checked against the program", base + "program: mvp\nareas:\n  Identity and Access: [entra]\n  Azure Infrastructure as Code: [bicep]\n  Kubernetes Things: [k8s]\n", nil, nil,
			[]string{`:5: areas["Identity and Access"]: "Identity and Access" is not an area of Microsoft MVP (2025–26 activity form) (did you mean "Identity & Access"?)`,
				`:7: areas["Kubernetes Things"]: "Kubernetes Things" is not an area of Microsoft MVP (2025–26 activity form); ` + "`contriblog programs mvp` lists them"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse([]byte(tt.yaml), filepath.Join(dir, "contriblog.yaml"), testOptions())
			if len(tt.errs) == 0 && err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			for _, want := range tt.errs {
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Errorf("error %v; want it to contain %q", err, want)
				}
			}
			if err != nil {
				return
			}
			for _, want := range tt.warns {
				if !strings.Contains(strings.Join(cfg.Warnings, "\n"), want) {
					t.Errorf("warnings %q; want %q", cfg.Warnings, want)
				}
			}
			if tt.check != nil {
				tt.check(t, cfg)
			}
		})
	}
}

func TestProgramAPIs(t *testing.T) {
	const src = "person: Ann\nsources: []\nprograms:\n  stars:\n    token: ${STARS_TOKEN}\n    base_url: http://127.0.0.1:9/api/contributions\n" +
		"  gde:\n    token: ${ADVOCU_TOKEN}\n    areas: [Google Cloud]\n"
	cfg := mustParse(t, src, testOptions("STARS_TOKEN", "stars-secret-token-1234"))
	stars := cfg.ProgramAPIs["stars"]
	if stars.Token != "stars-secret-token-1234" || stars.BaseURL != "http://127.0.0.1:9/api/contributions" || stars.UnsetError("c.yaml") != nil {
		t.Errorf("stars API: %+v", stars)
	}
	if got := cfg.Secrets.Redact("sent stars-secret-token-1234"); strings.Contains(got, "stars-secret") {
		t.Errorf("the token is not a secret: %q", got)
	}
	// An unset token fails only what needs it (submit), not the config.
	gde := cfg.ProgramAPIs["gde"]
	err := gde.UnsetError("/srv/cl/contriblog.yaml")
	if gde.Token != "" || err == nil || !strings.Contains(err.Error(), "environment variable ADVOCU_TOKEN is not set (programs.gde.token at /srv/cl/contriblog.yaml:8)") {
		t.Errorf("gde API: %+v, %v", gde, err)
	}
	if _, ok := cfg.Programs["gde"].Area("Flutter"); ok {
		t.Error("the inline areas beside the token were not read")
	}
	for _, tt := range []struct{ src, want string }{
		{"person: Ann\nsources: []\nprograms:\n  stars: {token: literal-token-value}\n", "the token is written in the config file"},
		{"person: Ann\nsources: []\nprograms:\n  stars:\n    token: ${T}\n    base_url: not-a-url\n", "not an absolute http(s) URL"},
		{"person: Ann\nsources: []\nprograms:\n  stars: {token: \"\"}\n", "the token is empty"},
	} {
		cfg, err := Parse([]byte(tt.src), "/srv/cl/contriblog.yaml", testOptions("T", "x"))
		msgs := fmt.Sprint(err)
		if cfg != nil {
			msgs += strings.Join(cfg.Warnings, "\n")
		}
		if !strings.Contains(msgs, tt.want) {
			t.Errorf("%q: %s; want %q", tt.src, msgs, tt.want)
		}
	}
}
