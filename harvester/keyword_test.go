package harvester

import (
	"testing"
	"time"
)

// Keywords match whole words (docs/configuration.md#keyword-matching).
func TestKeywordMatching(t *testing.T) {
	tests := []struct {
		kw, text string
		want     int
	}{
		{"go", "tickets go on sale today", 1}, // the word is there: whole words cannot tell the verb
		{"go", "going further", 0},
		{"go", "google cloud next", 0},
		{"go", "mongo and postgres", 0},
		{"go", "an algorithm a day", 0},
		{"go", "ergonomics", 0},
		{"go", "go 1.22 is out; go!", 2},
		{"go", "#go and (go) and go's", 3},
		{"go", "go1.22", 0},        // a digit continues the word
		{"go", "a go-to guide", 1}, // a hyphen separates words, as in zero-trust
		{"go", "go_test", 0},
		{"go", "", 0},
		{".net", "what's new in .net 9", 1},
		{".net", "asp.net core and vb.net", 2},
		{".net", "(.net)", 1},
		{".net", ".netstandard", 0},
		{".net", "dotnet", 0},
		{"c#", "c# 12 (c#). c#!", 3},
		{"c#", "abc# def", 0},
		{"c", "c# and c++", 0},
		{"c", "c/c++ and objective-c", 2},
		{"c++", "modern c++ tips, c++20", 2},
		{"c++", "cc++", 0},
		{"f#", "f# and c#", 1},
		{"node.js", "node.js 22 lts", 1},
		{"node.js", "nodejs", 0},
		{"node.js", "node.json", 0},
		{"zero trust", "zero trust in practice", 1},
		{"zero trust", "zero-trust and zero  trust", 2},
		{"Zero-Trust", "zero trust", 1},
		{"zero trust", "zero trustworthy", 0},
		{"zero trust", "nonzero trust", 0},
		{"zero trust", "zerotrust", 0},
		{"zero trust", "zero\ntrust", 0}, // a phrase does not run across fields
		{"conditional access", "conditional access policies", 1},
		{"caf", "café", 0},
		{"cafe", "cafe\u0301", 0}, // a decomposed accent is part of the word
		{"日本", "日本語", 0},
		{"日本", "東京 日本 大阪", 1},
		{"  ", "anything", 0},
		{"-", "a - b", 0},
	}
	for _, tt := range tests {
		got := 0
		if k, ok := compileKeyword(tt.kw); ok {
			got = k.count(tt.text)
		}
		if got != tt.want {
			t.Errorf("keyword %q in %q: %d matches, want %d", tt.kw, tt.text, got, tt.want)
		}
	}
}

// Through BuildLog: case does not matter, and a keyword inside a longer
// word tags nothing.
func TestKeywordsTagWholeWords(t *testing.T) {
	areas := []Area{{"Developer Tools", []string{"Go"}}, {".NET", []string{".NET", "C#"}}, {"Security", []string{"zero trust"}}}
	obs := []Observation{
		blogObs("blog", "1", "Going all in on Google Cloud", "https://priya.dev/1", 0),
		blogObs("blog", "2", "Why Go? Generics in GO 1.22", "https://priya.dev/2", 1),
		blogObs("blog", "3", "ASP.NET Core and C# 12 for Zero-Trust APIs", "https://priya.dev/3", 2),
		blogObs("blog", "4", "MongoDB algorithms", "https://priya.dev/4", 3),
	}
	log := BuildLog(obs, nil, LogOptions{Location: time.UTC, Areas: areas})
	want := map[string][2]any{
		"blog\x001": {"", 0},
		"blog\x002": {"Developer Tools", 0},
		"blog\x003": {".NET", 1},
		"blog\x004": {"", 0},
	}
	for key, w := range want {
		row := rowWith(t, log, key)
		if row.PrimaryArea != w[0] || len(row.AdditionalAreas) != w[1] {
			t.Errorf("%q: areas %q %v, want %q and %d more", row.Title, row.PrimaryArea, row.AdditionalAreas, w[0], w[1])
		}
	}
}
