package github

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// maxBody bounds one API response: a page of 100 search items is about
// half a megabyte; anything near the bound is not the GitHub API.
const maxBody = 32 << 20

// defaultUserAgent is sent when the caller gives no HTTP client (GitHub
// rejects requests without one).
const defaultUserAgent = "contriblog (+https://github.com/contriblog/contriblog)"

// newHTTPClient copies the caller's client (or makes one with timeouts)
// and puts conditionalTransport in front of its transport.
func newHTTPClient(given *http.Client) *http.Client {
	ua := ""
	var c http.Client
	if given != nil {
		c = *given
	} else {
		ua = defaultUserAgent
		c = http.Client{Timeout: 60 * time.Second, Transport: defaultTransport()}
	}
	base := c.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	c.Transport = &conditionalTransport{base: base, userAgent: ua, maxBytes: maxBody}
	return &c
}

func defaultTransport() http.RoundTripper {
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 30 * time.Second,
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConnsPerHost:   4,
		ForceAttemptHTTP2:     true,
	}
}

// errBodyTooLarge is returned when a response body passes maxBody.
var errBodyTooLarge = errors.New("response body too large")

// limitedBody fails reads past its limit, so a runaway body ends in an
// error that says so rather than in a truncated document.
type limitedBody struct {
	rc   io.ReadCloser
	left int64
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		// At the limit: a body of exactly the limit ends here cleanly.
		var one [1]byte
		if n, err := b.rc.Read(one[:]); n == 0 {
			return 0, err
		}
		return 0, fmt.Errorf("%w (over %d MiB)", errBodyTooLarge, maxBody>>20)
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	return n, err
}

func (b *limitedBody) Close() error { return b.rc.Close() }
