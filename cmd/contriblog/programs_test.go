package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestProgramsCommand(t *testing.T) {
	// Before there is a config: the built-in programs.
	code, out, stderr := run(t, map[string]string{"HOME": t.TempDir(), "XDG_CONFIG_HOME": t.TempDir()}, "programs")
	if code != 0 || !regexp.MustCompile(`(?m)^mvp +Microsoft MVP \(2025–26 activity form\) +built in$`).MatchString(out) {
		t.Fatalf("programs without a config: exit %d\n%s\n%s", code, out, stderr)
	}

	dir := t.TempDir()
	write(t, filepath.Join(dir, "mvp-2027.yaml"), "name: mvp\ntitle: Microsoft MVP (2026–27)\nlimits: {title: 120}\n")
	cfg := filepath.Join(dir, "contriblog.yaml")
	write(t, cfg, "person: Ann\nprogram: mvp\nprograms:\n  mvp: {file: ./mvp-2027.yaml}\nsources: []\n")
	code, out, stderr = run(t, nil, "-c", cfg, "programs")
	if code != 0 || !strings.Contains(out, "built in, overridden by "+filepath.Join(dir, "mvp-2027.yaml")+" (program: in the config)") {
		t.Errorf("programs: exit %d\n%s\n%s", code, out, stderr)
	}
	code, out, stderr = run(t, nil, "-c", cfg, "programs", "MVP")
	for _, want := range []string{
		"mvp: Microsoft MVP (2026–27)",
		"limits: title 120 characters at most; description 1000 characters",
		"Speaker/Presenter at Third-party Event    Speaker/Presenter at Third-party Event    Author, Contributor       attendees (required; from sources: attendees), sessions",
		"not taken (left out of this program's export, with a warning): Book/E-book",
		"roles shown as: Co-author → Contributor",
		"  Security: Cloud Security",
	} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("programs MVP lacks %q: exit %d\n%s\n%s", want, code, out, stderr)
		}
	}
	code, _, stderr = run(t, nil, "-c", cfg, "programs", "mpv")
	if code != 2 || !strings.Contains(stderr, `unknown program "mpv" (did you mean "mvp"?)`) {
		t.Errorf("programs mpv: exit %d\n%s", code, stderr)
	}
	code, out, _ = run(t, nil, "programs", "stars", "--yaml")
	if code != 0 || !strings.HasPrefix(out, "# GitHub Stars") || !strings.Contains(out, "OPEN_SOURCE_PROJECT") {
		t.Errorf("programs stars --yaml: exit %d\n%s", code, out)
	}
	// What --yaml prints is a profile that loads, as a person would use it.
	write(t, filepath.Join(dir, "stars.yaml"), out)
	write(t, cfg, "person: Ann\nprograms:\n  stars: {file: ./stars.yaml}\nsources: []\n")
	if code, _, stderr := run(t, nil, "-c", cfg, "programs", "stars"); code != 0 {
		t.Errorf("a profile from --yaml: exit %d\n%s", code, stderr)
	}
	os.Remove(filepath.Join(dir, "stars.yaml"))
	if code, _, stderr := run(t, nil, "-c", cfg, "programs"); code != 2 || !strings.Contains(stderr, "stars.yaml") {
		t.Errorf("a missing profile file: exit %d\n%s", code, stderr)
	}
}
