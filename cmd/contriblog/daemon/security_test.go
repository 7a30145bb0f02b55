package daemon

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/memstore"
)

// countingEdits gives d an Edit hook that counts the edits it stores:
// what a refused request must leave at zero.
func countingEdits(t *testing.T, d *Daemon) *atomic.Int32 {
	t.Helper()
	var n atomic.Int32
	setEdit(d, func(ctx context.Context, ids []string, _ harvester.EditRequest) ([]harvester.Contribution, error) {
		n.Add(1)
		return oneRow(d.Store.Contribution(ctx, ids[0]))
	}, func(context.Context) error { return nil })
	return &n
}

// raw sends a request with exactly the headers given (no secret added).
func raw(t *testing.T, method, url, body string, headers map[string]string) (int, string, http.Header) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range headers {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// TestHostMustBeTheDaemons: DNS rebinding is refused whatever else the
// request carries, the bearer token and the secret included.
func TestHostMustBeTheDaemons(t *testing.T) {
	for _, tok := range []string{"", testToken} {
		d, _, _ := apiDaemon(t, Config{ListenToken: tok})
		edits := countingEdits(t, d)
		srv := serve(t, d)
		for _, tt := range []struct {
			method, path, host string
			want               int
		}{
			{"GET", "/", "", http.StatusOK},
			{"GET", "/export.json", "localhost:8787", http.StatusOK},
			{"GET", "/", "[::1]:8787", http.StatusOK},
			{"GET", "/export.json", "rebind.attacker.example:8787", http.StatusForbidden},
			{"GET", "/", "attacker.example", http.StatusForbidden},
			{"GET", "/healthz", "192.168.1.5:8787", http.StatusForbidden},
			{"GET", "/", "localhost.evil.example", http.StatusForbidden},
			{"POST", "/edit/a1", "rebind.attacker.example", http.StatusForbidden},
			{"POST", "/edit/a1", "", http.StatusOK},
		} {
			h := map[string]string{SecretHeader: d.keys.secretText, "Host": tt.host}
			if tok != "" {
				h["Authorization"] = "Bearer " + tok
			}
			body := ""
			if tt.method == "POST" {
				body = "title=x"
			}
			code, msg, _ := raw(t, tt.method, srv.URL+tt.path, body, h)
			if code != tt.want {
				t.Errorf("token %q: %s %s Host %q: %d %s; want %d", tok, tt.method, tt.path, tt.host, code, msg, tt.want)
			}
			if tt.want == http.StatusForbidden && !strings.Contains(msg, "listen address") {
				t.Errorf("the refusal of a foreign Host says %q", msg)
			}
		}
		if n := edits.Load(); n != 1 {
			t.Errorf("token %q: %d edits stored; want the one addressed to the daemon", tok, n)
		}
	}
}

// The listen address's host is the daemon's name too; a daemon on every
// interface (with a token) answers to any IP address, which no page can
// rebind, but never to a DNS name but loopback's.
func TestHostAllowedByListenAddress(t *testing.T) {
	for _, tt := range []struct {
		listen, host string
		want         bool
	}{
		{"", "127.0.0.1:1", true}, {"", "localhost", true}, {"", "LOCALHOST.:9", true}, {"", "[::1]:9", true},
		{"", "10.0.0.2:8787", false}, {"", "", false},
		{"127.0.0.1:8787", "127.0.0.1:8787", true}, {"127.0.0.1:8787", "evil.example:8787", false},
		{"192.168.1.5:8787", "192.168.1.5:8787", true}, {"192.168.1.5:8787", "192.168.1.6:8787", false},
		{"192.168.1.5:8787", "nas.lan:8787", false},
		{"myhost.lan:8787", "MyHost.lan:8787", true}, {"myhost.lan:8787", "other.lan:8787", false},
		{"0.0.0.0:8787", "192.168.1.5:8787", true}, {":8787", "[fe80::1]:8787", true},
		{"0.0.0.0:8787", "rebind.attacker.example:8787", false}, {"[::]:8787", "nas.lan", false},
	} {
		d := &Daemon{Config: Config{Listen: tt.listen}}
		if got := d.hostAllowed(tt.host); got != tt.want {
			t.Errorf("listen %q, Host %q: allowed %v; want %v", tt.listen, tt.host, got, tt.want)
		}
	}
}

// TestBrowserChangesNeedTheSameOriginAndTheCSRFToken: a page of another
// site cannot change the log, token or not, by fetch() or by a form
// (text/plain included); the daemon's own page can, with its token.
func TestBrowserChangesNeedTheSameOriginAndTheCSRFToken(t *testing.T) {
	d, _, _ := apiDaemon(t, Config{})
	edits := countingEdits(t, d)
	srv := serve(t, d)
	self := srv.URL
	csrf := d.keys.csrfText
	for _, tt := range []struct {
		name    string
		headers map[string]string
		want    int
		says    string
	}{
		{"cross-site fetch without the token", map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}, 403, "cross-origin"},
		{"cross-site fetch with the token", map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site", CSRFHeader: csrf}, 403, "cross-origin"},
		{"cross-site form, text/plain", map[string]string{"Origin": "http://evil.example", "Content-Type": "text/plain"}, 403, "cross-origin"},
		{"another port of loopback", map[string]string{"Origin": "http://127.0.0.1:1", "Sec-Fetch-Site": "same-site", CSRFHeader: csrf}, 403, "cross-origin"},
		{"an old browser's cross-site Referer", map[string]string{"Referer": "https://evil.example/page", CSRFHeader: csrf}, 403, "cross-origin"},
		{"an opaque origin", map[string]string{"Origin": "null", CSRFHeader: csrf}, 403, "cross-origin"},
		{"the secret does not stand for the token", map[string]string{"Origin": self, SecretHeader: d.keys.secretText}, 403, CSRFHeader},
		{"same origin without the token", map[string]string{"Origin": self, "Sec-Fetch-Site": "same-origin"}, 403, CSRFHeader},
		{"same origin with a wrong token", map[string]string{"Origin": self, "Sec-Fetch-Site": "same-origin", CSRFHeader: csrf + "x"}, 403, CSRFHeader},
		{"same origin, Referer only, without the token", map[string]string{"Referer": self + "/"}, 403, CSRFHeader},
		{"same origin with the token", map[string]string{"Origin": self, "Sec-Fetch-Site": "same-origin", CSRFHeader: csrf}, 200, ""},
		{"same origin, Referer only, with the token", map[string]string{"Referer": self + "/?since=2026-01-01", CSRFHeader: csrf}, 200, ""},
	} {
		before := edits.Load()
		code, body, _ := raw(t, "POST", srv.URL+"/edit/a1", "title=pwned", tt.headers)
		if code != tt.want || !strings.Contains(body, tt.says) {
			t.Errorf("%s: %d %q; want %d saying %q", tt.name, code, body, tt.want, tt.says)
		}
		if changed := edits.Load() != before; changed != (tt.want == 200) {
			t.Errorf("%s: stored an edit: %v", tt.name, changed)
		}
		if strings.Contains(body, csrf) || strings.Contains(body, d.keys.secretText) {
			t.Errorf("%s: the answer holds a secret: %q", tt.name, body)
		}
	}
	// Every endpoint that changes something, not only /edit.
	for _, path := range []string{"/harvest", "/edit", "/forget", "/backup", "/submissions", "/submissions/delete", "/entries"} {
		if code, _, _ := raw(t, "POST", srv.URL+path, "x=1", map[string]string{"Origin": "https://evil.example"}); code != 403 {
			t.Errorf("cross-origin POST %s: %d; want 403", path, code)
		}
	}
}

// TestProgramChangesNeedTheSecret: a request from no browser (curl, a
// script) changes nothing without the secret file's value or the bearer
// token; the refusal says what is missing and never holds the secret.
// Reads need neither.
func TestProgramChangesNeedTheSecret(t *testing.T) {
	d, _, h := apiDaemon(t, Config{})
	edits := countingEdits(t, d)
	d.SecretFile = "/var/lib/contriblog/contriblog.db.daemon-secret" // named in the refusal only
	srv := serve(t, d)
	for _, tt := range []struct {
		name   string
		secret string
		want   int
	}{{"no secret", "", 403}, {"a wrong secret", "guess", 403}, {"the secret, too long", d.keys.secretText + "x", 403},
		{"the secret", d.keys.secretText, 200}} {
		before := edits.Load()
		code, body, _ := raw(t, "POST", srv.URL+"/edit/a1", "title=x", map[string]string{SecretHeader: tt.secret})
		if code != tt.want {
			t.Errorf("%s: %d %s; want %d", tt.name, code, body, tt.want)
		}
		if (edits.Load() != before) != (tt.want == 200) {
			t.Errorf("%s: edits %d -> %d", tt.name, before, edits.Load())
		}
		if code == 403 && (!strings.Contains(body, SecretHeader) || !strings.Contains(body, d.SecretFile) || strings.Contains(body, d.keys.secretText)) {
			t.Errorf("%s: the refusal %q does not say what is missing, or holds the secret", tt.name, body)
		}
	}
	if code, _, _ := raw(t, "POST", srv.URL+"/harvest", "wait=1", nil); code != 403 || len(h.calls()) != 1 {
		t.Errorf("a bare POST /harvest: %d, %d passes; want 403 and the start-up pass only", code, len(h.calls()))
	}
	for _, path := range []string{"/", "/api", "/export.csv", "/sources", "/submissions", "/healthz"} {
		if code, body, _ := raw(t, "GET", srv.URL+path, "", nil); code != 200 {
			t.Errorf("GET %s without a secret: %d %s", path, code, body)
		}
	}

	// With listen_token, the bearer token stands for the secret.
	dt, _, _ := apiDaemon(t, Config{ListenToken: testToken})
	tokEdits := countingEdits(t, dt)
	srvT := serve(t, dt)
	if code, body, _ := raw(t, "POST", srvT.URL+"/edit/a1", "title=x", map[string]string{"Authorization": "Bearer " + testToken}); code != 200 || tokEdits.Load() != 1 {
		t.Errorf("POST with the bearer token: %d %s", code, body)
	}
	if code, body, _ := raw(t, "POST", srvT.URL+"/edit/a1", "title=x", map[string]string{"Authorization": "Bearer " + testToken,
		"Origin": "https://evil.example"}); code != 403 || tokEdits.Load() != 1 {
		t.Errorf("cross-origin POST with the bearer token: %d %s", code, body)
	}
}

// TestSecretFile: Run writes the secret beside the database, readable by
// its user only, replacing one a crashed daemon left; the Client sends
// it; it is gone when Run returns.
func TestSecretFile(t *testing.T) {
	dir := t.TempDir()
	path := SecretPath(filepath.Join(dir, "contriblog.db"))
	if err := os.WriteFile(path, []byte("left by a crash\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	st := memstore.New()
	st.Log = sampleLog()
	d := &Daemon{Config: Config{Schedule: "@every 1h", Listen: "127.0.0.1:0"}, Harvester: &countingHarvester{}, Store: st,
		Logger: testLogger(&logBuffer{}), SecretFile: path}
	stop := start(t, d)
	edits := countingEdits(t, d)
	info, err := os.Stat(path)
	if err != nil {
		t.Fatalf("no secret file while the daemon runs: %v", err)
	}
	if runtime.GOOS != "windows" && info.Mode().Perm() != 0o600 {
		t.Errorf("secret file mode %v; want 0600", info.Mode().Perm())
	}
	got, err := ReadSecret(path)
	if err != nil || got != d.keys.secretText || !regexp.MustCompile(`^[A-Z2-7]{26}$`).MatchString(got) {
		t.Errorf("secret file holds %q (%v); want the daemon's 128-bit secret", got, err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("%d files beside the database; want the secret file only (no temporary file left)", len(entries))
	}
	listen := d.Addr().String()
	ctx := context.Background()
	if _, err := (&Client{Listen: listen, SecretFile: path}).Edit(ctx, []string{"a1"}, harvester.EditRequest{Title: ptr("x")}); err != nil || edits.Load() != 1 {
		t.Errorf("the client with the secret file: %v, %d edits", err, edits.Load())
	}
	var re *RemoteError
	_, err = (&Client{Listen: listen, SecretFile: filepath.Join(dir, "none")}).Edit(ctx, []string{"a1"}, harvester.EditRequest{Title: ptr("y")})
	if !errors.As(err, &re) || re.StatusCode != 403 || !strings.Contains(err.Error(), SecretHeader) || edits.Load() != 1 {
		t.Errorf("the client without the secret: %v; want a 403 that names %s", err, SecretHeader)
	}
	if err := (&Client{Listen: listen}).Log(ctx, harvester.Filter{}, func(*harvester.Contribution) error { return nil }); err != nil {
		t.Errorf("a read needs no secret: %v", err)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("the secret file outlives the daemon: %v", err)
	}
}

// TestSecurityHeadersOnEveryAnswer: the page, the JSON, errors and
// refusals all carry the policy.
func TestSecurityHeadersOnEveryAnswer(t *testing.T) {
	d, _, _ := apiDaemon(t, Config{})
	srv := serve(t, d)
	for _, tt := range []struct {
		method, path string
		headers      map[string]string
		code         int
	}{
		{"GET", "/", nil, 200}, {"GET", "/api", nil, 200}, {"GET", "/export.json", nil, 200}, {"GET", "/healthz", nil, 200},
		{"GET", "/nope", nil, 404}, {"POST", "/export.csv", map[string]string{SecretHeader: d.keys.secretText}, 405},
		{"POST", "/edit/a1", nil, 403}, {"GET", "/", map[string]string{"Host": "evil.example"}, 403},
		{"GET", "/export.csv?since=soon", nil, 400},
	} {
		code, _, h := raw(t, tt.method, srv.URL+tt.path, "", tt.headers)
		if code != tt.code {
			t.Errorf("%s %s: %d; want %d", tt.method, tt.path, code, tt.code)
		}
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'none'", "frame-ancestors 'none'", "form-action 'self'", "base-uri 'none'",
			"connect-src 'self'", "script-src 'sha256-", "style-src 'sha256-"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s %s: Content-Security-Policy %q lacks %s", tt.method, tt.path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-") || strings.Contains(csp, "*") {
			t.Errorf("%s %s: a loose policy: %s", tt.method, tt.path, csp)
		}
		for k, v := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
			"X-Frame-Options": "DENY", "Cache-Control": "no-store", "Cross-Origin-Resource-Policy": "same-origin"} {
			if h.Get(k) != v {
				t.Errorf("%s %s: %s %q; want %q", tt.method, tt.path, k, h.Get(k), v)
			}
		}
	}
}

func ptr[T any](v T) *T { return &v }
