package fetch

import (
	"net/url"
	"sort"
	"strings"
)

// Secrets are the secret strings of one config — tokens, values that came
// from ${VAR}, the secret parts of URLs — each with what to show in its
// place. Everything contriblog prints or stores passes through Redact
// (docs/security.md#what-is-redacted), so a secret that some message
// quotes in full is shown masked all the same. A nil *Secrets holds
// nothing. A Secrets is filled once, then only read: it is safe for
// concurrent Redact and Contains once filled.
type Secrets struct {
	list []secret // longest first, so that a URL is replaced before its parts
}

type secret struct{ value, shown string }

// MinSecretLen is the length below which Add ignores a value: replacing
// every "true" or "8787" in every output would garble it, and no real
// secret is that short.
const MinSecretLen = 4

// Add registers value, to be shown as shown ("${CAL_URL}", "***"); the
// forms a message or an export may quote it in (URL-escaped, JSON-escaped)
// are registered too. Blank or too short values are ignored.
func (s *Secrets) Add(value, shown string) {
	value = strings.TrimSpace(value)
	if len(value) < MinSecretLen {
		return
	}
	forms := []string{value, url.QueryEscape(value), url.PathEscape(value),
		strings.NewReplacer("&", `\u0026`, "<", `\u003c`, ">", `\u003e`).Replace(value),
		strings.ReplaceAll(value, "/", `\/`)}
	for _, f := range forms {
		s.add(f, shown)
	}
	sort.SliceStable(s.list, func(i, j int) bool { return len(s.list[i].value) > len(s.list[j].value) })
}

func (s *Secrets) add(value, shown string) {
	for _, have := range s.list {
		if have.value == value {
			return
		}
	}
	s.list = append(s.list, secret{value, shown})
}

// AddURL registers the secret parts of rawURL — its password, the values
// of its secret query parameters, the secret segments of its path — so
// that they are masked even where the URL is quoted only in part or
// respelled; the whole URL is registered too when it has any, shown as
// Redact shows it.
func (s *Secrets) AddURL(rawURL string) {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil || u.Host == "" {
		return
	}
	found := false
	if p, ok := u.User.Password(); ok {
		s.Add(p, masked)
		found = true
	}
	for k, vs := range u.Query() {
		if secretParam(k) || anyTokenLike(vs) {
			for _, v := range vs {
				s.Add(v, masked)
				found = true
			}
		}
	}
	segs := strings.Split(u.EscapedPath(), "/")
	if maskedSegs, changed := maskPath(u.EscapedPath()); changed {
		for i, seg := range segs {
			plain, err := url.PathUnescape(seg)
			if err != nil || maskedSegs[i] == plain {
				continue
			}
			if token, ok := strings.CutPrefix(strings.ToLower(plain), "private-"); ok {
				// Google's: the token alone, so that private-*** stays readable.
				s.Add(plain[len(plain)-len(token):], masked)
				continue
			}
			s.Add(seg, masked)
			s.Add(plain, masked)
		}
		found = true
	}
	if found {
		s.Add(rawURL, Redact(rawURL))
	}
}

// Redact returns text with every secret replaced by what stands for it.
func (s *Secrets) Redact(text string) string {
	if s == nil || len(s.list) == 0 {
		return text
	}
	for _, sec := range s.list {
		if strings.Contains(text, sec.value) {
			text = strings.ReplaceAll(text, sec.value, sec.shown)
		}
	}
	return text
}

// Contains reports whether text holds any secret.
func (s *Secrets) Contains(text string) bool {
	if s == nil {
		return false
	}
	for _, sec := range s.list {
		if strings.Contains(text, sec.value) {
			return true
		}
	}
	return false
}

// Len is how many strings (with their other spellings) are registered.
func (s *Secrets) Len() int {
	if s == nil {
		return 0
	}
	return len(s.list)
}

// MaxLen is the length of the longest registered string: a writer that
// redacts a stream holds back at most this much less one.
func (s *Secrets) MaxLen() int {
	if s == nil || len(s.list) == 0 {
		return 0
	}
	return len(s.list[0].value)
}

// PrefixAt reports whether some secret starts with tail, the end of a
// stream written so far: the writer must wait for more before writing
// tail out.
func (s *Secrets) PrefixAt(tail string) bool {
	if s == nil {
		return false
	}
	for _, sec := range s.list {
		if len(tail) < len(sec.value) && strings.HasPrefix(sec.value, tail) {
			return true
		}
	}
	return false
}
