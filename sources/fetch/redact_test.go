package fetch_test

import (
	"strings"
	"testing"

	"github.com/contriblog/contriblog/sources/fetch"
)

// Secret calendar addresses: the address is the password, so the part
// that is the secret is masked and the rest (which server, which kind of
// link) stays readable.
func TestRedactSecretCalendarAddresses(t *testing.T) {
	tests := []struct{ in, want, secret string }{
		{"https://calendar.google.com/calendar/ical/priya%40example.com/private-0123456789abcdef0123456789abcdef/basic.ics",
			"https://calendar.google.com/calendar/ical/priya@example.com/private-***/basic.ics", "0123456789abcdef0123456789abcdef"},
		{"https://outlook.office365.com/owa/calendar/3f2b6c0e9d8a4b1c@contoso.com/a1b2c3d4e5f60718293a4b5c6d7e8f901234/calendar.ics",
			"https://outlook.office365.com/owa/calendar/***/***/calendar.ics", "a1b2c3d4e5f60718293a4b5c6d7e8f901234"},
		{"https://outlook.live.com/owa/calendar/00000000-0000-0000-0000-000000000000/7c1e2f33-4a5b-4c6d-8e9f-0a1b2c3d4e5f/cid-0123456789ABCDEF/calendar.ics",
			"https://outlook.live.com/owa/calendar/***/***/***/calendar.ics", "7c1e2f33-4a5b-4c6d-8e9f-0a1b2c3d4e5f"},
		{"webcal://p42-caldav.icloud.com/published/2/MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkw",
			"webcal://p42-caldav.icloud.com/published/2/***", "MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkw"},
		{"https://cal.example/feed/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.ics?x=1",
			"https://cal.example/feed/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.ics?x=1", ""}, // a dot: a file name
		{"https://cal.example/feed/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b/x.ics",
			"https://cal.example/feed/***/x.ics", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b"},
		{"https://cal.example/x.ics?k2=Zq7SECRETtokenVALUE0123&tz=UTC", "https://cal.example/x.ics?k2=***&tz=UTC", "Zq7SECRETtokenVALUE0123"},
		{"https://cal.example/x.ics?X-Amz-Signature=abc&tz=UTC", "https://cal.example/x.ics?X-Amz-Signature=***&tz=UTC", "abc"},
		{"https://cal.example/x#access_token=abcdef", "https://cal.example/x", "abcdef"},
		// What is not secret stays as it is: slugs, dates, ids.
		{"https://sessionize.com/api/v2/jl4ktls0/view/All", "https://sessionize.com/api/v2/jl4ktls0/view/All", ""},
		{"https://blog.example/2026/03/kubernetes-at-scale-in-2026-part-2", "https://blog.example/2026/03/kubernetes-at-scale-in-2026-part-2", ""},
	}
	for _, tt := range tests {
		got := fetch.Redact(tt.in)
		if got != tt.want {
			t.Errorf("Redact(%q)\n = %q\nwant %q", tt.in, got, tt.want)
		}
		if tt.secret != "" && strings.Contains(got, tt.secret) {
			t.Errorf("Redact(%q) shows %q", tt.in, tt.secret)
		}
		if (tt.secret != "" && !strings.Contains(tt.in, "#")) != fetch.SecretPath(tt.in) && !strings.Contains(tt.in, "?") {
			t.Errorf("SecretPath(%q) = %v", tt.in, fetch.SecretPath(tt.in))
		}
	}
}

func TestTokenLike(t *testing.T) {
	for s, want := range map[string]bool{
		"0123456789abcdef0123456789abcdef":        true,
		"windows11-24h2-upgrade-guide-for-admins": false,
		"cid-0123456789ABCDEF":                    false, // masked in Outlook links by position
		"7c1e2f33-4a5b-4c6d-8e9f-0a1b2c3d4e5f":    true,
		"ghp_Zq7SECRETtokenVALUE0123456789abc":    true,
		"kubernetes-at-scale-in-2026-part-2":      false,
		"2026-03-10-my-talk-at-the-meetup":        false,
		"short1a":                                 false,
		"contriblog-20261203-091500.db":           false,
		"abcdefghijklmnopqrstuvwxyzabcdef":        false,
	} {
		if got := fetch.TokenLike(s); got != want {
			t.Errorf("TokenLike(%q) = %v, want %v", s, got, want)
		}
	}
}

// Secrets masks every registered value wherever it is quoted: whole, in
// part (the token of a URL alone), URL- or JSON-escaped.
func TestSecretsRedact(t *testing.T) {
	const token = "0123456789abcdef0123456789abcdef"
	cal := "https://calendar.google.com/calendar/ical/priya%40example.com/private-" + token + "/basic.ics"
	var s fetch.Secrets
	s.AddURL(cal)
	s.Add("Zq7-listen-token-value", "***")
	s.Add("abc", "***") // too short to mask: ignored
	s.Add("https://cal.example/private/feed.ics?x=1&y=2", "${CAL_URL}")
	for _, text := range []string{
		"GET " + cal + ": 404",
		`{"url":"` + strings.ReplaceAll(cal, "&", `\u0026`) + `"}`,
		"the token " + token + " alone",
		"calendar.google.com/calendar/ical/priya@example.com/private-" + token,
		"Bearer Zq7-listen-token-value",
		"url=" + "https%3A%2F%2Fcal.example%2Fprivate%2Ffeed.ics%3Fx%3D1%26y%3D2",
		`"https://cal.example/private/feed.ics?x=1\u0026y=2"`,
	} {
		got := s.Redact(text)
		for _, secret := range []string{token, "Zq7-listen-token-value", "cal.example/private/feed", "cal.example%2Fprivate"} {
			if strings.Contains(got, secret) {
				t.Errorf("Redact(%q) = %q still shows %q", text, got, secret)
			}
		}
		if !s.Contains(text) {
			t.Errorf("Contains(%q) = false", text)
		}
	}
	if got := s.Redact("GET " + cal + ": 404"); got != "GET https://calendar.google.com/calendar/ical/priya@example.com/private-***/basic.ics: 404" {
		t.Errorf("the whole URL is not shown as Redact shows it: %q", got)
	}
	if got := s.Redact("abc: true"); got != "abc: true" {
		t.Errorf("a short value was masked: %q", got)
	}
	var none *fetch.Secrets
	if none.Redact("x") != "x" || none.Contains("x") {
		t.Error("a nil Secrets is not empty")
	}
}
