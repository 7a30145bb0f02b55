package fetch

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// The rule for secrets, in one place for every source (and every later
// API client) that carries one, whether a token header, a cookie or the
// user:password of a URL:
//
//   - a secret goes only to the origin (scheme, host and port) it was
//     given for: a redirect to another origin goes without it;
//   - a secret never travels over plain http:// to another machine: the
//     request is refused before anything is dialled.
//
// Client enforces both for every request (Get and HTTPClient alike);
// WithCredentials is the way to add a token to a library's requests.

// secretHeaders carry credentials whoever set them.
var secretHeaders = []string{"Authorization", "Cookie", "Proxy-Authorization"}

// InsecureError is the refusal to send a secret over plain http:// to a
// host that is not this machine. It names the host, never the secret.
type InsecureError struct {
	Host string // host[:port], without user:password
}

func (e *InsecureError) Error() string {
	return "refusing to send credentials over plain http:// to " + e.Host + ", which is not this machine: use https://"
}

// SecretAllowed reports whether a secret may be sent to u: over https, or
// over plain http to this machine (localhost or a loopback address). It
// never resolves a name: a name that resolves to loopback is not trusted
// to keep doing so.
func SecretAllowed(u *url.URL) bool {
	switch strings.ToLower(u.Scheme) {
	case "https":
		return true
	case "http":
		return isLoopback(u.Hostname())
	}
	return false
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// SameOrigin reports whether a and b have the same scheme, host and port,
// a missing port being the scheme's default.
func SameOrigin(a, b *url.URL) bool { return origin(a) == origin(b) }

func origin(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[scheme]
	}
	return scheme + "://" + net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

type secretsKey struct{}

// withSecretNames marks, for requests made with ctx, more header names
// as secrets (Request.Secret's), beyond secretHeaders.
func withSecretNames(ctx context.Context, h http.Header) context.Context {
	if len(h) == 0 {
		return ctx
	}
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	return context.WithValue(ctx, secretsKey{}, names)
}

// secretNames are the headers of req that carry secrets.
func secretNames(req *http.Request) []string {
	marked, _ := req.Context().Value(secretsKey{}).([]string)
	return append(marked, secretHeaders...)
}

// carriesSecret reports whether req holds a secret: user:password in its
// URL or a secret header with a value.
func carriesSecret(req *http.Request) bool {
	if req.URL.User != nil {
		return true
	}
	for _, h := range secretNames(req) {
		if req.Header.Get(h) != "" {
			return true
		}
	}
	return false
}

// refuseInsecure returns an *InsecureError when req carries a secret that
// SecretAllowed does not let go to its URL, closing req's body as a
// RoundTripper must.
func refuseInsecure(req *http.Request) error {
	if SecretAllowed(req.URL) || !carriesSecret(req) {
		return nil
	}
	if req.Body != nil {
		req.Body.Close()
	}
	return &InsecureError{Host: req.URL.Host}
}

// dropSecretsOnRedirect removes the secret headers from req, the next hop
// of the redirect chain via, once the chain has left the first request's
// origin. Go's client keeps Authorization for a subdomain, another port
// or http after https; this rule keeps it for none of them, and not when
// a later hop comes back (the headers it copies are the first request's).
func dropSecretsOnRedirect(req *http.Request, via []*http.Request) {
	left := !SameOrigin(req.URL, via[0].URL)
	for _, v := range via[1:] {
		left = left || !SameOrigin(v.URL, via[0].URL)
	}
	if !left {
		return
	}
	for _, h := range secretNames(req) {
		req.Header.Del(h)
	}
}

// WithCredentials returns a RoundTripper that adds header (a token:
// Authorization: Bearer ...) to the requests next carries to base's
// origin, and to no other: a request to another scheme, host or port,
// such as a redirect away from an API, goes without it and without any
// other secret header. A request to base's origin when that is plain
// http:// on another machine fails with an *InsecureError before
// anything is dialled. next nil is http.DefaultTransport.
func WithCredentials(next http.RoundTripper, base *url.URL, header http.Header) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	names := append([]string{}, secretHeaders...)
	for k := range header {
		names = append(names, k)
	}
	return &credentials{next: next, base: base, header: header.Clone(), names: names}
}

// credentials is WithCredentials' RoundTripper.
type credentials struct {
	next   http.RoundTripper
	base   *url.URL
	header http.Header
	names  []string // header's names and secretHeaders
}

// RoundTrip implements http.RoundTripper. It never modifies req.
func (c *credentials) RoundTrip(req *http.Request) (*http.Response, error) {
	if !SameOrigin(req.URL, c.base) {
		if hasAny(req.Header, c.names) {
			req = req.Clone(req.Context())
			for _, h := range c.names {
				req.Header.Del(h)
			}
		}
		return c.next.RoundTrip(req)
	}
	if !SecretAllowed(req.URL) {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, &InsecureError{Host: req.URL.Host}
	}
	req = req.Clone(req.Context())
	for k, vs := range c.header {
		req.Header[k] = vs
	}
	return c.next.RoundTrip(req)
}

func hasAny(h http.Header, names []string) bool {
	for _, n := range names {
		if h.Get(n) != "" {
			return true
		}
	}
	return false
}
