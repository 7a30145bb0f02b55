package daemon

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/contriblog/contriblog/harvester/memstore"
)

// pauses records the pauses the limiter asks for instead of taking them;
// with hold set, each pause waits for it to close.
type pauses struct {
	mu   sync.Mutex
	got  []time.Duration
	hold chan struct{}
}

func (p *pauses) sleep(ctx context.Context, d time.Duration) {
	p.mu.Lock()
	p.got = append(p.got, d)
	hold := p.hold
	p.mu.Unlock()
	if hold != nil {
		select {
		case <-hold:
		case <-ctx.Done():
		}
	}
}

func (p *pauses) list() []time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]time.Duration(nil), p.got...)
}

func tokenDaemon(t *testing.T, p *pauses) (*Daemon, *logBuffer, string) {
	t.Helper()
	logs := &logBuffer{}
	d := &Daemon{Config: Config{Schedule: "@every 1h", ListenToken: testToken}, Harvester: &countingHarvester{},
		Store: memstore.New(), Logger: testLogger(logs), authSleep: p.sleep}
	start(t, d)
	return d, logs, serve(t, d).URL
}

func warnings(logs *logBuffer) []string {
	var out []string
	for _, l := range strings.Split(logs.String(), "\n") {
		if strings.Contains(l, "wrong bearer token") {
			out = append(out, l)
		}
	}
	return out
}

// TestWrongTokens: a burst of wrong tokens is answered 401 after growing
// pauses, logged once with a count (the rest of the burst when the minute
// is up), never with the token; the right token is not paused.
func TestWrongTokens(t *testing.T) {
	p := &pauses{}
	d, logs, url := tokenDaemon(t, p)
	for _, tok := range []string{"guess-1", "guess-2", "", "guess-4", "guess-5", "guess-6"} {
		if resp, _ := request(t, "GET", url+"/healthz", tok, ""); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("token %q: %d; want 401", tok, resp.StatusCode)
		}
	}
	want := []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond,
		800 * time.Millisecond, time.Second, time.Second}
	if got := p.list(); len(got) != len(want) || got[0] != want[0] || got[4] != want[4] || got[5] != want[5] {
		t.Errorf("pauses %v; want %v", got, want)
	}
	w := warnings(logs)
	if len(w) != 1 || !strings.Contains(w[0], "failures=1") || !strings.Contains(w[0], "127.0.0.1") {
		t.Fatalf("warnings after the burst:\n%s\nwant one, counting 1 from 127.0.0.1", strings.Join(w, "\n"))
	}
	d.auth.flushLog() // the minute is up
	w = warnings(logs)
	if len(w) != 2 || !strings.Contains(w[1], "failures=5") {
		t.Errorf("warnings after the minute:\n%s\nwant a second counting the other 5", strings.Join(w, "\n"))
	}
	if strings.Contains(logs.String(), "guess-") {
		t.Errorf("a token offered was logged:\n%s", logs)
	}

	// The address is still penalised, but the right token does not pay.
	if pen := d.auth.penaltyOf("127.0.0.1"); pen != time.Second {
		t.Errorf("penalty %v; want the cap", pen)
	}
	before := len(p.list())
	if resp, body := request(t, "GET", url+"/healthz", testToken, ""); resp.StatusCode != http.StatusOK {
		t.Errorf("the right token: %d %s", resp.StatusCode, body)
	}
	if after := len(p.list()); after != before {
		t.Errorf("the right token was paused (%d pauses, %d before)", after, before)
	}
	if _, m := request(t, "GET", url+"/metrics", testToken, ""); !strings.Contains(m, "contriblog_http_auth_failures_total 6") {
		t.Errorf("metrics do not count the failures")
	}
}

// TestWrongTokensHoldABoundedNumberOfRequests: past authMaxHeld paused
// requests, more wrong tokens are answered 429 at once, and the right
// token still goes through.
func TestWrongTokensHoldABoundedNumberOfRequests(t *testing.T) {
	p := &pauses{hold: make(chan struct{})}
	d, _, url := tokenDaemon(t, p)
	var wg sync.WaitGroup
	codes := make(chan int, authMaxHeld)
	for range authMaxHeld {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := http.Get(url + "/healthz")
			if err == nil {
				resp.Body.Close()
				codes <- resp.StatusCode
			}
		}()
	}
	eventually(t, "every slot to be taken", func() bool { return len(d.auth.held) == authMaxHeld })
	if resp, _ := request(t, "GET", url+"/healthz", "one-more", ""); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("a wrong token past the bound: %d; want 429", resp.StatusCode)
	}
	if resp, _ := request(t, "GET", url+"/healthz", testToken, ""); resp.StatusCode != http.StatusOK {
		t.Errorf("the right token while the slots are full: %d; want 200", resp.StatusCode)
	}
	close(p.hold)
	wg.Wait()
	close(codes)
	for c := range codes {
		if c != http.StatusUnauthorized {
			t.Errorf("a paused request: %d; want 401", c)
		}
	}
}

func TestPenalty(t *testing.T) {
	for n, want := range map[int]time.Duration{1: 100 * time.Millisecond, 2: 200 * time.Millisecond,
		4: 800 * time.Millisecond, 5: time.Second, 1000: time.Second} {
		if got := penalty(n); got != want {
			t.Errorf("penalty(%d) = %v; want %v", n, got, want)
		}
	}
}
