package fetch_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/contriblog/contriblog/sources/fetch"
	"github.com/contriblog/contriblog/sources/fetch/fetchtest"
)

// recorder is a server that records the secret headers of every request
// it gets, by path.
type recorder struct {
	mu  sync.Mutex
	got map[string]http.Header
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.got == nil {
		r.got = map[string]http.Header{}
	}
	r.got[req.URL.Path] = req.Header.Clone()
	w.Write([]byte("ok"))
}

func (r *recorder) header(path string) (http.Header, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	h, ok := r.got[path]
	return h, ok
}

const (
	testToken    = "tok-SECRET-1234"
	testPassword = "pw-SECRET-5678"
)

// leaked names the secrets found in h.
func leaked(h http.Header) []string {
	var out []string
	for k, vs := range h {
		for _, v := range vs {
			if k == "Authorization" || k == "Cookie" || k == "X-Api-Key" || strings.Contains(v, testToken) {
				out = append(out, k)
			}
		}
	}
	return out
}

// TestRedirectDropsSecrets: a redirect to another host, another port or
// another scheme goes without Authorization, Cookie, a header marked
// secret or the user:password of the URL; a redirect on the same origin
// keeps them.
func TestRedirectDropsSecrets(t *testing.T) {
	other := &recorder{}
	otherHost := fetchtest.ServeOn(t, "127.0.0.2", other)
	otherPort := fetchtest.ServeOn(t, "127.0.0.1", other)
	home := &recorder{}
	mux := http.NewServeMux()
	mux.Handle("/", home)
	mux.HandleFunc("/to-host", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, otherHost.URL+"/landing-host", http.StatusFound)
	})
	mux.HandleFunc("/to-port", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, otherPort.URL+"/landing-port", http.StatusFound)
	})
	mux.HandleFunc("/same", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/landing-same", http.StatusFound)
	})
	homeSrv := fetchtest.ServeOn(t, "127.0.0.1", mux)
	// A chain that leaves and comes back: the secrets stay dropped.
	other2 := http.NewServeMux()
	other2.HandleFunc("/bounce", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, homeSrv.URL+"/landing-back", http.StatusFound)
	})
	bounce := fetchtest.ServeOn(t, "127.0.0.2", other2)
	mux.HandleFunc("/out-and-back", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, bounce.URL+"/bounce", http.StatusFound)
	})

	withUser := func(path string) string {
		u, _ := url.Parse(homeSrv.URL + path)
		u.User = url.UserPassword("priya", testPassword)
		return u.String()
	}
	c := fetch.New(fetch.Options{})
	for _, tc := range []struct {
		name, url, landing string
		srv                *recorder
		keep               bool
	}{
		{"other host", withUser("/to-host"), "/landing-host", other, false},
		{"other port", withUser("/to-port"), "/landing-port", other, false},
		{"out and back", withUser("/out-and-back"), "/landing-back", home, false},
		{"same origin", withUser("/same"), "/landing-same", home, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.Get(context.Background(), fetch.Request{URL: tc.url,
				Header: http.Header{"Authorization": {"Bearer " + testToken}, "Cookie": {"session=" + testToken}},
				Secret: http.Header{"X-Api-Key": {testToken}}})
			if err != nil {
				t.Fatal(err)
			}
			h, ok := tc.srv.header(tc.landing)
			if !ok {
				t.Fatalf("the redirect never reached %s", tc.landing)
			}
			if got := leaked(h); tc.keep != (len(got) > 0) {
				t.Errorf("secret headers at %s: %q (want them kept: %v)", tc.landing, got, tc.keep)
			}
		})
	}

	// Only the user:password of the URL, which Go turns into Basic auth.
	if _, err := c.Get(context.Background(), fetch.Request{URL: withUser("/to-host")}); err != nil {
		t.Fatal(err)
	}
	if h, _ := other.header("/landing-host"); h.Get("Authorization") != "" {
		t.Errorf("the URL's user:password reached another host as %q", h.Get("Authorization"))
	}
}

// TestWithCredentials: a library's requests carry the token to the API's
// origin only, over the shared client's HTTPClient, redirects included.
func TestWithCredentials(t *testing.T) {
	other := &recorder{}
	otherSrv := fetchtest.ServeOn(t, "127.0.0.2", other)
	home := &recorder{}
	mux := http.NewServeMux()
	mux.Handle("/", home)
	mux.HandleFunc("/api/moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, otherSrv.URL+"/stolen", http.StatusFound)
	})
	mux.HandleFunc("/api/renamed", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/api/new-name", http.StatusMovedPermanently)
	})
	homeSrv := fetchtest.ServeOn(t, "127.0.0.1", mux)
	base, _ := url.Parse(homeSrv.URL + "/api/")
	hc := fetch.New(fetch.Options{}).HTTPClient()
	hc.Transport = fetch.WithCredentials(hc.Transport, base, http.Header{"Authorization": {"Bearer " + testToken}})

	for _, path := range []string{"/api/moved", "/api/renamed"} {
		resp, err := hc.Get(homeSrv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if h, ok := other.header("/stolen"); !ok || h.Get("Authorization") != "" {
		t.Errorf("another host got Authorization %q (reached: %v)", h.Get("Authorization"), ok)
	}
	if h, ok := home.header("/api/new-name"); !ok || h.Get("Authorization") != "Bearer "+testToken {
		t.Errorf("a same-origin redirect lost the token (reached: %v)", ok)
	}
	// A request straight to another origin gets no token either.
	resp, err := hc.Get(otherSrv.URL + "/direct")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if h, _ := other.header("/direct"); h.Get("Authorization") != "" {
		t.Error("a request to another origin got the token")
	}
}

// failDial is a RoundTripper that fails the test if anything reaches it:
// the refusal must come before a connection is tried.
type failDial struct{ t *testing.T }

func (f failDial) RoundTrip(req *http.Request) (*http.Response, error) {
	f.t.Errorf("request to %s reached the network", req.URL.Host)
	return nil, errors.New("dialled")
}

// TestWithCredentialsRefusesPlainHTTP: a token for a plain-http API on
// another machine (192.0.2.1 is TEST-NET-1) is refused before dialling,
// with an error that names the host and not the token.
func TestWithCredentialsRefusesPlainHTTP(t *testing.T) {
	for _, base := range []string{"http://192.0.2.1/api/v3/", "http://ghe.example.com:8080/api/v3/", "HTTP://[2001:db8::1]/"} {
		t.Run(base, func(t *testing.T) {
			u, _ := url.Parse(base)
			rt := fetch.WithCredentials(failDial{t}, u, http.Header{"Authorization": {"Bearer " + testToken}})
			req, _ := http.NewRequest(http.MethodGet, base+"user", nil)
			resp, err := rt.RoundTrip(req)
			var ie *fetch.InsecureError
			if resp != nil || !errors.As(err, &ie) || ie.Host != u.Host {
				t.Fatalf("RoundTrip = %v, %v; want an *InsecureError for %s", resp, err, u.Host)
			}
			if msg := err.Error(); strings.Contains(msg, testToken) || !strings.Contains(msg, u.Host) || !strings.Contains(msg, "https://") {
				t.Errorf("message %q: want the host, https:// and no token", msg)
			}
		})
	}
}

func TestSecretAllowed(t *testing.T) {
	for _, tc := range []struct {
		url  string
		want bool
	}{
		{"https://api.github.com/", true},
		{"https://192.0.2.1/", true},
		{"http://127.0.0.1:8080/", true},
		{"http://127.8.9.10/", true},
		{"http://localhost/", true},
		{"http://LOCALHOST:3000/", true},
		{"http://[::1]:80/", true},
		{"http://192.0.2.1/", false},
		{"http://localhost.example.com/", false},
		{"http://127.0.0.1.nip.io/", false},
		{"http://[::ffff:192.0.2.1]/", false},
		{"ftp://127.0.0.1/", false},
	} {
		u, err := url.Parse(tc.url)
		if err != nil {
			t.Fatal(err)
		}
		if got := fetch.SecretAllowed(u); got != tc.want {
			t.Errorf("SecretAllowed(%s) = %v, want %v", tc.url, got, tc.want)
		}
	}
}

func TestSameOrigin(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"https://api.github.com/x", "https://API.github.com:443/y?q=1", true},
		{"http://127.0.0.1/a", "http://127.0.0.1:80/b", true},
		{"https://h/", "http://h/", false},
		{"https://h/", "https://h:8443/", false},
		{"https://h/", "https://sub.h/", false},
		{"https://h/", "https://user:pw@h/", true},
	} {
		a, _ := url.Parse(tc.a)
		b, _ := url.Parse(tc.b)
		if got := fetch.SameOrigin(a, b); got != tc.want {
			t.Errorf("SameOrigin(%s, %s) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}
