package fetch

import (
	"errors"
	"net/url"
	"strings"
)

// secretParams are query parameters whose values are credentials.
var secretParams = []string{"token", "access_token", "api_key", "apikey", "key", "secret", "password", "passwd", "sig", "signature", "auth", "client_secret"}

// Redact masks user:pass@ and the values of secret-looking query
// parameters in a URL, for logs and errors.
func Redact(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "(unparseable URL)"
	}
	if u.User != nil {
		u.User = url.User("***")
	}
	scrubQuery(u, func(q url.Values, k string) { q.Set(k, "***") })
	return u.String()
}

// Public drops user:pass@ and the secret-looking query parameters (names
// and values) from a URL, for URLs that are stored and exported: the
// calendar a contribution falls back to, the base that relative links
// resolve against. An unparseable URL gives "".
func Public(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	u.User = nil
	scrubQuery(u, url.Values.Del)
	return u.String()
}

// scrubQuery applies scrub to every secret-looking parameter of u's query.
func scrubQuery(u *url.URL, scrub func(q url.Values, k string)) {
	if u.RawQuery == "" {
		return
	}
	q := u.Query()
	changed := false
	for k := range q {
		if secretParam(k) {
			scrub(q, k)
			changed = true
		}
	}
	if changed {
		u.RawQuery = q.Encode()
	}
}

func secretParam(k string) bool {
	lk := strings.ToLower(k)
	for _, s := range secretParams {
		if lk == s || strings.HasSuffix(lk, "_"+s) || strings.HasSuffix(lk, "token") {
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
