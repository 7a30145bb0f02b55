package export

import (
	"net/url"
	"strings"
)

// mdSpecial are the bytes that start Markdown (CommonMark and GFM) syntax
// anywhere in a line: emphasis, code, links, HTML, tables, strikethrough.
// A backslash before any ASCII punctuation makes it literal.
const mdSpecial = "\\`*_[]<>|~"

// escapeInline makes one line of clean text literal inside a Markdown
// paragraph that it does not start. '&' is escaped only where it would
// begin an entity ("&amp;", "&#39;"), so "Q&A" stays readable.
func escapeInline(s string) string {
	if !strings.ContainsAny(s, mdSpecial+"&") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if strings.IndexByte(mdSpecial, c) >= 0 || (c == '&' && isEntity(s[i+1:])) {
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
	return b.String()
}

// isEntity reports whether rest (what follows a '&') reads as the rest of
// an HTML entity: a name or number, then ';'.
func isEntity(rest string) bool {
	rest = strings.TrimPrefix(rest, "#")
	n := 0
	for n < len(rest) && n < 32 && isAlnum(rest[n]) {
		n++
	}
	return n > 0 && n < len(rest) && rest[n] == ';'
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// escapeLine is escapeInline for text that starts a line (a heading's
// text, a description's continuation line), where '#', '+', '-', '=' and
// "1." would also start a heading, a list or a rule.
func escapeLine(s string) string {
	s = escapeInline(s)
	if s == "" {
		return s
	}
	switch s[0] {
	case '#', '+', '-', '=':
		return "\\" + s
	}
	// An ordered-list marker: up to nine digits, then '.' or ')'.
	n := 0
	for n < len(s) && n < 10 && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	if n > 0 && n < 10 && n < len(s) && (s[n] == '.' || s[n] == ')') {
		return s[:n] + "\\" + s[n:]
	}
	return s
}

// isWebURL reports whether u is an absolute http(s) URL with a host: the
// only URLs the Markdown links (a "javascript:" or "data:" URL is text).
func isWebURL(u string) bool { return webHost(u) != "" }

// webHost is the host of an http(s) URL, without "www.", or "" for any
// other string.
func webHost(u string) string {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Hostname() == "" {
		return ""
	}
	return strings.TrimPrefix(p.Hostname(), "www.")
}

// destEscaper percent-encodes what would end or break a link destination.
var destEscaper = strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E",
	"\\", "%5C", "\"", "%22", "`", "%60")

// escapeDestination makes a clean URL safe as a Markdown link destination.
func escapeDestination(u string) string { return destEscaper.Replace(u) }
