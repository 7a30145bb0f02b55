package main

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Distinctive secrets: any of them anywhere in an output, an export or the
// database file is a leak.
const (
	secretGHToken  = "ghp_Zq7SECRETtokenVALUE0123456789abcd"
	secretFeedUser = "feeduserXq9"
	secretFeedPass = "PaSsW0rdXyZ42"
	secretQuery    = "tOkEnQuErY987"
)

// TestSecretsNeverShown configures a GitHub token from ${GH_TOKEN} and
// HTTP sources whose URLs carry user:pass@ and ?token=, served by servers
// that fail in various ways (one echoes the Authorization header back) or
// succeed with relative links and no item URLs of their own. No secret may
// appear in harvest -v's output, in sources, list, any export, or in the
// raw bytes of the database file.
func TestSecretsNeverShown(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"GH_TOKEN": secretGHToken}
	cred := func(base, path string) string {
		return strings.Replace(base, "http://", "http://"+secretFeedUser+":"+secretFeedPass+"@", 1) +
			path + "?page=1&token=" + secretQuery
	}
	gh401 := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"}`)
	})
	ghEcho := serve(t, func(w http.ResponseWriter, r *http.Request) {
		// A broken proxy that quotes the request back, credentials and all.
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{"message":"bad request with `+r.Header.Get("Authorization")+` for `+r.URL.String()+`"}`)
	})
	redirect := serve(t, func(w http.ResponseWriter, r *http.Request) {
		// Loops, carrying the token in every Location.
		http.Redirect(w, r, r.URL.Path+"x?token="+secretQuery, http.StatusFound)
	})
	okFeed := serve(t, body("application/rss+xml", `<?xml version="1.0"?>
<rss version="2.0"><channel><title>Private feed</title>
<item><title>Relative link post</title><link>/posts/1</link><guid isPermaLink="false">p1</guid><pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate></item>
<item><title>Fragment link post</title><link>#two</link><guid isPermaLink="false">p2</guid><pubDate>Tue, 03 Mar 2026 10:00:00 GMT</pubDate></item>
</channel></rss>`))
	okICS := serve(t, body("text/calendar", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"+
		"BEGIN:VEVENT\r\nUID:cal1@test\r\nDTSTART:20260310T180000Z\r\nSUMMARY:Private meetup talk\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"))
	okSessionize := serve(t, body("application/json", `{"sessions":[{"id":"1","title":"Private conference talk","startsAt":"2026-04-10T10:00:00",
"speakers":["s1"],"roomId":1,"recordingUrl":null,"liveUrl":null}],
"speakers":[{"id":"s1","fullName":"Test Person","sessions":[1]}],"rooms":[{"id":1,"name":"Main"}],"categories":[]}`))

	sources := []struct{ name, yaml string }{
		{"gh-401", "    type: github\n    user: someone\n    token: ${GH_TOKEN}\n    base_url: " + gh401 + "/\n"},
		{"gh-echo", "    type: github\n    user: someone\n    token: ${GH_TOKEN}\n    base_url: " + ghEcho + "/\n"},
		{"feed-401", "    type: feed\n    url: \"" + cred(serve(t, status(401, "")), "/feed.xml") + "\"\n"},
		{"feed-500", "    type: feed\n    url: \"" + cred(serve(t, status(500, "")), "/feed.xml") + "\"\n"},
		{"feed-redirect", "    type: feed\n    url: \"" + cred(redirect, "/feed.xml") + "\"\n"},
		{"feed-html", "    type: feed\n    url: \"" + cred(serve(t, body("text/html", htmlPage)), "/") + "\"\n"},
		{"feed-malformed", "    type: feed\n    url: \"" + cred(serve(t, body("application/rss+xml", "<rss><channel><<<")), "/feed.xml") + "\"\n"},
		{"feed-refused", "    type: feed\n    url: \"" + cred(closedPort(t), "/feed.xml") + "\"\n"},
		{"feed-ok", "    type: feed\n    url: \"" + cred(okFeed, "/feed.xml") + "\"\n"},
		{"ics-ok", "    type: ics\n    url: \"" + cred(okICS, "/cal.ics") + "\"\n"},
		{"ics-404", "    type: ics\n    url: \"" + cred(serve(t, http.NotFound), "/cal.ics") + "\"\n"},
		{"sessionize-ok", "    type: sessionize\n    speaker: Test Person\n    url: \"" + cred(okSessionize, "/view/All") + "\"\n"},
		{"sessionize-500", "    type: sessionize\n    speaker: Test Person\n    url: \"" + cred(serve(t, status(500, "")), "/view/All") + "\"\n"},
	}
	var cfg strings.Builder
	cfg.WriteString("person: Test Person\ndatabase: ./contriblog.db\nsince: 2020-01-01\ntimezone: UTC\nsources:\n")
	for _, s := range sources {
		cfg.WriteString("  - name: " + s.name + "\n" + s.yaml)
	}
	cfgPath := filepath.Join(dir, "contriblog.yaml")
	if err := os.WriteFile(cfgPath, []byte(cfg.String()), 0o600); err != nil {
		t.Fatal(err)
	}

	var outputs []string
	check := func(what string, args ...string) string {
		t.Helper()
		code, out, stderr := run(t, env, append([]string{"-c", cfgPath}, args...)...)
		t.Logf("%s: exit %d", what, code)
		noSecret(t, what+" stdout", out)
		noSecret(t, what+" stderr", stderr)
		outputs = append(outputs, out+stderr)
		return out + stderr
	}
	harvest := check("harvest -v", "harvest", "-v")
	for _, s := range sources {
		if !strings.Contains(harvest, s.name) {
			t.Errorf("harvest output does not mention %s", s.name)
		}
	}
	check("second harvest -v", "harvest", "-v") // conditional requests, states read back
	check("sources", "sources")
	check("list", "list", "--all")
	check("validate", "validate")
	for _, format := range []string{"csv", "json", "md"} {
		exp := check("export "+format, "export", "--format", format, "--all")
		for _, title := range []string{"Relative link post", "Private meetup talk", "Private conference talk"} {
			if !strings.Contains(exp, title) {
				t.Errorf("export %s lacks %q", format, title)
			}
		}
		outFile := filepath.Join(dir, "out."+format)
		check("export -o "+format, "export", "--format", format, "-o", outFile)
		b, err := os.ReadFile(outFile)
		if err != nil {
			t.Fatal(err)
		}
		noSecret(t, "export file "+format, string(b))
	}
	raw, err := os.ReadFile(filepath.Join(dir, "contriblog.db"))
	if err != nil {
		t.Fatal(err)
	}
	noSecret(t, "database file", string(raw))
	if t.Failed() {
		t.Logf("outputs:\n%s", strings.Join(outputs, "\n----\n"))
	}
}

// TestLiteralTokenWarned checks, end to end, that a token written in the
// config file is warned about without being shown.
func TestLiteralTokenWarned(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "contriblog.yaml")
	os.WriteFile(cfgPath, []byte("person: Test Person\ndatabase: ./contriblog.db\nsources:\n"+
		"  - name: gh\n    type: github\n    user: someone\n    token: "+secretGHToken+"\n"), 0o600)
	code, out, stderr := run(t, nil, "-c", cfgPath, "validate")
	if code != 0 {
		t.Fatalf("validate exit %d\n%s%s", code, out, stderr)
	}
	if !strings.Contains(stderr, "contriblog.yaml:7") || !strings.Contains(stderr, "the token is written in the config file") {
		t.Errorf("no warning about the literal token:\n%s", stderr)
	}
	noSecret(t, "validate", out+stderr)
}

func noSecret(t *testing.T, what, s string) {
	t.Helper()
	for _, secret := range []string{secretGHToken, secretFeedUser, secretFeedPass, secretQuery} {
		if i := strings.Index(s, secret); i >= 0 {
			t.Errorf("%s shows the secret %q: …%s…", what, secret, s[max(0, i-120):min(len(s), i+len(secret)+40)])
		}
	}
}
