package config

import (
	"errors"
	"strings"
	"testing"
)

// wantErr is one expected problem: its line, key path and a part of its
// message.
type wantErr struct {
	line int
	key  string
	msg  string
}

// feedSrc wraps one source entry's extra lines into a valid config.
func feedSrc(extra string) string {
	return "person: A\nsources:\n  - name: blog\n    type: feed\n    url: https://example.com/feed\n" + extra
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		env  []string
		want []wantErr
	}{
		{"syntax", "person: A\nsources:\n  - name: [x\n", nil,
			[]wantErr{{3, "", "invalid YAML: did not find expected ',' or ']'"}}},
		{"syntax in block", "person: A\nsources:\n  - name: a\n   type: feed\n", nil,
			[]wantErr{{3, "", "invalid YAML: did not find expected '-' indicator"}}},
		{"unquoted @", "person: A\nschedule: @every 6h\n", nil,
			[]wantErr{{2, "", `must be quoted, e.g. schedule: "@every 6h"`}}},
		{"empty", "# nothing\n", nil, []wantErr{{0, "", "the config is empty"}}},
		{"two documents", "person: A\n---\nperson: B\n", nil, []wantErr{{2, "", "more than one YAML document"}}},
		{"top is a list", "- a\n", nil, []wantErr{{1, "", "expected a mapping"}}},
		{"unknown top key", "persn: A\nsources: []\n", nil, []wantErr{{1, "persn", `unknown key "persn" (did you mean "person"?)`}}},
		{"unknown top key far off", "colour: blue\nsources: []\n", nil, []wantErr{{1, "colour", "valid keys here: person, database"}}},
		{"duplicate key", "person: A\nperson: B\nsources: []\n", nil, []wantErr{{2, "person", "duplicate key (first at line 1)"}}},
		{"wrong type", "person: [A, B]\nsources: []\n", nil, []wantErr{{1, "person", "expected a string, got a list"}}},
		{"sources not a list", "sources:\n  blog: {}\n", nil, []wantErr{{2, "sources", "expected a list, got a mapping"}}},
		{"source not a mapping", "sources:\n  - blog\n", nil, []wantErr{{2, "sources[0]", "expected a mapping (key: value lines), got a string"}}},
		{"unknown export key", "export:\n  path: x.csv\n  fromat: csv\nsources: []\n", nil,
			[]wantErr{{3, "export.fromat", `did you mean "format"?`}}},
		{"export format", "export: {format: xml}\nsources: []\n", nil, []wantErr{{1, "export.format", `expected one of csv, json, md, got "xml"`}}},
		{"key of another type", feedSrc("    speaker: Ann\n"), nil,
			[]wantErr{{6, "sources[0].speaker", `"speaker" does not apply to a feed source (only to sessionize)`}}},
		{"key of other types", "sources:\n  - {name: m, type: file, path: m.yaml, max_bytes: 1MB}\n", nil,
			[]wantErr{{2, "sources[0].max_bytes", "does not apply to a file source (only to feed, github, ics, sessionize, stackexchange, packages)"}}},
		{"unknown source key", feedSrc("    urll: https://x.example/\n"), nil,
			[]wantErr{{6, "sources[0].urll", `did you mean "url"?`}}},
		{"duplicate names", feedSrc("  - name: blog\n    type: ics\n    url: https://example.com/cal\n"), nil,
			[]wantErr{{6, "sources[1].name", `duplicate source name "blog" (first at line 3)`}}},
		{"bad name", "person: A\nsources:\n  - {name: My Blog, type: feed, url: \"https://e.com/f\"}\n", nil,
			[]wantErr{{3, "sources[0].name", `lowercase letters, digits and -, got "My Blog"`}}},
		{"missing name", "person: A\nsources:\n  - {type: feed, url: \"https://e.com/f\"}\n", nil,
			[]wantErr{{3, "sources[0].name", "name is required"}}},
		{"missing type", "person: A\nsources:\n  - {name: a, url: \"https://e.com/f\"}\n", nil,
			[]wantErr{{3, "sources[0].type", "type is required: one of feed, github, ics, sessionize, file, stackexchange, packages"}}},
		{"unknown type", "person: A\nsources:\n  - {name: a, type: rss, url: \"https://e.com/f\"}\n", nil,
			[]wantErr{{3, "sources[0].type", `unknown source type "rss": expected one of feed`}}},
		{"missing url", "person: A\nsources:\n  - {name: a, type: feed}\n", nil,
			[]wantErr{{3, "sources[0].url", "url is required for a feed source"}}},
		{"empty url", "person: A\nsources:\n  - {name: a, type: feed, url: \"\"}\n", nil,
			[]wantErr{{3, "sources[0].url", "url is required for a feed source"}}},
		{"missing user", "person: A\nsources:\n  - {name: a, type: github}\n", nil,
			[]wantErr{{3, "sources[0].user", "user is required for a github source"}}},
		{"missing speaker", "person: A\nsources:\n  - {name: a, type: sessionize, url: \"https://e.com/x\"}\n", nil,
			[]wantErr{{3, "sources[0].speaker", "speaker is required for a sessionize source"}}},
		{"missing path", "sources:\n  - name: a\n    type: file\n", nil,
			[]wantErr{{2, "sources[0].path", "path is required for a file source"}}},
		{"ftp url", feedSrc("  - {name: b, type: ics, url: \"ftp://x\"}\n"), nil,
			[]wantErr{{6, "sources[1].url", `not an absolute http(s) URL: "ftp://x"`}}},
		{"relative url", feedSrc("  - {name: b, type: ics, url: /cal.ics}\n"), nil,
			[]wantErr{{6, "sources[1].url", `not an absolute http(s) URL: "/cal.ics"`}}},
		{"url password redacted", feedSrc("  - {name: b, type: ics, url: \"ftp://me:hunter2@x/\"}\n"), nil,
			[]wantErr{{6, "sources[1].url", `"ftp://***@x/"`}}},
		{"bad base_url", "person: A\nsources:\n  - {name: gh, type: github, user: a, base_url: api.github.com}\n", nil,
			[]wantErr{{3, "sources[0].base_url", "not an absolute http(s) URL"}}},
		{"bad github user", "person: A\nsources:\n  - {name: gh, type: github, user: \"a b\"}\n", nil,
			[]wantErr{{3, "sources[0].user", `not a GitHub user name: "a b"`}}},
		{"bad cron", "schedule: \"every day\"\nsources: []\n", nil, []wantErr{{1, "schedule", `not a valid cron spec "every day"`}}},
		{"six fields", "schedule: \"0 0 6 * * *\"\nsources: []\n", nil, []wantErr{{1, "schedule", "expected exactly 5 fields"}}},
		{"cron tz panic", "schedule: CRON_TZ=Europe/Amsterdam\nsources: []\n", nil, []wantErr{{1, "schedule", "CRON_TZ=Zone prefix needs a space"}}},
		{"cron bad tz", "schedule: CRON_TZ=Mars/Base 0 6 * * *\nsources: []\n", nil, []wantErr{{1, "schedule", "bad location"}}},
		{"cron never", "schedule: \"0 0 30 2 *\"\nsources: []\n", nil, []wantErr{{1, "schedule", "never runs"}}},
		{"every zero", "schedule: \"@every 0s\"\nsources: []\n", nil, []wantErr{{1, "schedule", "the interval must be positive"}}},
		{"source cron", feedSrc("    schedule: \"61 * * * *\"\n"), nil, []wantErr{{6, "sources[0].schedule", "not a valid cron spec"}}},
		{"timezone", "timezone: Europe/Amsterdamm\nsources: []\n", nil, []wantErr{{1, "timezone", `unknown time zone "Europe/Amsterdamm"`}}},
		{"source timezone", feedSrc("    timezone: Nowhere\n"), nil, []wantErr{{6, "sources[0].timezone", "unknown time zone"}}},
		{"since format", "since: 01/04/2025\nsources: []\n", nil, []wantErr{{1, "since", `expected a date as YYYY-MM-DD, got "01/04/2025"`}}},
		{"since impossible", "since: 2025-02-30\nsources: []\n", nil, []wantErr{{1, "since", "no such day: 2025-02-30"}}},
		{"since no such month", "since: 2026-13-01\nsources: []\n", nil, []wantErr{{1, "since", "no such month: 2026-13-01"}}},
		{"listen no port", "listen: localhost\nsources: []\n", nil, []wantErr{{1, "listen", "expected host:port"}}},
		{"listen port range", "listen: 127.0.0.1:70000\nsources: []\n", nil, []wantErr{{1, "listen", "expected host:port"}}},
		{"listen public no token", "listen: 0.0.0.0:8787\nsources: []\n", nil, []wantErr{{1, "listen", "set listen_token"}}},
		{"listen all no token", "listen: \":8787\"\nsources: []\n", nil, []wantErr{{1, "listen", "set listen_token"}}},
		{"listen_token empty", "listen: 127.0.0.1:8787\nlisten_token: \"\"\nsources: []\n", nil,
			[]wantErr{{2, "listen_token", "the token is empty: write listen_token: ${VAR}"}}},
		{"listen_token null", "listen: 127.0.0.1:8787\nlisten_token:\nsources: []\n", nil,
			[]wantErr{{2, "listen_token", "the token is empty"}}},
		{"listen_token empty variable", "listen: 127.0.0.1:8787\nlisten_token: ${T}\nsources: []\n", []string{"T", ""},
			[]wantErr{{2, "listen_token", "environment variable T is not set (or is empty)"}}},
		{"listen_token blank variable", "listen_token: ${T}\nsources: []\n", []string{"T", "  "},
			[]wantErr{{1, "listen_token", "the token is empty"}}},
		{"backup keep negative", "backup:\n  keep: -1\nsources: []\n", nil,
			[]wantErr{{2, "backup.keep", "expected 0 (no backups) or more, got -1"}}},
		{"backup keep not a number", "backup: {keep: lots}\nsources: []\n", nil,
			[]wantErr{{1, "backup.keep", `expected a whole number, got "lots"`}}},
		{"backup keep huge", "backup: {keep: 99999999999}\nsources: []\n", nil,
			[]wantErr{{1, "backup.keep", "out of range"}}},
		{"backup unknown key", "backup:\n  keep: 3\n  dirr: /var/backups\nsources: []\n", nil,
			[]wantErr{{3, "backup.dirr", `unknown key "dirr" (did you mean "dir"?)`}}},
		{"backup unknown key far off", "backup: {colour: red}\nsources: []\n", nil,
			[]wantErr{{1, "backup.colour", "valid keys here: keep, dir"}}},
		{"backup not a mapping", "backup: 7\nsources: []\n", nil, []wantErr{{1, "backup", "expected a mapping"}}},
		{"backup dir not a string", "backup: {dir: [a, b]}\nsources: []\n", nil, []wantErr{{1, "backup.dir", "expected a string, got a list"}}},
		// Only a source's own keys (url, token, …) may wait for their
		// variable until the source is harvested (TestUnsetSourceVariables).
		{"missing variable in a common key", feedSrc("  - {name: gh, type: github, user: a, person: \"${WHO}\"}\n"), nil,
			[]wantErr{{6, "sources[1].person", "environment variable WHO is not set"}}},
		{"two missing variables", "person: ${FIRST} ${LAST}\nsources: []\n", nil,
			[]wantErr{{1, "person", "FIRST is not set"}, {1, "person", "LAST is not set"}}},
		{"unterminated variable", "person: ${FIRST\nsources: []\n", nil, []wantErr{{1, "person", "unterminated ${"}}},
		{"bad variable name", "person: ${1X}\nsources: []\n", nil, []wantErr{{1, "person", "invalid variable reference ${1X}"}}},
		{"expanded then typed", feedSrc("    priority: ${PRIO}\n"), []string{"PRIO", "high"},
			[]wantErr{{6, "sources[0].priority", `expected a whole number, got "${PRIO}" (value from the environment not shown)`}}},
		{"unknown activity", feedSrc("    activity: Blogging\n"), nil,
			[]wantErr{{6, "sources[0].activity", `unknown activity type "Blogging"; known types: Blog, Article,`}}},
		{"activity_types no family", "activity_types:\n  - name: Keynote\nsources: []\n", nil,
			[]wantErr{{2, "activity_types[0].family", `activity type "Keynote" needs a family`}}},
		{"activity_types no name", "activity_types:\n  - family: speaking\nsources: []\n", nil,
			[]wantErr{{2, "activity_types[0].name", "an activity type needs a name"}}},
		{"activity_types twice", "activity_types:\n  - {name: K, family: speaking}\n  - {name: k, family: writing}\nsources: []\n", nil,
			[]wantErr{{3, "activity_types[1].name", `activity type "k" is listed twice (first at line 2)`}}},
		{"activity_types unknown key", "activity_types:\n  - {name: K, family: speaking, colour: red}\nsources: []\n", nil,
			[]wantErr{{2, "activity_types[0].colour", `unknown key "colour"`}}},
		{"area without keywords", "areas:\n  Kubernetes:\nsources: []\n", nil,
			[]wantErr{{2, "areas.Kubernetes", `area "Kubernetes" has no keywords`}}},
		{"area empty list", "areas:\n  Identity & Access: []\nsources: []\n", nil,
			[]wantErr{{2, `areas["Identity & Access"]`, "has no keywords"}}},
		{"area keyword not a string", "areas:\n  Go: [go, {a: b}]\nsources: []\n", nil,
			[]wantErr{{2, "areas.Go[1]", "expected a string, got a mapping"}}},
		{"areas not a mapping", "areas: [go]\nsources: []\n", nil, []wantErr{{1, "areas", "expected a mapping"}}},
		{"max_bytes", feedSrc("    max_bytes: lots\n"), nil, []wantErr{{6, "sources[0].max_bytes", `expected a size such as 16MiB`}}},
		{"max_bytes unit", feedSrc("    max_bytes: 16XB\n"), nil, []wantErr{{6, "sources[0].max_bytes", `unknown unit "XB"`}}},
		{"max_wait", "person: A\nsources:\n  - {name: gh, type: github, user: a, max_wait: 5 minutes}\n", nil,
			[]wantErr{{3, "sources[0].max_wait", `expected a duration such as 5m`}}},
		{"enabled", feedSrc("    enabled: maybe\n"), nil, []wantErr{{6, "sources[0].enabled", `expected true or false, got "maybe"`}}},
		{"match not strings", feedSrc("    match: [{a: b}]\n"), nil, []wantErr{{6, "sources[0].match[0]", "expected a string, got a mapping"}}},
		{"match empty entry", feedSrc("    match: [Ann, \"\"]\n"), nil, []wantErr{{6, "sources[0].match[1]", "empty entry"}}},
		{"several at once", "persn: A\nsources:\n  - {name: a, type: feed}\n  - {name: a, type: ics, url: \"ftp://x\"}\n", nil,
			[]wantErr{{1, "persn", "unknown key"}, {3, "sources[0].url", "required"}, {4, "sources[1].url", "not an absolute"}, {4, "sources[1].name", "duplicate"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.src), "contriblog.yaml", testOptions(tc.env...))
			got := configErrors(t, err)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d errors, want %d:\n%v", len(got), len(tc.want), err)
			}
			for i, w := range tc.want {
				g := got[i]
				if g.File != "contriblog.yaml" || g.Line != w.line || g.Key != w.key || !strings.Contains(g.Msg, w.msg) {
					t.Errorf("error %d = %q\n  (file %q line %d key %q)\nwant line %d key %q msg containing %q",
						i, g.Error(), g.File, g.Line, g.Key, w.line, w.key, w.msg)
				}
			}
		})
	}
}

// configErrors unpacks Parse's joined error into its *Error parts.
func configErrors(t *testing.T, err error) []*Error {
	t.Helper()
	if err == nil {
		t.Fatal("Parse succeeded, want errors")
	}
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		t.Fatalf("error %T is not joined", err)
	}
	var out []*Error
	for _, e := range joined.Unwrap() {
		var ce *Error
		if !errors.As(e, &ce) {
			t.Fatalf("error %T (%v) is not a *Error", e, e)
		}
		out = append(out, ce)
	}
	return out
}

func TestErrorFormat(t *testing.T) {
	for _, tc := range []struct {
		err  Error
		want string
	}{
		{Error{File: "contriblog.yaml", Line: 12, Key: "sources[2].url", Msg: `not an absolute http(s) URL: "ftp://x"`},
			`contriblog.yaml:12: sources[2].url: not an absolute http(s) URL: "ftp://x"`},
		{Error{File: "c.yaml", Line: 3, Msg: "invalid YAML: x"}, "c.yaml:3: invalid YAML: x"},
		{Error{File: "c.yaml", Msg: "no such config file"}, "c.yaml: no such config file"},
	} {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
	}
}
