package github

import (
	"context"
	"errors"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/sources/fetch"
)

func TestAnonymous(t *testing.T) {
	f := newFake(t, "/", 100)
	var logs lockedBuffer
	s, _ := newTestSource(t, f, func(c *Config) { c.Token = ""; c.Logger = newTestLogger(&logs) })
	if s.cfg.SearchInterval != time.Nanosecond {
		t.Fatalf("explicit interval replaced: %v", s.cfg.SearchInterval)
	}
	for range 2 {
		if _, err := s.Harvest(context.Background(), harvester.SourceState{}); err != nil {
			t.Fatal(err)
		}
	}
	if n := strings.Count(logs.String(), "anonymous access"); n != 1 {
		t.Errorf("anonymous notice logged %d times:\n%s", n, logs.String())
	}
	for _, a := range f.Auth() {
		if a != "" {
			t.Fatalf("anonymous request sent Authorization %q", a)
		}
	}
	d, _ := New(Config{Name: "x", User: "priyar"})
	if d.cfg.SearchInterval != anonymousPacing || d.cfg.MaxWait != DefaultMaxWait || d.cfg.Activity != harvester.TypeOpenSource {
		t.Errorf("anonymous defaults: %+v", d.cfg)
	}
}

func TestNew(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		base    string
		wantErr string
	}{
		{"default host", Config{Name: "gh", User: "priyar"}, "https://api.github.com/", ""},
		{"slash added", Config{Name: "gh", User: "priyar", BaseURL: "https://ghe.example.com/api/v3"}, "https://ghe.example.com/api/v3/", ""},
		{"managed user", Config{Name: "gh", User: "priya_acme"}, "https://api.github.com/", ""},
		{"no name", Config{User: "priyar"}, "", "name is required"},
		{"no user", Config{Name: "gh"}, "", "not a GitHub login"},
		{"query injection", Config{Name: "gh", User: "priyar repo:x/y"}, "", "not a GitHub login"},
		{"relative", Config{Name: "gh", User: "priyar", BaseURL: "api.github.com"}, "", "http or https"},
		{"ftp", Config{Name: "gh", User: "priyar", BaseURL: "ftp://x.example/"}, "", "http or https"},
		{"credentials", Config{Name: "gh", User: "priyar", BaseURL: "https://bob:hunter2@ghe.example.com/api/v3/"}, "", "must not carry credentials"},
		{"query", Config{Name: "gh", User: "priyar", BaseURL: "https://ghe.example.com/api/v3/?access_token=s3cret"}, "", "query"},
		{"bad", Config{Name: "gh", User: "priyar", BaseURL: "http://[::1"}, "", "not a URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := New(tt.cfg)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err %v, want %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "s3cret") {
					t.Errorf("error shows a secret: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.cfg.BaseURL != tt.base || s.client.BaseURL.String() != tt.base {
				t.Errorf("base %q / %q, want %q", s.cfg.BaseURL, s.client.BaseURL, tt.base)
			}
		})
	}
}

func TestUnauthorized(t *testing.T) {
	f := newFake(t, "/", 100)
	for range 3 {
		f.AddFault(fault{Status: 401, Body: `{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"}`})
	}
	s, sl := newTestSource(t, f, nil)
	b, err := s.Harvest(context.Background(), harvester.SourceState{})
	if err == nil || !strings.Contains(err.Error(), "rejected the token") || b != nil {
		t.Fatalf("batch %v, err %v", b, err)
	}
	if len(sl.waits) != 0 {
		t.Errorf("a 401 was waited on: %v", sl.waits)
	}
	if strings.Contains(err.Error(), fakeToken) {
		t.Errorf("error holds the token")
	}
}

func TestCancelled(t *testing.T) {
	f := newFake(t, "/", 100)
	f.AddFault(fault{Endpoint: "search", Status: 403, Header: map[string]string{"Retry-After": "30"},
		Body: `{"message":"You have exceeded a secondary rate limit."}`})
	ctx, cancel := context.WithCancel(context.Background())
	s, _ := newTestSource(t, f, func(c *Config) {
		c.Sleep = func(ctx context.Context, d time.Duration) error { cancel(); return sleepCtx(ctx, d) }
	})
	_, err := s.Harvest(ctx, harvester.SourceState{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	if f.Count("/users/priyar/repos") != 0 {
		t.Errorf("went on after cancellation: %v", f.Requests())
	}
}

// A GitHub that cannot be reached is said once, in plain words, not once
// per part with the request's URL and the dialler's words after it.
func TestUnreachable(t *testing.T) {
	f := newFake(t, "/", 100)
	f.srv.Close()
	host := strings.TrimPrefix(f.srv.URL, "http://")
	s, _ := newTestSource(t, f, func(c *Config) { c.HTTPClient = fetch.New(fetch.Options{}).HTTPClient() })
	_, err := s.Harvest(context.Background(), harvester.SourceState{})
	if want := "github user priyar: connection refused by " + host; err == nil || err.Error() != want {
		t.Fatalf("err = %v, want %q", err, want)
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("errors.Is(ECONNREFUSED) false for %v", err)
	}
}
