package fetch_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/contriblog/contriblog/sources/fetch"
)

func gz(b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func TestGetConditional(t *testing.T) {
	var ua string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ua = r.Header.Get("User-Agent")
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Sun, 01 Nov 2026 10:00:00 GMT")
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Write([]byte("<rss/>"))
	}))
	defer srv.Close()
	c := fetch.New(fetch.Options{UserAgent: "contriblog/test"})
	r1, err := c.Get(context.Background(), fetch.Request{URL: srv.URL})
	if err != nil || string(r1.Body) != "<rss/>" || r1.ETag != `"v1"` || r1.NotModified {
		t.Fatalf("first GET = %+v, %v", r1, err)
	}
	if ua != "contriblog/test" {
		t.Errorf("User-Agent = %q", ua)
	}
	r2, err := c.Get(context.Background(), fetch.Request{URL: srv.URL, ETag: r1.ETag, LastModified: r1.LastModified})
	if err != nil || !r2.NotModified || r2.Body != nil || r2.ETag != `"v1"` {
		t.Fatalf("second GET = %+v, %v; want 304", r2, err)
	}
}

func TestGetErrors(t *testing.T) {
	big := bytes.Repeat([]byte("a"), 4<<20)
	bomb := gz(big)
	mux := http.NewServeMux()
	mux.HandleFunc("/gzip", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(gz([]byte("hello")))
	})
	mux.HandleFunc("/bomb", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(bomb)
	})
	mux.HandleFunc("/unlabelled-gzip", func(w http.ResponseWriter, r *http.Request) { w.Write(gz([]byte("<xml/>"))) })
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) { w.Write(big) })
	mux.HandleFunc("/429", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "120")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	mux.HandleFunc("/404", http.NotFound)
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	mux.HandleFunc("/rel", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "gzip", http.StatusMovedPermanently) })
	mux.HandleFunc("/drip", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(200)
		for i := 0; i < 100; i++ {
			if _, err := w.Write([]byte("x")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-time.After(50 * time.Millisecond):
			case <-r.Context().Done():
				return
			}
		}
	})
	mux.HandleFunc("/silent", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	c := fetch.New(fetch.Options{MaxBytes: 1 << 20, Timeout: 500 * time.Millisecond, HeaderTimeout: 200 * time.Millisecond})
	tests := []struct {
		path, body, errSub string
	}{
		{"/gzip", "hello", ""},
		{"/unlabelled-gzip", "<xml/>", ""},
		{"/rel", "hello", ""},
		{"/bomb", "", "too large"},
		{"/big", "", "more than 1 MiB"},
		{"/429", "", "retry after 2m0s"},
		{"/404", "", "404"},
		{"/loop", "", "redirects"},
		{"/drip", "", "timed out"},
		{"/silent", "", "no answer"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			r, err := c.Get(context.Background(), fetch.Request{URL: srv.URL + tt.path})
			if tt.errSub == "" {
				if err != nil || string(r.Body) != tt.body {
					t.Fatalf("Get = %v, %v; want %q", r, err, tt.body)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.errSub) {
				t.Fatalf("err = %v; want one containing %q", err, tt.errSub)
			}
		})
	}
	_, err := c.Get(context.Background(), fetch.Request{URL: srv.URL + "/big"})
	if !errors.Is(err, fetch.ErrTooLarge) {
		t.Errorf("errors.Is(ErrTooLarge) false for %v", err)
	}
	_, err = c.Get(context.Background(), fetch.Request{URL: srv.URL + "/429"})
	var se *fetch.StatusError
	if !errors.As(err, &se) || se.StatusCode != 429 || se.RetryAfter != 2*time.Minute {
		t.Errorf("429: %#v", err)
	}
}

func TestRefusedConnectionRedactsSecrets(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	addr := srv.URL
	srv.Close()
	c := fetch.New(fetch.Options{})
	_, err := c.Get(context.Background(), fetch.Request{URL: strings.Replace(addr, "http://", "http://user:hunter2@", 1) + "/x?token=s3cret"})
	if err == nil || !strings.Contains(err.Error(), "connection refused") {
		t.Fatalf("err = %v, want connection refused", err)
	}
	if strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("secret in error: %v", err)
	}
}

func TestPerHostLimit(t *testing.T) {
	var cur, peak atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := cur.Add(1)
		defer cur.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
	}))
	defer srv.Close()
	c := fetch.New(fetch.Options{PerHost: 2})
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Get(context.Background(), fetch.Request{URL: srv.URL}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if p := peak.Load(); p > 2 {
		t.Errorf("peak in flight = %d, want <= 2", p)
	}
}

func TestRedact(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://example.com/feed", "https://example.com/feed"},
		{"https://u:p@example.com/x", "https://***@example.com/x"},
		{"https://example.com/x?token=abc&page=2", "https://example.com/x?page=2&token=***"},
		{"https://example.com/x?api_key=abc", "https://example.com/x?api_key=***"},
		{"https://example.com/x?access_token=abc", "https://example.com/x?access_token=***"},
	}
	for _, tt := range tests {
		if got := fetch.Redact(tt.in); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// A body read to its end but never closed must not keep its host's slot:
// go-github does exactly that with every error response, 304s included.
func TestPerHostSlotFreedAtEOF(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/gone" {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		io.WriteString(w, "ok")
	}))
	defer srv.Close()
	hc := fetch.New(fetch.Options{PerHost: 1}).HTTPClient()
	for i := 0; i < 3; i++ {
		for _, path := range []string{"/gone", "/body"} {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+path, nil)
			resp, err := hc.Do(req)
			if err != nil {
				cancel()
				t.Fatalf("request %d %s: %v (slot leaked by an unclosed body?)", i, path, err)
			}
			if _, err := io.ReadAll(resp.Body); err != nil {
				t.Fatal(err)
			}
			cancel()
			// Deliberately not closed.
		}
	}
}

// A refused connection, a server that speaks no TLS behind https:// and a
// certificate of an unknown authority each read as one clause naming the
// host, with the cause still matched by errors.Is and errors.As.
func TestGetNetErrors(t *testing.T) {
	gone := httptest.NewServer(http.NotFoundHandler())
	goneHost := strings.TrimPrefix(gone.URL, "http://")
	gone.Close()
	plain := httptest.NewServer(http.NotFoundHandler())
	defer plain.Close()
	plainHost := strings.TrimPrefix(plain.URL, "http://")
	selfSigned := httptest.NewTLSServer(http.NotFoundHandler())
	defer selfSigned.Close()
	tlsHost := strings.TrimPrefix(selfSigned.URL, "https://")
	c := fetch.New(fetch.Options{})
	tests := []struct{ url, want string }{
		{"http://" + goneHost + "/feed?token=s3cret", "connection refused by " + goneHost},
		{"https://" + plainHost + "/feed", plainHost + " does not speak TLS (an http:// server behind an https:// URL?)"},
		{selfSigned.URL + "/feed", "the TLS certificate of " + tlsHost + " is not trusted: it is signed by an unknown authority"},
	}
	for _, tt := range tests {
		_, err := c.Get(context.Background(), fetch.Request{URL: tt.url})
		if err == nil || err.Error() != tt.want {
			t.Errorf("Get(%s) = %v, want %q", tt.url, err, tt.want)
		}
		var ne *fetch.NetError
		if !errors.As(err, &ne) {
			t.Errorf("Get(%s): no *fetch.NetError in %#v", tt.url, err)
		}
	}
	_, err := c.Get(context.Background(), fetch.Request{URL: "http://" + goneHost + "/"})
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("errors.Is(ECONNREFUSED) false for %v", err)
	}
}
