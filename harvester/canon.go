package harvester

import (
	"net/url"
	"sort"
	"strings"
)

// trackingParams are query parameters that say how a reader arrived, not
// what they read; they never make two URLs different items.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "msclkid": true, "yclid": true,
	"mc_cid": true, "mc_eid": true, "ref": true, "ref_src": true, "source": true,
	"_hsenc": true, "_hsmi": true, "mkt_tok": true, "igshid": true,
}

// CanonicalURL returns the form of raw under which two links to the same
// page compare equal (docs/deduplication.md#rule-1-same-url): http and https are one scheme
// ("https"), the host is lower-cased without "www." and default ports,
// fragment and trailing slash are gone, tracking parameters (utm_*,
// fbclid, gclid, mc_cid, mc_eid, ref, source, ...) are dropped, the rest
// sorted, and percent-encoding is normalised. YouTube's short and mobile
// links become its watch links. A link that is not http(s) or does not
// parse has no identity: the result is "". CanonicalURL is idempotent and
// safe on any input.
func CanonicalURL(raw string) string {
	if c, ok := canonicalPlain(raw); ok {
		return c
	}
	return canonicalParsed(raw)
}

// canonicalParsed is CanonicalURL for any text, by way of url.Parse.
func canonicalParsed(raw string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || u.Opaque != "" {
		return ""
	}
	if s := strings.ToLower(u.Scheme); s != "http" && s != "https" {
		return ""
	}
	host := canonicalHost(u)
	if host == "" {
		return ""
	}
	path, query := canonicalPath(u.EscapedPath()), u.RawQuery
	host, path, query = youTube(host, path, query)
	out := "https://" + host + path
	if q := canonicalQuery(query, host); q != "" {
		out += "?" + q
	}
	return out
}

// plainPathByte marks the bytes a plain URL's path may hold: unreserved
// characters and '/', which url.Parse and normalizePercent keep as they
// are.
var plainPathByte = func() (m [256]bool) {
	for c := range 256 {
		m[c] = isUnreserved(byte(c)) || c == '/'
	}
	return m
}()

// canonicalPlain is CanonicalURL for the links most feeds have,
// "http(s)://host/path" with a lower-case ASCII host and no port, user,
// escape, query or fragment, without parsing them: a rebuild canonicalises
// every observation's links. ok is false for any other link, left to
// canonicalParsed (FuzzCanonicalPlain checks they agree).
func canonicalPlain(raw string) (c string, ok bool) {
	rest, found := strings.CutPrefix(raw, "https://")
	if !found {
		if rest, found = strings.CutPrefix(raw, "http://"); !found {
			return "", false
		}
	}
	host, path := rest, ""
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		host, path = rest[:i], rest[i:]
	}
	for i := 0; i < len(host); i++ {
		if c := host[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '.' || c == '-') {
			return "", false
		}
	}
	host = strings.TrimPrefix(host, "www.")
	if host == "" || host[0] == '.' || host[len(host)-1] == '.' || strings.Contains(host, "..") ||
		host == "m.youtube.com" || host == "youtube-nocookie.com" || host == "youtu.be" {
		return "", false
	}
	for i := 0; i < len(path); i++ {
		if !plainPathByte[path[i]] {
			return "", false
		}
	}
	return "https://" + host + strings.TrimRight(path, "/"), true
}

// youTube maps youtu.be/ID and m.youtube.com to youtube.com/watch?v=ID,
// the form its feeds use, so that a talk's recording link and the video's
// own entry are one URL.
func youTube(host, path, query string) (string, string, string) {
	switch host {
	case "m.youtube.com", "youtube-nocookie.com":
		return "youtube.com", path, query
	case "youtu.be":
		id := strings.TrimPrefix(path, "/")
		if id == "" || strings.Contains(id, "/") {
			return host, path, query
		}
		if query != "" {
			query = "&" + query
		}
		return "youtube.com", "/watch", "v=" + id + query
	}
	return host, path, query
}

func canonicalHost(u *url.URL) string {
	host := strings.TrimRight(strings.ToLower(u.Hostname()), ".")
	host = strings.TrimPrefix(host, "www.")
	if host == "" || host[0] == '.' || strings.Contains(host, "..") || strings.ContainsAny(host, "%/?#@ \\[]") {
		return ""
	}
	if strings.Contains(host, ":") { // IPv6 literal
		host = "[" + host + "]"
	}
	if p := u.Port(); p != "" && p != "80" && p != "443" {
		host += ":" + p
	}
	return host
}

func canonicalPath(p string) string {
	p = normalizePercent(p)
	p = strings.TrimRight(p, "/")
	if p != "" && !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return p
}

// youTubeParams are YouTube's share and player parameters: they say who
// shared a video or where it starts, not which video it is.
var youTubeParams = map[string]bool{"feature": true, "si": true, "pp": true, "ab_channel": true, "t": true}

func canonicalQuery(q, host string) string {
	if q == "" {
		return ""
	}
	var keep []string
	for _, part := range strings.Split(q, "&") {
		if part == "" {
			continue
		}
		part = normalizePercent(part)
		name, _, _ := strings.Cut(part, "=")
		if dn, err := url.QueryUnescape(name); err == nil {
			name = dn
		}
		name = strings.ToLower(name)
		if strings.HasPrefix(name, "utm_") || trackingParams[name] || host == "youtube.com" && youTubeParams[name] {
			continue
		}
		keep = append(keep, part)
	}
	sort.Strings(keep)
	return strings.Join(keep, "&")
}

// normalizePercent decodes percent-escapes of unreserved characters,
// upper-cases the hex of the others and escapes bytes that may not appear
// raw in a URL, so that equal URLs have equal spellings.
func normalizePercent(s string) string {
	if !needsPercentWork(s) {
		return s
	}
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			d := unhex(s[i+1])<<4 | unhex(s[i+2])
			i += 2
			if isUnreserved(d) {
				b.WriteByte(d)
				continue
			}
			b.WriteByte('%')
			b.WriteByte(hex[d>>4])
			b.WriteByte(hex[d&15])
			continue
		}
		if escaped[c] {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// escaped marks the bytes normalizePercent escapes: '%' that starts no
// escape, and bytes that may not appear raw in a URL.
var escaped = func() (m [256]bool) {
	for c := range 256 {
		m[c] = c == '%' || c <= ' ' || c >= 0x7f || strings.IndexByte("\"<>\\^`{|}#", byte(c)) >= 0
	}
	return m
}()

// needsPercentWork reports whether normalizePercent might change s: most
// paths have no escape and no byte to escape.
func needsPercentWork(s string) bool {
	for i := 0; i < len(s); i++ {
		if escaped[s[i]] {
			return true
		}
	}
	return false
}

func isUnreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// displayURL is raw as the log shows it: as its source spelled it, less
// the tracking parameters CanonicalURL drops (YouTube's start time "t"
// stays: it says where to watch). A link that does not parse, or has
// nothing to drop, is returned trimmed and otherwise unchanged.
func displayURL(raw string) string {
	raw = strings.TrimSpace(raw)
	i := strings.IndexByte(raw, '?')
	if i < 0 {
		return raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.RawQuery == "" {
		return raw
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	youTube := host == "youtube.com" || host == "m.youtube.com" || host == "youtu.be"
	parts := strings.Split(u.RawQuery, "&")
	keep := parts[:0]
	for _, p := range parts {
		name, _, _ := strings.Cut(p, "=")
		if n, err := url.QueryUnescape(name); err == nil {
			name = n
		}
		name = strings.ToLower(name)
		if strings.HasPrefix(name, "utm_") || trackingParams[name] || youTube && youTubeParams[name] && name != "t" {
			continue
		}
		keep = append(keep, p)
	}
	if len(keep) == len(strings.Split(u.RawQuery, "&")) {
		return raw
	}
	u.RawQuery = strings.Join(keep, "&")
	return u.String()
}
