package fetch

import (
	"errors"
	"net/url"
	"strings"
)

// secretParams are query parameters whose values are credentials.
var secretParams = []string{"token", "access_token", "api_key", "apikey", "key", "secret", "password", "passwd", "pwd",
	"sig", "signature", "auth", "client_secret", "credential", "credentials", "private", "privatekey", "session", "sid", "ticket", "code"}

// masked stands for a secret in a URL shown in a message.
const masked = "***"

// Redact masks the secret parts of a URL, for logs and errors: user:pass@,
// the values of secret-looking query parameters (by name, or a value that
// looks like a random token), and the secret parts of calendar links that
// are addresses and passwords at once (docs/security.md#what-is-redacted):
// Google's .../private-<hex>/basic.ics, Outlook's published
// .../owa/calendar/<id>/<token>/calendar.ics, iCloud's
// .../published/2/<token>, and any other path segment that looks like a
// random token. What is left shows which server and which kind of link.
func Redact(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "(unparseable URL)"
	}
	if u.User != nil {
		u.User = url.User(masked)
	}
	scrubQuery(u, true, func(q url.Values, k string) { q.Set(k, masked) })
	if segs, changed := maskPath(u.EscapedPath()); changed {
		u.RawPath = ""
		u.Path = strings.Join(segs, "/")
	}
	u.Fragment, u.RawFragment = "", ""
	// The mask reads as *** (url.URL would write %2A%2A%2A): this is a
	// URL to read, never to fetch.
	return strings.ReplaceAll(u.String(), "%2A%2A%2A", masked)
}

// Public drops user:pass@ and the secret-looking query parameters (names
// and values) from a URL, for URLs that are stored and exported: the
// base that relative links resolve against. An unparseable URL gives "".
// It keeps the path, which links resolve against: a URL whose path is a
// secret (SecretPath) is no public link at all.
func Public(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	u.User = nil
	// By name only: a public link's long id (?id=5f3a…) is what tells
	// two items apart.
	scrubQuery(u, false, url.Values.Del)
	return u.String()
}

// SecretPath reports whether the path of rawURL holds a secret that
// Redact masks (a private calendar address, a token segment).
func SecretPath(rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil {
		return false
	}
	_, changed := maskPath(u.EscapedPath())
	return changed
}

// maskPath returns the path's segments, unescaped, with the secret ones
// masked, and whether any was.
func maskPath(escaped string) ([]string, bool) {
	segs := strings.Split(escaped, "/")
	changed := false
	for i := range segs {
		if s, err := url.PathUnescape(segs[i]); err == nil {
			segs[i] = s
		}
	}
	for i, s := range segs {
		m := maskSegment(segs, i)
		if m != s {
			segs[i], changed = m, true
		}
	}
	return segs, changed
}

// maskSegment is segs[i], or its mask when it is secret.
func maskSegment(segs []string, i int) string {
	s := segs[i]
	switch {
	case len(s) > len("private-") && strings.EqualFold(s[:len("private-")], "private-"):
		return "private-" + masked // Google's secret address
	case i < len(segs)-1 && after(segs[:i], "owa", "calendar"):
		return masked // Outlook: the mailbox's id and the calendar's token
	case s != "" && i >= 2 && strings.EqualFold(segs[i-2], "published"):
		return masked // iCloud's shared calendar
	case TokenLike(s):
		return masked
	}
	return s
}

// after reports whether the segments before hold a followed by b.
func after(before []string, a, b string) bool {
	for j := 0; j+1 < len(before); j++ {
		if strings.EqualFold(before[j], a) && strings.EqualFold(before[j+1], b) {
			return true
		}
	}
	return false
}

// TokenLike reports whether s looks like a random token rather than a
// word, a slug, a date or a file name: at least 20 characters of letters,
// digits, _ and -, one run of which (between _ and -) is at least 8
// characters long and switches between letters and digits at least three
// times (a hex or base64 token, a UUID), which words and numbers, and
// slugs made of them, do not.
func TokenLike(s string) bool {
	if len(s) < 20 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isAlnum(c) && c != '_' && c != '-' {
			return false
		}
	}
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == '_' || r == '-' }) {
		switches := 0
		for i := 1; i < len(part); i++ {
			if isDigit(part[i]) != isDigit(part[i-1]) {
				switches++
			}
		}
		if len(part) >= 8 && switches >= 3 {
			return true
		}
	}
	return false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isAlnum(c byte) bool { return isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// scrubQuery applies scrub to every parameter of u's query named like a
// secret, and with byValue to every one whose value looks like a token.
func scrubQuery(u *url.URL, byValue bool, scrub func(q url.Values, k string)) {
	if u.RawQuery == "" {
		return
	}
	q := u.Query()
	changed := false
	for k, vs := range q {
		if secretParam(k) || byValue && anyTokenLike(vs) {
			scrub(q, k)
			changed = true
		}
	}
	if changed {
		u.RawQuery = q.Encode()
	}
}

func anyTokenLike(vs []string) bool {
	for _, v := range vs {
		if TokenLike(v) {
			return true
		}
	}
	return false
}

func secretParam(k string) bool {
	lk := strings.ToLower(k)
	for _, s := range secretParams {
		if lk == s || strings.HasSuffix(lk, "_"+s) || strings.HasSuffix(lk, "-"+s) ||
			strings.HasSuffix(lk, "token") || strings.HasSuffix(lk, "signature") {
			return true
		}
	}
	return false
}

// redactErr replaces the raw URL inside err's message with its redacted
// form, keeping err in the chain for errors.Is.
func redactErr(err error, rawURL string) error {
	if err == nil {
		return nil
	}
	red := Redact(rawURL)
	if red == rawURL || !strings.Contains(err.Error(), rawURL) {
		var ue *url.Error
		if errors.As(err, &ue) && ue.URL != "" && Redact(ue.URL) != ue.URL {
			return redacted{msg: strings.ReplaceAll(err.Error(), ue.URL, Redact(ue.URL)), err: err}
		}
		return err
	}
	return redacted{msg: strings.ReplaceAll(err.Error(), rawURL, red), err: err}
}

type redacted struct {
	msg string
	err error
}

func (r redacted) Error() string { return r.msg }
func (r redacted) Unwrap() error { return r.err }
