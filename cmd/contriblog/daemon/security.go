package daemon

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/report"
)

// The daemon's rules against the web pages a person visits
// (docs/security.md#the-daemons-http-api): every request must be addressed
// to the daemon (Host), and every request that changes something must
// prove it comes from the daemon's own page (same origin and the page's
// CSRF token) or from a program of the user (the secret file, or the
// bearer token).

const (
	// SecretHeader carries the daemon's secret (SecretPath's file) on a
	// request that changes something, from a program: daemon.Client sends
	// it.
	SecretHeader = "X-Contriblog-Secret"
	// CSRFHeader carries the daemon page's CSRF token on a request that
	// changes something, from the page's script.
	CSRFHeader = "X-CSRF-Token"
	// secretSuffix names the secret file beside the database.
	secretSuffix = ".daemon-secret"
)

// SecretPath is the file beside database in which `contriblog run` keeps
// its secret while it runs (mode 0600: only its user can read it), and
// from which the commands beside it read it.
func SecretPath(database string) string { return database + secretSuffix }

// keys are a daemon's two random values, made when it starts: secret,
// which only the user's programs can read (from the secret file), and
// csrf, which only the daemon's own page holds.
type keys struct {
	secret, csrf [sha256.Size]byte // sha256 of each, for constant-time comparison
	secretText   string
	csrfText     string
}

func newKeys() keys {
	k := keys{secretText: rand.Text(), csrfText: rand.Text()}
	k.secret, k.csrf = sha256.Sum256([]byte(k.secretText)), sha256.Sum256([]byte(k.csrfText))
	return k
}

// matches compares got to want in constant time, whatever their lengths.
func matches(got string, want [sha256.Size]byte) bool {
	sum := sha256.Sum256([]byte(got))
	return got != "" && subtle.ConstantTimeCompare(sum[:], want[:]) == 1
}

// securityHeaders are on every answer: nothing is cached, sniffed, framed,
// read by another origin's page (Cross-Origin-Resource-Policy), or told
// where the page was (Referrer-Policy); the page's policy allows its own
// embedded script and style only, and requests to the daemon only.
func securityHeaders(h http.Header) {
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", report.ReviewPolicy+"; frame-ancestors 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
}

// hostAllowed reports whether a request addressed to hostport (its Host
// header) may be served: a loopback name, the listen address's host, or,
// for a daemon listening on every interface, any IP address. A page that
// rebinds its own DNS name to this machine sends that name, and is
// refused; an IP address cannot be rebound.
func (d *Daemon) hostAllowed(hostport string) bool {
	host := strings.Trim(strings.TrimSuffix(strings.ToLower(hostOnly(hostport)), "."), "[]")
	if host == "" {
		return false
	}
	if isLoopbackHost(host) {
		return true
	}
	listen := d.Config.Listen // kept until a restart (see Reload)
	if listen == "" {
		return false
	}
	lh, _, err := net.SplitHostPort(listen)
	if err != nil {
		return false
	}
	lh = strings.Trim(strings.ToLower(lh), "[]")
	if ip := net.ParseIP(lh); lh == "" || ip != nil && ip.IsUnspecified() {
		return net.ParseIP(host) != nil
	}
	return host == lh
}

// safeMethod reports whether a request of method only reads.
func safeMethod(method string) bool {
	return method == http.MethodGet || method == http.MethodHead || method == http.MethodOptions
}

// fromBrowser reports whether r was sent by a browser: browsers add
// Origin, Referer or Sec-Fetch-Site to the requests a page makes, and a
// page cannot remove all three.
func fromBrowser(r *http.Request) bool {
	return r.Header.Get("Origin") != "" || r.Header.Get("Referer") != "" || r.Header.Get("Sec-Fetch-Site") != ""
}

// sameOrigin reports whether a browser's request comes from a page of
// the origin it is addressed to: each of Sec-Fetch-Site, Origin and
// Referer that it carries must say so.
func sameOrigin(r *http.Request) bool {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	self := scheme + "://" + r.Host
	if s := r.Header.Get("Sec-Fetch-Site"); s != "" && s != "same-origin" {
		return false
	}
	if o := r.Header.Get("Origin"); o != "" && !strings.EqualFold(o, self) {
		return false
	}
	if ref := r.Header.Get("Referer"); ref != "" {
		u, err := url.Parse(ref)
		if err != nil || !strings.EqualFold(u.Scheme+"://"+u.Host, self) {
			return false
		}
	}
	return true
}

// checkChange answers 403 and returns false unless a request that
// changes something may: a browser's must come from the daemon's page
// (same origin, CSRF token); anything else's must carry the secret, or
// the bearer token (checked before, in guard). A read passes.
func (d *Daemon) checkChange(w http.ResponseWriter, r *http.Request, bearerOK bool) bool {
	if safeMethod(r.Method) {
		return true
	}
	if fromBrowser(r) {
		if !sameOrigin(r) {
			http.Error(w, "refused: a page of another site may not change the log (cross-origin request)", http.StatusForbidden)
			return false
		}
		if !matches(r.Header.Get(CSRFHeader), d.keys.csrf) {
			http.Error(w, "refused: a change from a browser page must carry the daemon page's "+CSRFHeader+
				" header; reload the daemon's page (/) and try again", http.StatusForbidden)
			return false
		}
		return true
	}
	if bearerOK || matches(r.Header.Get(SecretHeader), d.keys.secret) {
		return true
	}
	where := "the daemon's secret file"
	if d.SecretFile != "" {
		where = d.SecretFile
	}
	msg := fmt.Sprintf("refused: this request changes the log and carries no %s header with the contents of %s "+
		"(readable only by the user running `contriblog run`; contriblog's commands send it)", SecretHeader, where)
	if d.Config.ListenToken != "" {
		msg += ", nor the listen_token"
	}
	http.Error(w, harvester.Printable(msg), http.StatusForbidden)
	return false
}

// writeSecret writes the daemon's secret to SecretFile, readable by its
// user only, replacing any left by a daemon that crashed: written to a
// temporary file first, so that a reader never sees a part of it.
func (d *Daemon) writeSecret() error {
	if d.SecretFile == "" {
		return nil
	}
	dir, base := filepath.Split(d.SecretFile)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, base+".tmp-*") // mode 0600
	if err != nil {
		return fmt.Errorf("write the daemon's secret file: %w", err)
	}
	tmp := f.Name()
	_, err = f.WriteString(d.keys.secretText + "\n")
	if err == nil {
		err = f.Chmod(0o600)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, d.SecretFile)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write the daemon's secret file %s: %w", d.SecretFile, err)
	}
	return nil
}

// removeSecret removes SecretFile when the daemon stops: the secret dies
// with it.
func (d *Daemon) removeSecret() {
	if d.SecretFile == "" {
		return
	}
	if err := os.Remove(d.SecretFile); err != nil && !os.IsNotExist(err) {
		d.Logger.Warn("could not remove the daemon's secret file", "path", d.SecretFile, "err", err)
	}
}

// ReadSecret reads the secret a running daemon keeps in path
// (SecretPath); "" when there is none.
func ReadSecret(path string) (string, error) {
	if path == "" {
		return "", nil
	}
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read the daemon's secret file: %w", err)
	}
	return strings.TrimSpace(string(b)), nil
}
