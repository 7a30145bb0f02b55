package config

import (
	"strings"
	"testing"
)

// TestPlainHTTPSecretWarnings: validate warns about a secret that fetch
// will refuse to send (plain http:// to another machine), naming the key
// and host and never the secret.
func TestPlainHTTPSecretWarnings(t *testing.T) {
	for _, tc := range []struct {
		name, source, want string // want "" is no warning
	}{
		{"github token over http", "{name: gh, type: github, user: a, token: \"${GH}\", base_url: \"http://ghe.example.com/api/v3\"}",
			"contriblog.yaml:3: sources[0].base_url: plain http:// to ghe.example.com, which is not this machine: contriblog will not send the token over it, so this source will fail; use https://"},
		{"github base_url from the environment", "{name: gh, type: github, user: a, token: \"${GH}\", base_url: \"${GHE}\"}",
			"sources[0].base_url: plain http:// to a host (value from the environment not shown)"},
		{"feed password over http", "{name: f, type: feed, url: \"http://priya:hunter2@feeds.example.com/f\"}",
			"sources[0].url: plain http:// to feeds.example.com, which is not this machine: contriblog will not send the user:password in the URL over it"},
		{"github anonymous over http", "{name: gh, type: github, user: a, base_url: \"http://ghe.example.com/api/v3\"}", ""},
		{"github token over https", "{name: gh, type: github, user: a, token: \"${GH}\", base_url: \"https://ghe.example.com/api/v3\"}", ""},
		{"github token to loopback", "{name: gh, type: github, user: a, token: \"${GH}\", base_url: \"http://127.0.0.1:8080/api/v3\"}", ""},
		{"feed over http without password", "{name: f, type: feed, url: \"http://feeds.example.com/f\"}", ""},
		{"feed password over https", "{name: f, type: ics, url: \"https://priya:hunter2@cal.example.com/c.ics\"}", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := "person: A\nsources:\n  - " + tc.source + "\n"
			cfg := mustParse(t, src, testOptions("GH", "ghp_SECRET", "GHE", "http://secret-host.example/api"))
			var got []string
			for _, w := range cfg.Warnings {
				if strings.Contains(w, "plain http") {
					got = append(got, w)
				}
				if strings.Contains(w, "ghp_SECRET") || strings.Contains(w, "hunter2") || strings.Contains(w, "secret-host") {
					t.Errorf("warning shows a secret: %q", w)
				}
			}
			switch {
			case tc.want == "" && len(got) > 0:
				t.Errorf("warnings %q, want none", got)
			case tc.want != "" && (len(got) != 1 || !strings.Contains(got[0], tc.want)):
				t.Errorf("warnings %q, want one containing %q", got, tc.want)
			}
		})
	}
}
