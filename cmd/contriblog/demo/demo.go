// Package demo serves contriblog's bundled sample sources (feeds, a
// hand-kept file, calendars, a Sessionize document, and fake GitHub, Stack
// Exchange, npm and NuGet APIs) on loopback, so that `contriblog demo`
// runs the whole pipeline with no network and no config.
package demo

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

//go:embed data
var data embed.FS

// Person is the sample person every bundled source is about.
const Person = "Priya Raman"

// Server serves the sample sources on a loopback port.
type Server struct {
	URL string // http://127.0.0.1:PORT
	srv *http.Server
	ln  net.Listener
	now func() time.Time
}

// Start serves the samples on 127.0.0.1 at a free port. Dates in the
// samples are written relative to now, so the demo always shows a recent
// year.
func Start(now func() time.Time) (*Server, error) {
	if now == nil {
		now = time.Now
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen on loopback: %w", err)
	}
	s := &Server{URL: "http://" + ln.Addr().String(), ln: ln, now: now}
	gh, err := newGitHubHandler(now)
	if err != nil {
		ln.Close()
		return nil, err
	}
	se, err := newStackExchangeHandler(now)
	if err != nil {
		ln.Close()
		return nil, err
	}
	pk, err := newPackagesHandler(now)
	if err != nil {
		ln.Close()
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/github/", http.StripPrefix("/github", gh))
	mux.Handle("/stackexchange/", http.StripPrefix("/stackexchange/2.3", se))
	mux.Handle("/packages/", http.StripPrefix("/packages", pk))
	mux.HandleFunc("/", s.serveFile)
	s.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// Close stops the server.
func (s *Server) Close() error { return s.srv.Close() }

// serveFile serves one sample file with its date tokens filled in, with an
// ETag so that a second harvest is answered 304.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request) {
	name := path.Clean(strings.TrimPrefix(r.URL.Path, "/"))
	b, err := data.ReadFile(path.Join("data", name))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	b = []byte(expandDates(string(b), s.now()))
	sum := sha256.Sum256(b)
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", contentType(name))
	_, _ = w.Write(b)
}

func contentType(name string) string {
	switch path.Ext(name) {
	case ".xml":
		return "application/xml; charset=utf-8"
	case ".json":
		return "application/json; charset=utf-8"
	case ".ics":
		return "text/calendar; charset=utf-8"
	}
	return "text/plain; charset=utf-8"
}

// WriteConfig writes a config for the samples (and the hand-kept file it
// names) into dir and returns the config's path.
func (s *Server) WriteConfig(dir string) (string, error) {
	manual, err := data.ReadFile("data/manual.yaml")
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, "manual.yaml"), []byte(expandDates(string(manual), s.now())), 0o600); err != nil {
		return "", fmt.Errorf("write demo files: %w", err)
	}
	cfg := strings.ReplaceAll(configTemplate, "{{URL}}", s.URL)
	cfg = strings.ReplaceAll(cfg, "{{PERSON}}", Person)
	p := filepath.Join(dir, "contriblog.yaml")
	if err := os.WriteFile(p, []byte(cfg), 0o600); err != nil {
		return "", fmt.Errorf("write demo config: %w", err)
	}
	return p, nil
}
