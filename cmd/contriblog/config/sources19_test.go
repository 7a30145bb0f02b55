package config

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// TestStackExchangeAndPackagesKeys: the two types' keys are read with
// their defaults; a user that is no number says where to find it; npm and
// nuget take a list (or one name), each entry checked.
func TestStackExchangeAndPackagesKeys(t *testing.T) {
	opts := Options{Getenv: func(k string) string { return map[string]string{"SE_KEY": "se-app-key-123"}[k] },
		Now: func() time.Time { return time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC) }}
	src := "person: Ann\nsources:\n" +
		"  - {name: so, type: stackexchange, user: \"4211\", key: \"${SE_KEY}\"}\n" +
		"  - {name: su, type: stackexchange, site: superuser, user: 17, group: answer}\n" +
		"  - {name: libs, type: packages, npm: [\"@ann/kit\", left-pad], nuget: Ann.Lib}\n"
	cfg, err := Parse([]byte(src), "contriblog.yaml", opts)
	if err != nil {
		t.Fatal(err)
	}
	so, su, libs := cfg.Sources[0], cfg.Sources[1], cfg.Sources[2]
	if so.Values.String("site") != "stackoverflow" || so.Values.String("group") != "month" || so.Values.String("key") != "se-app-key-123" ||
		so.Values.String("base_url") != "https://api.stackexchange.com/2.3" || so.Activity != "Online Support" {
		t.Errorf("so: %+v", so)
	}
	if su.Values.String("site") != "superuser" || su.Values.String("group") != "answer" || su.Values.String("user") != "17" {
		t.Errorf("su: %+v", su)
	}
	if !slices.Equal(libs.Values.List("npm"), []string{"@ann/kit", "left-pad"}) || !slices.Equal(libs.Values.List("nuget"), []string{"Ann.Lib"}) ||
		libs.Activity != "Open Source/Project/Sample code/Tools" {
		t.Errorf("libs: %+v", libs)
	}
	if !cfg.Secrets.Contains("x se-app-key-123 y") {
		t.Error("the key is no secret")
	}
	if libs.Fingerprint() == "" || so.Fingerprint() == su.Fingerprint() {
		t.Error("fingerprints")
	}

	for _, tc := range []struct{ entry, want string }{
		{"{name: so, type: stackexchange, user: priya}", "contriblog.yaml:3: sources[0].user: user is the numeric id of your profile: the number in its address, https://stackoverflow.com/users/ID/your-name: \"priya\""},
		{"{name: so, type: stackexchange}", "sources[0].user: user is required for a stackexchange source"},
		{"{name: so, type: stackexchange, user: 1, group: week}", "sources[0].group: group is answer (a row per answer) or month"},
		{"{name: so, type: stackexchange, user: 1, site: \"Stack Overflow\"}", "sources[0].site: not a Stack Exchange site"},
		{"{name: p, type: packages, npm: [ok, \"Bad Name\"]}", `sources[0].npm[1]: not an npm package name (lowercase letters, digits, - . _ ~, optionally @scope/): "Bad Name"`},
		{"{name: p, type: packages, nuget: [\"a/b\"]}", `sources[0].nuget[0]: not a NuGet package id`},
		{"{name: p, type: packages, npm: {a: b}}", `sources[0].npm: expected a list`},
	} {
		_, err := Parse([]byte("person: Ann\nsources:\n  - "+tc.entry+"\n"), "contriblog.yaml", opts)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v\nwant %q", tc.entry, err, tc.want)
		}
	}
}
