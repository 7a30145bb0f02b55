package harvester

import (
	"strings"
	"testing"
)

func TestNormalizeTitle(t *testing.T) {
	tests := []struct{ title, feed, want string }{
		{"Zero Trust in Practice", "", "zero trust in practice"},
		{"  Zero   TRUST\tin practice ", "", "zero trust in practice"},
		{"“Zero-Trust” in Practice!", "", "zero trust in practice"},
		{"Zero Trust — in Practice", "", "zero trust in practice"},
		{"Café déjà vu", "", "café déjà vu"},
		{"Zero Trust in Practice | Priya's Blog", "Priya’s blog", "zero trust in practice"},
		{"Zero Trust in Practice - Priya's Blog", "Priya's Blog", "zero trust in practice"},
		{"Zero Trust in Practice — Priya's Blog", "Priya's Blog", "zero trust in practice"},
		{"Zero Trust in Practice | Part 2", "Priya's Blog", "zero trust in practice part 2"},
		{"Zero Trust in Practice | Priya's Blog", "", "zero trust in practice priya s blog"},
		{"| Priya's Blog", "Priya's Blog", "priya s blog"},
		{"C# 12 - what's new?", "", "c 12 what s new"},
		{"", "x", ""},
	}
	for _, tt := range tests {
		if got := NormalizeTitle(tt.title, tt.feed); got != tt.want {
			t.Errorf("NormalizeTitle(%q, %q) = %q, want %q", tt.title, tt.feed, got, tt.want)
		}
	}
}

func TestContainsWords(t *testing.T) {
	tests := []struct {
		long, short string
		want        bool
	}{
		{"cloud summit 2025 zero trust in practice", "zero trust in practice", true},
		{"zero trust in practice", "zero trust in practice", true},
		{"cloud summit zero trust", "zero trust", false}, // two words say too little
		{"cloud summit episode 12", "episode 12", false},
		{"", "zero trust in practice", false},
		{"zero trust in practice", "", false},
		{"azero trust in practice", "zero trust in practice", false},
		{"zero trust in practices", "zero trust in practice", false},
		{"a zero trust in b zero trust in practice", "zero trust in practice", true},
	}
	for _, tt := range tests {
		if got := containsWords(tt.long, tt.short); got != tt.want {
			t.Errorf("containsWords(%q, %q) = %v", tt.long, tt.short, got)
		}
	}
}

func TestDisplayTitle(t *testing.T) {
	tests := []struct{ title, feed, want string }{
		{"Zero Trust in Practice | Priya's Blog", "Priya's Blog", "Zero Trust in Practice"},
		{"Zero Trust in Practice · DEV Community", "DEV Community", "Zero Trust in Practice"},
		{"Zero Trust - in Practice - Priya’s blog", "Priya's Blog", "Zero Trust - in Practice"},
		{"Zero Trust in Practice | Part 2", "Priya's Blog", "Zero Trust in Practice | Part 2"},
		{"Priya's Blog", "Priya's Blog", "Priya's Blog"},
		{"Zero Trust in Practice", "", "Zero Trust in Practice"},
	}
	for _, tt := range tests {
		if got := DisplayTitle(tt.title, tt.feed); got != tt.want {
			t.Errorf("DisplayTitle(%q, %q) = %q, want %q", tt.title, tt.feed, got, tt.want)
		}
	}
}

func TestTitleQualifies(t *testing.T) {
	tests := []struct {
		title string
		want  bool
	}{
		{"", false},
		{"hello", false},
		{"fix typo", false},
		{"untitled", false},
		{"untitled session", false},
		{"episode 1", false},
		{"episode 12 part 2", false},
		{"weekly update 2025 04", false},
		{"live stream with friends", false}, // one informative word
		{"kubernetesobservability", false},
		{"fix typo in docs", true},
		{"zero trust in practice", true},
		{"episode 12 zero trust", true},
		{"c 12 what s new", true},
	}
	for _, tt := range tests {
		if got := titleQualifies(tt.title); got != tt.want {
			t.Errorf("titleQualifies(%q) = %v, want %v", tt.title, got, tt.want)
		}
	}
}

func FuzzNormalizeTitle(f *testing.F) {
	for _, s := range []string{"Zero Trust in Practice | Priya's Blog", "“Zero-Trust” — in practice!", "Café déjà vu",
		"İSTANBUL ǅ ß", "\xff\xfe broken", "a | b | c", "Cloud Summit 2025: Zero Trust in Practice"} {
		f.Add(s, "Priya's Blog")
	}
	f.Fuzz(func(t *testing.T, title, feed string) {
		n := NormalizeTitle(title, feed)
		if again := NormalizeTitle(n, ""); again != n {
			t.Fatalf("NormalizeTitle(%q, %q) = %q, not idempotent: %q", title, feed, n, again)
		}
		if strings.HasPrefix(n, " ") || strings.HasSuffix(n, " ") || strings.Contains(n, "  ") {
			t.Fatalf("NormalizeTitle(%q, %q) = %q: spaces not collapsed", title, feed, n)
		}
		if n != "" && !containsSeq(n, n) {
			t.Fatalf("%q does not contain itself", n)
		}
		_ = DisplayTitle(title, feed)
	})
}
