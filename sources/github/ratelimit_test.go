package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	gh "github.com/google/go-github/v60/github"

	"github.com/contriblog/contriblog/harvester"
)

func resetIn(d time.Duration) string { return strconv.FormatInt(time.Now().Add(d).Unix(), 10) }

const secondaryBody = `{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",` +
	`"documentation_url":"https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}`

// TestRateLimitsWaitedOut: each limit is waited out (briefly) and the pass
// still harvests the whole year.
func TestRateLimitsWaitedOut(t *testing.T) {
	tests := []struct {
		name    string
		faults  []fault
		minWait time.Duration // the wait asked for at least...
		maxWait time.Duration // ...and at most
	}{
		{"primary 403 with reset", []fault{{Endpoint: "search", Status: 403,
			Header: map[string]string{"X-RateLimit-Limit": "30", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": resetIn(2 * time.Second), "X-RateLimit-Resource": "search"},
			Body:   `{"message":"API rate limit exceeded for user ID 1.","documentation_url":"https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting"}`}},
			time.Second, 4 * time.Second},
		{"secondary 403 with Retry-After", []fault{{Endpoint: "search", Status: 403, Header: map[string]string{"Retry-After": "1"}, Body: secondaryBody}},
			time.Second, time.Second},
		{"429 with Retry-After", []fault{{Endpoint: "repos", Status: 429, Header: map[string]string{"Retry-After": "1"}, Body: `{"message":"Too Many Requests"}`}},
			time.Second, time.Second},
		{"429 primary on releases", []fault{{Endpoint: "releases", Status: 429,
			Header: map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": resetIn(time.Second)}, Body: `{"message":"API rate limit exceeded"}`}},
			time.Second, 3 * time.Second},
		{"429 naming no time", []fault{{Endpoint: "search", Status: 429, Body: `{"message":"Too Many Requests"}`}},
			time.Minute, time.Minute},
		{"secondary 403 naming no time", []fault{{Endpoint: "releases", Status: 403, Body: `{"message":"You have exceeded a secondary rate limit."}`}},
			time.Minute, time.Minute},
		{"primary then secondary", []fault{
			{Endpoint: "search", Status: 403, Header: map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": resetIn(time.Second)}, Body: `{"message":"API rate limit exceeded"}`},
			{Endpoint: "search", Status: 403, Header: map[string]string{"Retry-After": "1"}, Body: secondaryBody}},
			time.Second, 3 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFake(t, "/", 4)
			for _, fl := range tt.faults {
				f.AddFault(fl)
			}
			s, sl := newTestSource(t, f, func(c *Config) { c.MaxWait = 2 * time.Minute })
			b, err := s.Harvest(context.Background(), harvester.SourceState{})
			if err != nil {
				t.Fatal(err)
			}
			diffSets(t, summary(t, b), wantYear)
			if w := sl.longest(); w < tt.minWait || w > tt.maxWait {
				t.Errorf("longest wait %v, want in [%v, %v]; waits %v", w, tt.minWait, tt.maxWait, sl.waits)
			}
		})
	}
}

// TestLimitBeyondMaxWait: a primary search limit an hour away fails the
// search parts (the second search is not even asked), names the reset
// time, and returns the repositories and releases it got.
func TestLimitBeyondMaxWait(t *testing.T) {
	f := newFake(t, "/", 100)
	reset := time.Now().Add(time.Hour).Truncate(time.Second)
	f.AddFault(fault{Endpoint: "search", Status: 403,
		Header: map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": strconv.FormatInt(reset.Unix(), 10), "X-RateLimit-Resource": "search"},
		Body:   `{"message":"API rate limit exceeded for user ID 1."}`})
	s, sl := newTestSource(t, f, func(c *Config) { c.MaxWait = 5 * time.Minute })
	b, err := s.Harvest(context.Background(), harvester.SourceState{})
	var le *LimitError
	if !errors.As(err, &le) || le.Kind != KindPrimary {
		t.Fatalf("err %v, want a primary *LimitError", err)
	}
	if !strings.Contains(err.Error(), reset.UTC().Format("2006-01-02 15:04")) || !strings.Contains(err.Error(), "max_wait 5m0s") {
		t.Errorf("error does not name the reset time %v: %v", reset.UTC(), err)
	}
	if d := le.Until.Sub(reset); d < 0 || d > 5*time.Second {
		t.Errorf("Until %v, reset %v", le.Until, reset)
	}
	if n := f.Count("/search/issues"); n != 1 {
		t.Errorf("%d search requests after a limit an hour away, want 1", n)
	}
	if len(sl.waits) != 0 {
		t.Errorf("waited %v", sl.waits)
	}
	if b == nil {
		t.Fatal("no partial batch")
	}
	got := summary(t, b)
	for id, v := range wantYear {
		if strings.HasPrefix(v, "repository") || strings.HasPrefix(v, "release") {
			if got[id] != v {
				t.Errorf("partial batch lacks %s", id)
			}
		} else if _, ok := got[id]; ok {
			t.Errorf("partial batch has %s", id)
		}
	}
	if b.Data[keyCompleteAt] != "" {
		t.Errorf("an incomplete pass marked itself complete")
	}
}

// TestSecondaryBeyondMaxWaitStopsEverything: a secondary limit is not per
// category, so nothing more is asked.
func TestSecondaryBeyondMaxWaitStopsEverything(t *testing.T) {
	f := newFake(t, "/", 100)
	f.AddFault(fault{Endpoint: "search", Status: 403, Header: map[string]string{"Retry-After": "3600"}, Body: secondaryBody})
	s, _ := newTestSource(t, f, nil)
	b, err := s.Harvest(context.Background(), harvester.SourceState{})
	var le *LimitError
	if !errors.As(err, &le) || le.Kind != KindSecondary || b != nil {
		t.Fatalf("batch %v, err %v", b, err)
	}
	if len(f.Requests()) != 1 {
		t.Errorf("requests after a secondary limit: %v", f.Requests())
	}
}

// TestLimitPersists: a limit that keeps coming back is given up after
// maxAttempts waits rather than retried for ever.
func TestLimitPersists(t *testing.T) {
	f := newFake(t, "/", 100)
	for range 20 {
		f.AddFault(fault{Endpoint: "search", Status: 429, Body: `{"message":"Too Many Requests"}`})
	}
	s, sl := newTestSource(t, f, func(c *Config) { c.MaxWait = time.Hour })
	_, err := s.Harvest(context.Background(), harvester.SourceState{})
	var le *LimitError
	if !errors.As(err, &le) || !strings.Contains(err.Error(), "persisted") {
		t.Fatalf("err %v", err)
	}
	if n := f.Count("/search/issues"); n != maxAttempts {
		t.Errorf("%d search requests, want %d", n, maxAttempts)
	}
	if len(sl.waits) < maxAttempts-1 {
		t.Errorf("waits %v", sl.waits)
	}
}

func TestClassify(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	resp := func(code int, h map[string]string) *http.Response {
		r := &http.Response{StatusCode: code, Header: http.Header{}, Request: &http.Request{Method: "GET"}}
		for k, v := range h {
			r.Header.Set(k, v)
		}
		return r
	}
	sec := func(d time.Duration) *time.Duration { return &d }
	tests := []struct {
		name string
		err  error
		kind string
		wait time.Duration
	}{
		{"primary", &gh.RateLimitError{Rate: gh.Rate{Reset: gh.Timestamp{Time: now.Add(10 * time.Second)}}, Response: resp(403, nil)}, KindPrimary, 11 * time.Second},
		{"primary, server clock", &gh.RateLimitError{Rate: gh.Rate{Reset: gh.Timestamp{Time: now.Add(10 * time.Second)}},
			Response: resp(403, map[string]string{"Date": now.Add(5 * time.Second).Format(http.TimeFormat)})}, KindPrimary, 6 * time.Second},
		{"primary, reset passed", &gh.RateLimitError{Rate: gh.Rate{Reset: gh.Timestamp{Time: now.Add(-time.Minute)}}, Response: resp(403, nil)}, KindPrimary, time.Second},
		{"primary, no reset", &gh.RateLimitError{Response: resp(403, nil)}, KindPrimary, time.Minute},
		{"abuse with retry", &gh.AbuseRateLimitError{Response: resp(403, nil), RetryAfter: sec(7 * time.Second)}, KindSecondary, 7 * time.Second},
		{"abuse without", &gh.AbuseRateLimitError{Response: resp(403, nil)}, KindSecondary, time.Minute},
		{"403 secondary text", &gh.ErrorResponse{Response: resp(403, nil), Message: "You have exceeded a secondary rate limit"}, KindSecondary, time.Minute},
		{"403 retry-after", &gh.ErrorResponse{Response: resp(403, map[string]string{"Retry-After": "5"})}, KindTooMany, 5 * time.Second},
		{"429 retry-after date", &gh.ErrorResponse{Response: resp(429, map[string]string{"Retry-After": now.Add(20 * time.Second).Format(http.TimeFormat)})}, KindTooMany, 20 * time.Second},
		{"429 reset", &gh.ErrorResponse{Response: resp(429, map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": strconv.FormatInt(now.Add(30*time.Second).Unix(), 10)})}, KindPrimary, 31 * time.Second},
		{"429 bare", &gh.ErrorResponse{Response: resp(429, nil)}, KindTooMany, time.Minute},
		{"wrapped", fmt.Errorf("search: %w", &gh.AbuseRateLimitError{Response: resp(403, nil), RetryAfter: sec(2 * time.Second)}), KindSecondary, 2 * time.Second},
		{"403 forbidden", &gh.ErrorResponse{Response: resp(403, nil), Message: "Resource protected by organization SAML enforcement"}, "", 0},
		{"404", &gh.ErrorResponse{Response: resp(404, nil), Message: "Not Found"}, "", 0},
		{"304", &gh.ErrorResponse{Response: resp(304, nil)}, "", 0},
		{"network", errors.New("connection refused"), "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lim, ok := classify(tt.err, 1, now)
			if ok != (tt.kind != "") || lim.kind != tt.kind || lim.wait != tt.wait {
				t.Errorf("got %+v %v, want %s %v", lim, ok, tt.kind, tt.wait)
			}
		})
	}
	if backoff(3) != 4*time.Minute || backoff(99) != 16*time.Minute {
		t.Errorf("backoff: %v %v", backoff(3), backoff(99))
	}
}

func TestPacing(t *testing.T) {
	f := newFake(t, "/", 3)
	var mu sync.Mutex
	var waits []time.Duration
	s, _ := newTestSource(t, f, func(c *Config) {
		c.SearchInterval = time.Hour // never reached: the recorded waits are not slept
		c.Sleep = func(ctx context.Context, d time.Duration) error {
			mu.Lock()
			defer mu.Unlock()
			waits = append(waits, d)
			return nil
		}
	})
	if _, err := s.Harvest(context.Background(), harvester.SourceState{}); err != nil {
		t.Fatal(err)
	}
	searches := f.Count("/search/issues")
	if len(waits) != searches-1 {
		t.Fatalf("%d pauses for %d searches", len(waits), searches)
	}
	for _, d := range waits {
		if d <= 0 || d > time.Hour {
			t.Errorf("pause %v", d)
		}
	}
}

// TestRealisticLimits plays the limits of a busy day with the real clock
// and the default pacing: the first search is answered with a primary
// limit three seconds away, the next with a secondary one (Retry-After:
// 2), pages hold ten items at most. Both passes succeed, and together they
// hold the year exactly once.
func TestRealisticLimits(t *testing.T) {
	if testing.Short() {
		t.Skip("waits out real rate limits (about ten seconds)")
	}
	f := newFake(t, "/", 10)
	f.AddFault(fault{Endpoint: "search", Status: 403,
		Header: map[string]string{"X-RateLimit-Limit": "30", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": resetIn(3 * time.Second), "X-RateLimit-Resource": "search"},
		Body:   `{"message":"API rate limit exceeded for user ID 4211001.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"}`})
	f.AddFault(fault{Endpoint: "search", Status: 403, Header: map[string]string{"Retry-After": "2"}, Body: secondaryBody})
	s, err := New(Config{Name: "github", User: "priyar", Person: "Priya Raman", Token: fakeToken, BaseURL: f.baseURL(),
		Since: testSince, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	b1, err := s.Harvest(ctx, harvester.SourceState{})
	if err != nil {
		t.Fatal(err)
	}
	b2, err := s.Harvest(ctx, harvester.SourceState{Data: b1.Data})
	if err != nil {
		t.Fatal(err)
	}
	union := summary(t, b1)
	for k, v := range summary(t, b2) {
		union[k] = v
	}
	diffSets(t, union, wantYear)
}

func TestReleasesOfVanishedRepository(t *testing.T) {
	f := newFake(t, "/", 100)
	f.AddFault(fault{Endpoint: "releases", Status: 404, Body: `{"message":"Not Found"}`})
	s, _ := newTestSource(t, f, nil)
	b, err := s.Harvest(context.Background(), harvester.SourceState{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for k, v := range wantYear {
		if !strings.Contains(k, "bicep-landing-zone/releases") { // the first repository listed
			want[k] = v
		}
	}
	diffSets(t, summary(t, b), want)
}
