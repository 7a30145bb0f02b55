// Package fetch is the polite HTTP client every HTTP source shares:
// timeouts at every stage, a body limit counted after decompression,
// conditional GET, a capped number of redirects, a User-Agent that names
// contriblog, a per-host concurrency limit, and the rule for secrets:
// they go to their own origin only, and never over plain http to another
// machine (secret.go).
package fetch

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"
)

// Defaults of Options.
const (
	DefaultUserAgent      = "contriblog/dev (+https://github.com/contriblog/contriblog)"
	DefaultConnectTimeout = 10 * time.Second
	DefaultHeaderTimeout  = 15 * time.Second
	DefaultTimeout        = 30 * time.Second
	DefaultMaxBytes       = 16 << 20
	DefaultMaxRedirects   = 5
	DefaultPerHost        = 4
)

// ErrTooLarge is returned (wrapped) when a body exceeds the size limit.
var ErrTooLarge = errors.New("response body too large")

// Options configure a Client; zero fields take the defaults above.
type Options struct {
	UserAgent      string
	ConnectTimeout time.Duration // dial and TLS handshake
	HeaderTimeout  time.Duration // until the response headers arrive
	Timeout        time.Duration // the whole request, body included
	MaxBytes       int64         // body limit after decompression
	MaxRedirects   int
	PerHost        int // requests in flight per host
	Logger         *slog.Logger
}

// Client is safe for concurrent use; share one across sources so the
// per-host limit holds for all of them.
type Client struct {
	opts  Options
	http  *http.Client
	mu    sync.Mutex
	hosts map[string]chan struct{}
}

// New returns a Client with o's settings.
func New(o Options) *Client {
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent
	}
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = DefaultConnectTimeout
	}
	if o.HeaderTimeout <= 0 {
		o.HeaderTimeout = DefaultHeaderTimeout
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.MaxRedirects <= 0 {
		o.MaxRedirects = DefaultMaxRedirects
	}
	if o.PerHost <= 0 {
		o.PerHost = DefaultPerHost
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	c := &Client{opts: o, hosts: map[string]chan struct{}{}}
	dialer := &net.Dialer{Timeout: o.ConnectTimeout, KeepAlive: 30 * time.Second}
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   o.ConnectTimeout,
		ResponseHeaderTimeout: o.HeaderTimeout,
		ExpectContinueTimeout: time.Second,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   o.PerHost,
		IdleConnTimeout:       90 * time.Second,
		// We ask for gzip ourselves so the size limit counts decompressed
		// bytes and a gzip bomb is caught.
		DisableCompression: true,
	}
	c.http = &http.Client{
		Transport:     &transport{c: c, next: tr},
		CheckRedirect: c.checkRedirect,
	}
	return c
}

// checkRedirect caps the redirects and drops secrets when the chain
// leaves the first request's origin (see secret.go).
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > c.opts.MaxRedirects {
		return fmt.Errorf("stopped after %d redirects (last to %s)", c.opts.MaxRedirects, Redact(req.URL.String()))
	}
	dropSecretsOnRedirect(req, via)
	return nil
}

// HTTPClient is an *http.Client with the same transport (timeouts,
// User-Agent, per-host limit, redirect cap, the rule for secrets) for
// libraries such as go-github; add a token with WithCredentials. It has
// no body limit and no total timeout: callers bound requests with their
// context.
func (c *Client) HTTPClient() *http.Client {
	return &http.Client{Transport: c.http.Transport, CheckRedirect: c.checkRedirect}
}

// transport refuses secrets over plain http to other machines, sets the
// User-Agent and holds a per-host slot for the life of each request.
type transport struct {
	c    *Client
	next http.RoundTripper
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	// Here, below the redirect loop, so that every hop is checked, and
	// before anything is dialled.
	if err := refuseInsecure(req); err != nil {
		return nil, err
	}
	release, err := t.c.acquire(req.Context(), req.URL.Host)
	if err != nil {
		return nil, err
	}
	r2 := req.Clone(req.Context())
	if r2.Header.Get("User-Agent") == "" {
		r2.Header.Set("User-Agent", t.c.opts.UserAgent)
	}
	start := time.Now()
	resp, err := t.next.RoundTrip(r2)
	if err != nil {
		release()
		// In plain words here, below every *http.Client that shares the
		// transport (go-github's too), not in each caller.
		if ne := t.c.netError(req.Context(), err, req.URL.Host, time.Since(start)); ne != nil {
			return nil, ne
		}
		return nil, err
	}
	resp.Body = &releaseBody{ReadCloser: resp.Body, release: release}
	return resp, nil
}

// acquire waits for a free slot for host, or for ctx.
func (c *Client) acquire(ctx context.Context, host string) (func(), error) {
	c.mu.Lock()
	sem, ok := c.hosts[host]
	if !ok {
		sem = make(chan struct{}, c.opts.PerHost)
		c.hosts[host] = sem
	}
	c.mu.Unlock()
	select {
	case sem <- struct{}{}:
		var once sync.Once
		return func() { once.Do(func() { <-sem }) }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
