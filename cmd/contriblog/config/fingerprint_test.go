package config

import (
	"strings"
	"testing"
)

// fingerprintBase is a config whose every variant below changes one line.
const fingerprintBase = `person: Priya Raman
since: 2026-01-01
sources:
  - name: blog
    type: feed
    url: https://blog.example/feed.xml
    match: [kubernetes, go]
    schedule: "@every 1h"
  - name: gh
    type: github
    user: priya
    token: ${GITHUB_TOKEN}
`

func fingerprints(t *testing.T, src string, env ...string) map[string]string {
	t.Helper()
	cfg := mustParse(t, src, testOptions(env...))
	out := map[string]string{}
	for _, s := range cfg.Sources {
		out[s.Name] = s.Fingerprint()
	}
	return out
}

func TestFingerprintChangesWithWhatIsHarvested(t *testing.T) {
	base := fingerprints(t, fingerprintBase, "GITHUB_TOKEN", "ghp_one")
	if base["blog"] == "" || base["gh"] == "" || base["blog"] == base["gh"] {
		t.Fatalf("fingerprints %v: want two distinct, non-empty ones", base)
	}
	tests := []struct {
		name, old, new, source string
		changes                bool
	}{
		{"url", "https://blog.example/feed.xml", "https://blog.example/atom.xml", "blog", true},
		{"match", "match: [kubernetes, go]", "match: [kubernetes]", "blog", true},
		{"activity", "    schedule:", "    activity: Podcast\n    schedule:", "blog", true},
		{"person", "person: Priya Raman", "person: Priya R.", "blog", true},
		{"timezone", "person: Priya Raman", "person: Priya Raman\ntimezone: Asia/Tokyo", "blog", true},
		{"type-specific key", "    user: priya", "    user: priyar", "gh", true},
		{"max_bytes", "    schedule:", "    max_bytes: 1MiB\n    schedule:", "blog", true},
		{"the order of match terms", "match: [kubernetes, go]", "match: [go, kubernetes]", "blog", false},
		{"schedule", `"@every 1h"`, `"@every 2h"`, "blog", false},
		{"enabled", "    schedule:", "    enabled: false\n    schedule:", "blog", false},
		{"areas and priority", "    schedule:", "    areas: [Cloud]\n    priority: 3\n    schedule:", "blog", false},
		// since is compared on its own (a window grown backwards).
		{"since", "since: 2026-01-01", "since: 2025-01-01", "blog", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(fingerprintBase, tt.old, tt.new, 1)
			if src == fingerprintBase {
				t.Fatalf("%q is not in the base config", tt.old)
			}
			got := fingerprints(t, src, "GITHUB_TOKEN", "ghp_one")[tt.source]
			if (got != base[tt.source]) != tt.changes {
				t.Errorf("fingerprint %s -> %s; want changed = %v", base[tt.source], got, tt.changes)
			}
		})
	}
}

// The token is no part of the fingerprint: neither its value nor a hash
// of it (the github source keeps its own token fingerprint).
func TestFingerprintLeavesSecretsOut(t *testing.T) {
	one := fingerprints(t, fingerprintBase, "GITHUB_TOKEN", "ghp_one")["gh"]
	two := fingerprints(t, fingerprintBase, "GITHUB_TOKEN", "ghp_two")["gh"]
	if one != two {
		t.Errorf("fingerprint changed with the token: %s -> %s", one, two)
	}
	if strings.Contains(one, "ghp") || len(one) != 16 {
		t.Errorf("fingerprint %q: want 16 hex digits", one)
	}
}
