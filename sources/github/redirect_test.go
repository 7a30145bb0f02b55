package github

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/sources/fetch"
	"github.com/contriblog/contriblog/sources/fetch/fetchtest"
)

// moveFake serves f on ip, with wrap (if any) in front of it.
func moveFake(t *testing.T, f *fakeGitHub, ip string, wrap func(http.Handler) http.Handler) {
	t.Helper()
	var h http.Handler = f.API
	if wrap != nil {
		h = wrap(h)
	}
	f.srv.Close()
	f.srv = fetchtest.ServeOn(t, ip, h)
}

// clients are the HTTP clients a source may be given: contriblog's shared
// one (as wire.go gives it) and none (New's default).
func clients() map[string]func() *http.Client {
	return map[string]func() *http.Client{
		"shared fetch client": func() *http.Client { return fetch.New(fetch.Options{}).HTTPClient() },
		"default client":      func() *http.Client { return nil },
	}
}

// TestTokenStaysOnItsHost: an API root that answers 302 to another host
// sends the harvest there without the token; the token reached only the
// configured host.
func TestTokenStaysOnItsHost(t *testing.T) {
	for name, client := range clients() {
		t.Run(name, func(t *testing.T) {
			f := newFake(t, "/api/v3/", 100)
			moveFake(t, f, "127.0.0.2", nil)
			var mu sync.Mutex
			var frontAuth []string
			front := fetchtest.ServeOn(t, "127.0.0.1", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				frontAuth = append(frontAuth, r.Header.Get("Authorization"))
				mu.Unlock()
				http.Redirect(w, r, f.srv.URL+r.URL.RequestURI(), http.StatusFound)
			}))
			s, _ := newTestSource(t, f, func(c *Config) {
				c.BaseURL = front.URL + "/api/v3"
				c.HTTPClient = client()
			})
			if _, err := s.Harvest(context.Background(), harvester.SourceState{}); err != nil {
				t.Fatal(err)
			}
			if len(f.Auth()) == 0 {
				t.Fatal("no request reached the second host")
			}
			for i, a := range f.Auth() {
				if a != "" {
					t.Fatalf("request %d to the second host (%s) carried Authorization (%d chars)", i, f.Requests()[i], len(a))
				}
			}
			mu.Lock()
			defer mu.Unlock()
			if len(frontAuth) == 0 || frontAuth[0] != "Bearer "+fakeToken {
				t.Errorf("the configured host did not get the token")
			}
		})
	}
}

// TestTokenFollowsSameOriginRedirect: a redirect within the API's origin
// keeps the token, and the harvest works.
func TestTokenFollowsSameOriginRedirect(t *testing.T) {
	for name, client := range clients() {
		t.Run(name, func(t *testing.T) {
			f := newFake(t, "/api/v3/", 100)
			moveFake(t, f, "127.0.0.1", func(h http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if rest, ok := strings.CutPrefix(r.URL.RequestURI(), "/old"); ok {
						http.Redirect(w, r, rest, http.StatusMovedPermanently)
						return
					}
					h.ServeHTTP(w, r)
				})
			})
			s, _ := newTestSource(t, f, func(c *Config) {
				c.BaseURL = f.srv.URL + "/old/api/v3"
				c.HTTPClient = client()
			})
			b, err := s.Harvest(context.Background(), harvester.SourceState{})
			if err != nil || len(b.Observations) == 0 {
				t.Fatalf("Harvest = %v, %v", b, err)
			}
			for i, a := range f.Auth() {
				if a != "Bearer "+fakeToken {
					t.Fatalf("request %d (%s) lost the token", i, f.Requests()[i])
				}
			}
		})
	}
}

// failDial fails the test if a request reaches it: a refusal must come
// before anything is dialled.
type failDial struct{ t *testing.T }

func (f failDial) RoundTrip(req *http.Request) (*http.Response, error) {
	f.t.Errorf("request to %s reached the network", req.URL.Host)
	return nil, errors.New("dialled")
}

// TestTokenNotOverPlainHTTP: a token and a plain-http base_url on
// another machine (192.0.2.1 is TEST-NET-1) fail the source before
// anything is dialled, naming the host and not the token.
func TestTokenNotOverPlainHTTP(t *testing.T) {
	s, err := New(Config{Name: "gh", User: "priyar", Token: fakeToken, BaseURL: "http://192.0.2.1/api/v3",
		HTTPClient: &http.Client{Transport: failDial{t}}, SearchInterval: 1})
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Harvest(context.Background(), harvester.SourceState{})
	var ie *fetch.InsecureError
	if b != nil || !errors.As(err, &ie) || ie.Host != "192.0.2.1" {
		t.Fatalf("Harvest = %v, %v; want an *fetch.InsecureError for 192.0.2.1", b, err)
	}
	if msg := err.Error(); strings.Contains(msg, fakeToken) || !strings.Contains(msg, "192.0.2.1") || !strings.Contains(msg, "base_url") {
		t.Errorf("message %q: want base_url, the host and no token", msg)
	}
}
