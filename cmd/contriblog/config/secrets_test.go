package config

import (
	"reflect"
	"strings"
	"testing"
)

// TestSecretsKnown: the config knows its secrets — every value from
// ${VAR} (outside the keys that are never secret), tokens written in the
// file, the secret parts of URLs — and masks them, while what is printed
// everywhere (person, names, short values) stays as it is.
func TestSecretsKnown(t *testing.T) {
	const (
		calToken = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
		calURL   = "https://calendar.google.com/calendar/ical/me%40example.com/private-" + calToken + "/basic.ics"
	)
	src := `person: ${ME}
database: ${DATA}/contriblog.db
listen: 127.0.0.1:8787
listen_token: ${LISTEN}
sources:
  - name: talks
    type: ics
    url: ${CAL}
  - name: group
    type: ics
    url: https://group.example/cal.ics?token=${GROUP_TOKEN}
    match: ["${TOPIC}", "${LONG_TOPIC}"]
  - name: literal
    type: ics
    url: "https://u:pa55word@cal.example/x.ics"
  - name: gh
    type: github
    user: someone
    token: ghp_literalTOKENvalue1234
`
	cfg := mustParse(t, src, testOptions("ME", "Priya Raman", "DATA", "/srv/data-dir", "LISTEN", "listen-secret-42",
		"CAL", calURL, "GROUP_TOKEN", "gtok99", "TOPIC", "azure", "LONG_TOPIC", "kubernetes-operators"))
	s := cfg.Secrets
	for _, secret := range []string{calToken, calURL, "listen-secret-42", "gtok99", "pa55word", "ghp_literalTOKENvalue1234",
		"kubernetes-operators", "/srv/data-dir"} {
		if got := s.Redact("x " + secret + " y"); strings.Contains(got, secret) {
			t.Errorf("%q is not masked: %q", secret, got)
		}
	}
	for _, shown := range []string{"Priya Raman", "azure", "talks", "127.0.0.1:8787", "group.example"} {
		if got := s.Redact("x " + shown + " y"); got != "x "+shown+" y" {
			t.Errorf("%q is masked: %q", shown, got)
		}
	}
	if got := s.Redact("GET " + calURL); got != "GET https://calendar.google.com/calendar/ical/me@example.com/private-***/basic.ics" {
		t.Errorf("the calendar address is shown as %q", got)
	}
	if got := s.Redact("match kubernetes-operators"); got != "match ${LONG_TOPIC}" {
		t.Errorf("a value from the environment is shown as %q, want its variable", got)
	}
}

// TestSourceTargetAudience: target_audience is a list of strings (one
// string is a list of one) for every source type; anything else is a
// config error that says what an audience is.
func TestSourceTargetAudience(t *testing.T) {
	cfg := mustParse(t, `person: A
sources:
  - {name: blog, type: feed, url: "https://e.com/f", target_audience: [Developers, IT Pros, developers]}
  - {name: cal, type: ics, url: "https://e.com/c.ics", target_audience: Students}
  - {name: m, type: file, path: m.yaml, target_audience: ["${AUD}"]}
  - {name: gh, type: github, user: x, target_audience: []}
`, testOptions("AUD", "Data Scientists"))
	want := [][]string{{"Developers", "IT Pros"}, {"Students"}, {"Data Scientists"}, nil}
	for i, s := range cfg.Sources {
		if !reflect.DeepEqual(s.TargetAudience, want[i]) {
			t.Errorf("%s: target audience %q, want %q", s.Name, s.TargetAudience, want[i])
		}
	}
	for _, tt := range []struct{ value, key, msg string }{
		{"{dev: 1}", "sources[0].target_audience", "target_audience is a list of audiences such as [Developers, IT Pros], got a mapping"},
		{"42", "sources[0].target_audience", "this entry is a number (quote it if it is a name)"},
		{"[Developers, [a, b]]", "sources[0].target_audience[1]", "this entry is a list"},
		{"[Developers, true]", "sources[0].target_audience[1]", "this entry is a boolean"},
		{"[Developers, ~]", "sources[0].target_audience[1]", "empty entry"},
	} {
		_, err := Parse([]byte(feedSrc("    target_audience: "+tt.value+"\n")), "contriblog.yaml", testOptions())
		errs := configErrors(t, err)
		if len(errs) != 1 || errs[0].Line != 6 || errs[0].Key != tt.key || !strings.Contains(errs[0].Msg, tt.msg) {
			t.Errorf("target_audience: %s: %v; want line 6, key %s, %q", tt.value, err, tt.key, tt.msg)
		}
	}
}
