package config

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestExpand(t *testing.T) {
	env := testEnv("USER_NAME", "Ann", "TOKEN", "t0k$n", "EMPTY", "")
	tests := []struct {
		in, want string
		vars     []string
		problems []string
	}{
		{"plain", "plain", nil, nil},
		{"${USER_NAME}", "Ann", []string{"USER_NAME"}, nil},
		{"Dr ${USER_NAME}!", "Dr Ann!", []string{"USER_NAME"}, nil},
		{"${USER_NAME}${USER_NAME}", "AnnAnn", []string{"USER_NAME", "USER_NAME"}, nil},
		{"${TOKEN}", "t0k$n", []string{"TOKEN"}, nil}, // a $ in a value is not expanded again
		{"cost $$5", "cost $5", nil, nil},
		{"$${USER_NAME}", "${USER_NAME}", nil, nil},
		{"$5 and $HOME", "$5 and $HOME", nil, nil}, // only ${...} expands
		{"trailing $", "trailing $", nil, nil},
		{"${MISSING}", "", []string{"MISSING"}, []string{"environment variable MISSING is not set (or is empty)"}},
		{"${EMPTY}", "", []string{"EMPTY"}, []string{"environment variable EMPTY is not set (or is empty)"}},
		{"${USER_NAME", "", nil, []string{"unterminated ${ (write $$ for a literal $)"}},
		{"${}", "", nil, []string{"invalid variable reference ${}: a name is letters, digits and _ (write $$ for a literal $)"}},
		{"${A-B}", "", nil, []string{"invalid variable reference ${A-B}: a name is letters, digits and _ (write $$ for a literal $)"}},
	}
	for _, tc := range tests {
		got, vars, unset, probs := expand(tc.in, env)
		for _, name := range unset {
			probs = append(probs, unsetMessage(name))
		}
		if len(tc.problems) == 0 && got != tc.want {
			t.Errorf("expand(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if !reflect.DeepEqual(vars, tc.vars) || !reflect.DeepEqual(probs, tc.problems) {
			t.Errorf("expand(%q): vars %q problems %q, want %q %q", tc.in, vars, probs, tc.vars, tc.problems)
		}
	}
}

func TestExpandInConfig(t *testing.T) {
	const src = `
person: ${FIRST} ${LAST}
since: ${SINCE}
listen: ${HOST}:8787
sources:
  - name: ${NAME}
    type: ${TYPE}
    url: https://${DOMAIN}/feed?price=$$5
    priority: ${PRIO}
    enabled: ${ON}
    max_bytes: ${SIZE}
    match: ["${FIRST}", literal $$]
`
	cfg := mustParse(t, src, testOptions("FIRST", "Ann", "LAST", "Lee", "SINCE", "2025-06-01", "HOST", "127.0.0.1",
		"NAME", "blog", "TYPE", "feed", "DOMAIN", "ann.example", "PRIO", "7", "ON", "false", "SIZE", "2MB"))
	s := cfg.Sources[0]
	if cfg.Person != "Ann Lee" || cfg.Since.Format("2006-01-02") != "2025-06-01" || cfg.Listen != "127.0.0.1:8787" {
		t.Errorf("person %q since %s listen %q", cfg.Person, cfg.Since, cfg.Listen)
	}
	if s.Name != "blog" || s.Type != "feed" || s.Values.String("url") != "https://ann.example/feed?price=$5" || s.Priority != 7 ||
		s.Enabled || s.Values.Size("max_bytes") != 2_000_000 || !reflect.DeepEqual(s.Match, []string{"Ann", "literal $"}) {
		t.Errorf("source = %#v", s)
	}
}

// TestSecretsStayOut checks that no error or warning ever shows a token
// or a value that came from the environment.
func TestSecretsStayOut(t *testing.T) {
	secrets := []string{"ghp_SECRETVALUE", "hunter2", "secret-host", "SECRETSCHED"}
	const src = `
listen: 0.0.0.0:8787
listen_token: "hunter2 hunter2"
schedule: ${SCHED}
sources:
  - {name: gh, type: github, user: a, token: "ghp_SECRETVALUE with space"}
  - {name: cal, type: ics, url: "${CAL_URL}"}
  - {name: feed, type: feed, url: "https://me:hunter2@", max_bytes: "${SIZE}"}
`
	env := testOptions("SCHED", "SECRETSCHED * * *", "CAL_URL", "ftp://secret-host/cal", "SIZE", "hunter2")
	_, err := Parse([]byte(src), "contriblog.yaml", env)
	if err == nil {
		t.Fatal("Parse succeeded")
	}
	for _, s := range secrets {
		if strings.Contains(err.Error(), s) {
			t.Errorf("error shows %q:\n%v", s, err)
		}
	}
	for _, want := range []string{"listen_token: the token contains white space", "sources[0].token: the token contains white space",
		`sources[1].url: not an absolute http(s) URL: "${CAL_URL}" (value from the environment not shown)`, "schedule: not a valid cron spec"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

func TestLiteralTokenWarnings(t *testing.T) {
	const src = `
person: A
listen: 127.0.0.1:8787
listen_token: literal-listen-secret
sources:
  - {name: gh, type: github, user: a, token: ghp_literal123}
  - {name: gh2, type: github, user: b, token: "${GH2}"}
`
	cfg := mustParse(t, src, testOptions("GH2", "ghp_fromenv"))
	if cfg.ListenToken != "literal-listen-secret" || cfg.Sources[0].Values.String("token") != "ghp_literal123" || cfg.Sources[1].Values.String("token") != "ghp_fromenv" {
		t.Errorf("tokens not read")
	}
	want := []string{
		"contriblog.yaml:4: listen_token: the token is written in the config file; write listen_token: ${VAR}",
		"contriblog.yaml:6: sources[0].token: the token is written in the config file; write token: ${VAR}",
	}
	if len(cfg.Warnings) != len(want) {
		t.Fatalf("Warnings = %q", cfg.Warnings)
	}
	for i, w := range want {
		w = strings.Replace(w, "contriblog.yaml", "/srv/cl/contriblog.yaml", 1)
		if !strings.HasPrefix(cfg.Warnings[i], w) {
			t.Errorf("warning %d = %q, want prefix %q", i, cfg.Warnings[i], w)
		}
		if strings.Contains(cfg.Warnings[i], "literal123") || strings.Contains(cfg.Warnings[i], "listen-secret") {
			t.Errorf("warning shows the token: %q", cfg.Warnings[i])
		}
	}
}

func TestOtherWarnings(t *testing.T) {
	const src = `
listen_token: ${T}
schedule: "@every 1m"
activity_types:
  - {name: Hackathon, family: events}
`
	cfg := mustParse(t, src, testOptions("T", "x"))
	want := []string{"/srv/cl/contriblog.yaml: sources: no sources are configured", "listen_token is set but listen is not",
		"harvesting every 1m is impolite to the sources; 5m or more", `family "events" is new`}
	if len(cfg.Warnings) != len(want) {
		t.Fatalf("Warnings = %q", cfg.Warnings)
	}
	for i, w := range want {
		if !strings.Contains(cfg.Warnings[i], w) {
			t.Errorf("warning %d = %q, want %q", i, cfg.Warnings[i], w)
		}
	}
}

// An unset ${VAR} in a source's own keys (a token, a secret calendar URL)
// does not fail the config: the source records it, and its UnsetError
// names the variable, the key and the line. Elsewhere it still fails the
// config.
func TestUnsetSourceVariables(t *testing.T) {
	src := "person: A\nsources:\n" +
		"  - {name: blog, type: feed, url: \"https://example.com/feed\"}\n" +
		"  - name: gh\n    type: github\n    user: priyar\n    token: ${GITHUB_TOKEN}\n" +
		"  - name: cal\n    type: ics\n    url: ${CAL_URL}\n"
	cfg := mustParse(t, src, testOptions())
	unset := map[string][]UnsetVar{}
	for _, s := range cfg.Sources {
		unset[s.Name] = s.Unset
	}
	want := map[string][]UnsetVar{"blog": nil,
		"gh":  {{Name: "GITHUB_TOKEN", Key: "sources[1].token", Line: 7}},
		"cal": {{Name: "CAL_URL", Key: "sources[2].url", Line: 10}}}
	if !reflect.DeepEqual(unset, want) {
		t.Fatalf("unset %+v, want %+v", unset, want)
	}
	err := cfg.Sources[1].UnsetError(cfg.Path)
	if !errors.Is(err, ErrUnsetVariable) || err.Error() != "environment variable GITHUB_TOKEN is not set (sources[1].token at /srv/cl/contriblog.yaml:7): set it, or comment out the key" {
		t.Errorf("UnsetError = %v", err)
	}
	if _, ok := cfg.Sources[2].Values["url"]; ok {
		t.Error("an unset url has a value")
	}
	all := cfg.UnsetVars()
	if all == nil || !strings.Contains(all.Error(), "contriblog.yaml:10: sources[2].url: environment variable CAL_URL is not set (or is empty): source cal fails until it is") {
		t.Errorf("UnsetVars = %v", all)
	}
	// Set, they are values as before.
	cfg = mustParse(t, src, testOptions("GITHUB_TOKEN", "ghp_x", "CAL_URL", "https://example.com/cal.ics"))
	if cfg.UnsetVars() != nil || cfg.Sources[1].UnsetError(cfg.Path) != nil || cfg.Sources[2].Values.String("url") != "https://example.com/cal.ics" {
		t.Errorf("with the variables set: %+v", cfg.Sources)
	}
}
