package daemon

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/contriblog/contriblog/harvester"
)

// fakeSource returns what fn says on its n-th call (from 1).
type fakeSource struct {
	name  string
	calls atomic.Int32
	fn    func(ctx context.Context, n int) ([]harvester.Observation, error)
}

var _ harvester.Source = (*fakeSource)(nil)

func (f *fakeSource) Name() string { return f.name }
func (f *fakeSource) Type() string { return "fake" }
func (f *fakeSource) Harvest(ctx context.Context, _ harvester.SourceState) (*harvester.Batch, error) {
	obs, err := f.fn(ctx, int(f.calls.Add(1)))
	if obs == nil && err != nil {
		return nil, err
	}
	return &harvester.Batch{Observations: obs}, err
}

// posts returns n blog posts of source src, dated a day apart.
func posts(src string, n int) []harvester.Observation {
	out := make([]harvester.Observation, n)
	for i := range out {
		id := fmt.Sprintf("%s-%d", src, i)
		out[i] = harvester.Observation{Source: src, NativeID: id, Title: "Post " + id, ActivityType: harvester.TypeBlog,
			URL: "https://example.com/" + id, Person: "Priya Raman",
			Date: time.Date(2026, 1, 1+i, 12, 0, 0, 0, time.UTC)}
	}
	return out
}

// countingHarvester records the names of every pass (and whether it was
// a refetch) and runs fn, if set.
type countingHarvester struct {
	mu        sync.Mutex
	runs      [][]string
	refetches []bool
	inFlight  atomic.Int32
	peak      atomic.Int32
	fn        func(ctx context.Context, n int) (*harvester.Pass, error)
}

func (h *countingHarvester) Harvest(ctx context.Context, req harvester.HarvestRequest) (*harvester.Pass, error) {
	n := h.inFlight.Add(1)
	defer h.inFlight.Add(-1)
	for p := h.peak.Load(); n > p && !h.peak.CompareAndSwap(p, n); p = h.peak.Load() {
	}
	h.mu.Lock()
	h.runs = append(h.runs, req.Names)
	h.refetches = append(h.refetches, req.Refetch)
	count := len(h.runs)
	h.mu.Unlock()
	if h.fn != nil {
		return h.fn(ctx, count)
	}
	return &harvester.Pass{}, nil
}

func (h *countingHarvester) calls() [][]string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([][]string(nil), h.runs...)
}

// callsFor counts the runs that named source.
func (h *countingHarvester) callsFor(source string) int {
	n := 0
	for _, names := range h.calls() {
		for _, s := range names {
			if s == source {
				n++
			}
		}
	}
	return n
}

// logBuffer collects log output safely across goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func testLogger(b *logBuffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// start runs d in the background until the test ends, and returns a stop
// function that cancels it and returns Run's error.
func start(t *testing.T, d *Daemon) (stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	var once sync.Once
	var err error
	stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case err = <-done:
			case <-time.After(30 * time.Second): // a hang guard, not a timing assertion
				err = errors.New("Run did not return after its context was cancelled")
			}
		})
		return err
	}
	t.Cleanup(func() { stop() })
	eventually(t, "the daemon to start", d.scheduling.Load)
	return stop
}

// eventually polls cond generously; it fails the test only if cond never
// holds (the deadline is a hang guard, not a timing assertion).
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// serve starts an httptest server on d's handler.
func serve(t *testing.T, d *Daemon) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(NewHandler(d))
	t.Cleanup(srv.Close)
	secrets.Store(srv.URL, d.keys.secretText)
	t.Cleanup(func() { secrets.Delete(srv.URL) })
	return srv
}

// secrets are the daemons' secrets by their test server's URL (serve),
// which request and requestGuarded send with a POST, as contriblog's
// commands send the secret file's.
var secrets sync.Map

// knowSecret lets request and requestGuarded send d's secret to its own
// listener at url.
func knowSecret(t *testing.T, url string, d *Daemon) {
	secrets.Store(url, d.keys.secretText)
	t.Cleanup(func() { secrets.Delete(url) })
}

// withSecret gives req the secret of the test server it is for, if it
// changes something.
func withSecret(req *http.Request) {
	if safeMethod(req.Method) {
		return
	}
	if s, ok := secrets.Load(req.URL.Scheme + "://" + req.URL.Host); ok {
		req.Header.Set(SecretHeader, s.(string))
	}
}

// request sends one request with an optional bearer token and form.
func request(t *testing.T, method, url, token, form string) (*http.Response, string) {
	t.Helper()
	var body *strings.Reader
	if form != "" {
		body = strings.NewReader(form)
	} else {
		body = strings.NewReader("")
	}
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	withSecret(req)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return resp, b.String()
}

// setEdit gives a started daemon its Edit and Rebuild hooks, as a reload
// would.
func setEdit(d *Daemon, edit EditFunc, rebuild func(context.Context) error) {
	s := *d.live()
	s.edit, s.rebuild = edit, rebuild
	d.cur.Store(&s)
}

// setForget gives a started daemon its Forget and Rebuild hooks, as a
// reload would.
func setForget(d *Daemon, forget ForgetFunc, rebuild func(context.Context) error) {
	s := *d.live()
	s.forget, s.rebuild = forget, rebuild
	d.cur.Store(&s)
}

// oneRow is a store's row as an Edit hook returns it.
func oneRow(c harvester.Contribution, err error) ([]harvester.Contribution, error) {
	if err != nil {
		return nil, err
	}
	return []harvester.Contribution{c}, nil
}
