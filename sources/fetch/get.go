package fetch

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/contriblog/contriblog/harvester"
)

// Request is one conditional GET.
type Request struct {
	URL                string
	ETag, LastModified string // validators: If-None-Match / If-Modified-Since
	MaxBytes           int64  // 0: the client's limit
	Accept             string
	Header             http.Header // extra headers; never logged
	// Secret are headers that carry credentials (an API key): sent as
	// Header is, but dropped on a redirect to another origin and refused
	// over plain http to another machine, like Authorization (secret.go).
	Secret http.Header
}

// Response is a fetched body, or a 304.
type Response struct {
	URL                string // after redirects
	StatusCode         int
	NotModified        bool
	Body               []byte // nil when NotModified
	ContentType        string
	ETag, LastModified string
	buf                *[]byte // Body's buffer, for Release
}

// Release hands the body's buffer back, for a later response to read its
// body into; Body is nil after it. The caller must be done with Body and
// everything that shares its memory. Calling it is optional: a body not
// released is left to the garbage collector.
func (r *Response) Release() {
	if r.buf == nil {
		return
	}
	if cap(*r.buf) <= maxPooledBody {
		*r.buf = (*r.buf)[:0]
		bodies.Put(r.buf)
	}
	r.buf, r.Body = nil, nil
}

// bodies are the buffers of released bodies. Reading a thousand feeds
// into new buffers grown as each body arrived allocated four times their
// size (append grows a large slice by a quarter at a time), and the
// collector then had all of it to reclaim.
var bodies sync.Pool // of *[]byte

// maxPooledBody bounds the buffers kept for reuse: a rare huge body's
// buffer is left to the collector rather than held for small ones.
const maxPooledBody = 1 << 20

// StatusError is an HTTP answer that is neither 2xx nor 304.
type StatusError struct {
	URL        string // redacted
	StatusCode int
	Status     string
	RetryAfter time.Duration // from Retry-After, when given
}

func (e *StatusError) Error() string {
	msg := fmt.Sprintf("GET %s: server answered %s", e.URL, e.Status)
	if e.RetryAfter > 0 {
		msg += fmt.Sprintf(" (retry after %s)", e.RetryAfter)
	}
	return msg
}

// Get fetches r.URL. A 304 is a Response with NotModified; other non-2xx
// answers are *StatusError. Errors name the (redacted) URL and what failed.
func (c *Client) Get(ctx context.Context, r Request) (*Response, error) {
	ctx, cancel := context.WithTimeout(withSecretNames(ctx, r.Secret), c.opts.Timeout)
	defer cancel()
	red := Redact(r.URL)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.URL, nil)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", red, redactErr(err, r.URL))
	}
	for k, vs := range r.Header {
		req.Header[k] = vs
	}
	for k, vs := range r.Secret {
		req.Header[http.CanonicalHeaderKey(k)] = vs
	}
	req.Header.Set("Accept-Encoding", "gzip")
	if r.Accept != "" {
		req.Header.Set("Accept", r.Accept)
	}
	if r.ETag != "" {
		req.Header.Set("If-None-Match", r.ETag)
	}
	if r.LastModified != "" {
		req.Header.Set("If-Modified-Since", r.LastModified)
	}
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, c.describe(ctx, err, r.URL, start)
	}
	defer resp.Body.Close()
	out := &Response{URL: resp.Request.URL.String(), StatusCode: resp.StatusCode,
		ContentType: resp.Header.Get("Content-Type"),
		ETag:        resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified")}
	switch {
	case resp.StatusCode == http.StatusNotModified:
		out.NotModified = true
		if out.ETag == "" {
			out.ETag = r.ETag
		}
		if out.LastModified == "" {
			out.LastModified = r.LastModified
		}
		return out, nil
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused
		return nil, &StatusError{URL: red, StatusCode: resp.StatusCode, Status: resp.Status,
			RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())}
	}
	limit := r.MaxBytes
	if limit <= 0 {
		limit = c.opts.MaxBytes
	}
	out.buf, err = readBody(resp, limit)
	if err != nil {
		return nil, c.describe(ctx, err, r.URL, start)
	}
	out.Body = *out.buf
	return out, nil
}

// readBody reads at most limit decompressed bytes into a buffer of
// bodies (or a new one). Bodies that are gzip without saying so (a
// .xml.gz served as XML) are recognised by their magic bytes.
func readBody(resp *http.Response, limit int64) (*[]byte, error) {
	br := bufio.NewReader(resp.Body)
	var body io.Reader = br
	// The announced length sizes the buffer (a body read by growing it
	// copies it several times), within limit: a server may lie.
	size := 512
	if resp.ContentLength > 0 {
		size = int(min(resp.ContentLength, limit, maxSizeHint)) + 1
	}
	magic, _ := br.Peek(2)
	if strings.EqualFold(resp.Header.Get("Content-Encoding"), "gzip") || bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("bad gzip body: %w", err)
		}
		defer zr.Close()
		body, size = zr, 512
	}
	buf, _ := bodies.Get().(*[]byte)
	if buf == nil {
		buf = new([]byte)
	}
	if cap(*buf) < size {
		*buf = make([]byte, 0, size)
	}
	b, err := readAll(io.LimitReader(body, limit+1), (*buf)[:0])
	*buf = b
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%w: more than %s (max_bytes)", ErrTooLarge, humanBytes(limit))
	}
	return buf, nil
}

// maxSizeHint bounds the buffer an announced Content-Length allocates
// before any of the body has arrived.
const maxSizeHint = 8 << 20

// readAll is io.ReadAll into b, which it doubles when full: appending
// grows a large slice by a quarter, copying a large body many times over.
func readAll(r io.Reader, b []byte) ([]byte, error) {
	for {
		if len(b) == cap(b) {
			b = append(make([]byte, 0, 2*cap(b)+512), b...)
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}

// describe says what failed, without the URL's secrets: a host that
// could not be reached in the *NetError's one clause (which names the
// host), anything else after "GET URL:" (redacted). Get's own timeout,
// which covers reading the body too, is named as configured.
func (c *Client) describe(ctx context.Context, err error, rawURL string, start time.Time) error {
	host := ""
	if u, perr := url.Parse(rawURL); perr == nil {
		host = u.Host
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return &NetError{Host: host, Timeout: true, err: err,
			msg: fmt.Sprintf("timed out after %s waiting for %s", c.opts.Timeout, host)}
	}
	var ne *NetError
	if errors.As(err, &ne) {
		return Plain(err)
	}
	if ne := c.netError(ctx, err, host, time.Since(start)); ne != nil {
		return ne
	}
	return fmt.Errorf("GET %s: %w", Redact(rawURL), redactErr(withoutURL(err), rawURL))
}

func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now).Round(time.Second)
	}
	return 0
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// GetState is Get made conditional on the validators (ETag,
// Last-Modified) that st, a source's state, saved with its last
// successful parse.
func (c *Client) GetState(ctx context.Context, st harvester.SourceState, r Request) (*Response, error) {
	r.ETag, r.LastModified = st.ETag, st.LastModified
	return c.Get(ctx, r)
}

// Batch is what a source returns for this response: obs (none for a 304)
// and the validators to save with them.
func (r *Response) Batch(obs []harvester.Observation) *harvester.Batch {
	return &harvester.Batch{Observations: obs, NotModified: r.NotModified, ETag: r.ETag, LastModified: r.LastModified}
}
