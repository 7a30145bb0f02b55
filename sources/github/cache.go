package github

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// pagePrefix starts the SourceState.Data key of one cached list page; the
// rest of the key is the page's request path and sorted query.
const pagePrefix = "page "

// page is one list page as the store keeps it: the validator to send next
// time, the next page number the response named, and the page's items as
// compact JSON (only the fields the harvest uses) to reuse on a 304.
type page struct {
	ETag  string          `json:"etag"`
	Next  int             `json:"next,omitempty"`
	Items json.RawMessage `json:"items"`
}

// pageCache holds the pages of the previous pass (old) and those this pass
// fetched or confirmed (used). Its ETags go out as If-None-Match through
// conditionalTransport.
type pageCache struct {
	mu   sync.Mutex
	old  map[string]page
	used map[string]page
}

// loadPageCache reads the pages kept in data; an entry that does not
// decode, or that has no ETag, is dropped, so no validator is ever sent
// for a page whose items could not be reused.
func loadPageCache(data map[string]string) *pageCache {
	c := &pageCache{old: map[string]page{}, used: map[string]page{}}
	for k, v := range data {
		key, ok := strings.CutPrefix(k, pagePrefix)
		if !ok {
			continue
		}
		var pg page
		if err := json.Unmarshal([]byte(v), &pg); err != nil || pg.ETag == "" || !json.Valid(pg.Items) {
			continue
		}
		c.old[key] = pg
	}
	return c
}

// etag is the validator to send for the page at key, if any.
func (c *pageCache) etag(key string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.old[key].ETag
}

// lookup returns the kept page at key (for a 304).
func (c *pageCache) lookup(key string) (page, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	pg, ok := c.old[key]
	return pg, ok
}

// put records a page fetched or confirmed by this pass. A page without an
// ETag is not kept: it could never be answered 304.
func (c *pageCache) put(key string, pg page) {
	if pg.ETag == "" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.used[key] = pg
}

// save returns the pages to keep as Data entries: after a complete pass
// only those it used (pages of deleted repositories go); after an
// incomplete one the old pages too, since the pass may not have reached
// them.
func (c *pageCache) save(complete bool) map[string]string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[string]string{}
	keep := func(k string, pg page) {
		if b, err := json.Marshal(pg); err == nil {
			out[pagePrefix+k] = string(b)
		}
	}
	if !complete {
		for k, pg := range c.old {
			keep(k, pg)
		}
	}
	for k, pg := range c.used {
		keep(k, pg)
	}
	return out
}

// pageKey names a request's page: its path and its query, sorted.
func pageKey(u *url.URL) string {
	if u == nil {
		return ""
	}
	q := u.Query().Encode()
	if q == "" {
		return u.EscapedPath()
	}
	return u.EscapedPath() + "?" + q
}

// tokenFingerprint is a short, one-way hash of the API root and token. It
// tells a later pass that ETags were got with another token (ETags are
// per token); 64 bits of SHA-256 reveal nothing of a token.
func tokenFingerprint(base, token string) string {
	sum := sha256.Sum256([]byte("contriblog github etag v1\x00" + base + "\x00" + token))
	return hex.EncodeToString(sum[:8])
}

type cacheKey struct{}

// withCache makes requests made with ctx conditional on cache's ETags.
func withCache(ctx context.Context, c *pageCache) context.Context {
	return context.WithValue(ctx, cacheKey{}, c)
}

// conditionalTransport adds If-None-Match to requests whose context carries
// a page cache holding an ETag for their URL, sets a User-Agent when none
// is set, and bounds response bodies.
type conditionalTransport struct {
	base      http.RoundTripper
	userAgent string // "" leaves the User-Agent to base
	maxBytes  int64
}

// RoundTrip implements http.RoundTripper. It never modifies req.
func (t *conditionalTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	etag := ""
	if c, ok := req.Context().Value(cacheKey{}).(*pageCache); ok && req.Method == http.MethodGet {
		etag = c.etag(pageKey(req.URL))
	}
	setUA := t.userAgent != "" && req.Header.Get("User-Agent") == ""
	if etag != "" || setUA {
		req = req.Clone(req.Context())
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		if setUA {
			req.Header.Set("User-Agent", t.userAgent)
		}
	}
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	if t.maxBytes > 0 && resp.Body != nil {
		resp.Body = &limitedBody{rc: resp.Body, left: t.maxBytes}
	}
	return resp, nil
}
