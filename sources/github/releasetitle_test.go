package github

import "testing"

func TestReleaseTitleSaysTheTagOnce(t *testing.T) {
	for _, tt := range []struct{ tag, name, want string }{
		{"v1.3.0", "v1.3.0: Deployment Stacks", "o/r v1.3.0: Deployment Stacks"},
		{"v1.3.0", "V1.3.0 - Deployment Stacks", "o/r v1.3.0: Deployment Stacks"},
		{"v1.3.0", "v1.3.0 — Deployment Stacks", "o/r v1.3.0: Deployment Stacks"},
		{"v1.3.0", "v1.3.0 (Deployment Stacks)", "o/r v1.3.0: (Deployment Stacks)"},
		{"v1.3.0", "o/r v1.3.0: Deployment Stacks", "o/r v1.3.0: Deployment Stacks"},
		{"v1.3.0", "v1.3.0", "o/r v1.3.0"},
		{"v1.3.0", "o/r v1.3.0", "o/r v1.3.0"},
		{"v1.3.0", "", "o/r v1.3.0"},
		{"v1.3.0", "Deployment Stacks", "o/r v1.3.0: Deployment Stacks"},
		{"v1.2", "v1.20 beta", "o/r v1.2: v1.20 beta"},
		{"", "Deployment Stacks", "o/r Deployment Stacks"},
		{"v2", "v2:", "o/r v2"},
	} {
		if got := releaseTitle("o/r", tt.tag, tt.name); got != tt.want {
			t.Errorf("releaseTitle(%q, %q) = %q, want %q", tt.tag, tt.name, got, tt.want)
		}
	}
}
