package daemon

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/memstore"
)

// requestGuarded is request with a hang guard: a request still unanswered
// after 20 s (a daemon frozen by a lock held for ever) fails the test
// instead of hanging it. The bound is no timing assertion.
func requestGuarded(t *testing.T, method, url, form string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(form))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	withSecret(req)
	resp, err := (&http.Client{Timeout: 20 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("%s %s: no answer: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestAPanicInAnEditIsA500AndTheDaemonGoesOn: a panic while the edit holds
// the rebuild lock must release it, so that the next edit and the next
// pass complete.
func TestAPanicInAnEditIsA500AndTheDaemonGoesOn(t *testing.T) {
	for _, where := range []string{"edit", "rebuild"} {
		t.Run(where, func(t *testing.T) {
			st := memstore.New()
			st.Log = sampleLog()
			h := &countingHarvester{}
			logs := &logBuffer{}
			var edits, rebuilds atomic.Int32
			// The daemon's own listener, not httptest's: should a request
			// hang, its shutdown gives up after ShutdownTimeout where
			// httptest's Close would wait for ever.
			d := &Daemon{Config: Config{Schedule: "@every 1h", Listen: "127.0.0.1:0"}, Harvester: h, Store: st, Logger: testLogger(logs),
				Edit: func(ctx context.Context, ids []string, _ harvester.EditRequest) ([]harvester.Contribution, error) {
					id := ids[0]
					if edits.Add(1) == 1 && where == "edit" {
						panic("curation bug: secret detail")
					}
					return oneRow(st.Contribution(ctx, id))
				},
				Rebuild: func(context.Context) error {
					if rebuilds.Add(1) == 1 && where == "rebuild" {
						panic("rebuild bug: secret detail")
					}
					return nil
				}}
			start(t, d)
			url := "http://" + d.Addr().String()
			knowSecret(t, url, d)

			code, body := requestGuarded(t, "POST", url+"/edit/a1", "title=x")
			if code != http.StatusInternalServerError || strings.Contains(body, "secret detail") {
				t.Errorf("the panicking edit: %d %q; want 500 with a short message", code, body)
			}
			if s := logs.String(); !strings.Contains(s, "edit panicked") || !strings.Contains(s, "goroutine") {
				t.Errorf("the panic was not logged with its stack:\n%s", s)
			}
			if code, body := requestGuarded(t, "POST", url+"/edit/a1", "title=y"); code != http.StatusOK {
				t.Errorf("the edit after the panic: %d %s; want 200", code, body)
			}
			if code, body := requestGuarded(t, "POST", url+"/harvest", "wait=1"); code != http.StatusOK {
				t.Errorf("the pass after the panic: %d %s; want 200", code, body)
			}
			if _, _, running := d.edits.oldest(); running {
				t.Error("the panicked edit is still counted as running")
			}
		})
	}
}

// panickyStore panics once in ForEachContribution when armed: a bug in
// the export that follows a pass.
type panickyStore struct {
	*memstore.Store
	armed atomic.Bool
}

func (s *panickyStore) ForEachContribution(ctx context.Context, fn func(*harvester.Contribution) error) error {
	if s.armed.CompareAndSwap(true, false) {
		panic("export bug")
	}
	return s.Store.ForEachContribution(ctx, fn)
}

// TestAPanicAfterTheHarvestIsAFailedPass: a panic in what follows the
// harvest (here the export) fails that pass; the runner goes on.
func TestAPanicAfterTheHarvestIsAFailedPass(t *testing.T) {
	st := &panickyStore{Store: memstore.New()}
	h := &countingHarvester{fn: func(context.Context, int) (*harvester.Pass, error) {
		return &harvester.Pass{LogChanged: true}, nil
	}}
	logs := &logBuffer{}
	d := &Daemon{Config: Config{Schedule: "@every 1h", ExportPath: t.TempDir() + "/log.csv"},
		Harvester: h, Store: st, Logger: testLogger(logs)}
	start(t, d)
	eventually(t, "the start-up pass", func() bool { return d.lastPass.Load() != nil })
	st.armed.Store(true)
	if out := <-d.q.add(nil); out.Err == nil || !strings.Contains(out.Err.Error(), "internal error") {
		t.Errorf("the panicking pass: %+v; want an internal error", out)
	}
	if out := <-d.q.add(nil); out.Err != nil {
		t.Errorf("the pass after: %v", out.Err)
	}
	if lp := d.lastPass.Load(); lp == nil || lp.Err != "" {
		t.Errorf("last pass %+v; want the good one", lp)
	}
	if !strings.Contains(logs.String(), "pass panicked") {
		t.Errorf("the panic was not logged:\n%s", logs)
	}
}

// TestHealthzReportsWorkStuckPastItsBound: a pass or an edit that runs
// past its (here tiny) bound makes /healthz answer 503 saying what and
// since when, and 200 again once it ends.
func TestHealthzReportsWorkStuckPastItsBound(t *testing.T) {
	for _, what := range []string{"pass", "edit"} {
		t.Run(what, func(t *testing.T) {
			release := make(chan struct{})
			var block atomic.Bool
			wait := func(ctx context.Context) {
				if block.Load() {
					<-release
				}
			}
			st := memstore.New()
			st.Log = sampleLog()
			h := &countingHarvester{fn: func(ctx context.Context, _ int) (*harvester.Pass, error) {
				if what == "pass" {
					wait(ctx)
				}
				return &harvester.Pass{}, nil
			}}
			d := &Daemon{Config: Config{Schedule: "@every 1h"}, Harvester: h, Store: st, Logger: testLogger(&logBuffer{}),
				PassStuckAfter: time.Millisecond, EditStuckAfter: time.Millisecond,
				Edit: func(ctx context.Context, ids []string, _ harvester.EditRequest) ([]harvester.Contribution, error) {
					id := ids[0]
					if what == "edit" {
						wait(ctx)
					}
					return oneRow(st.Contribution(ctx, id))
				},
				Rebuild: func(context.Context) error { return nil }}
			start(t, d)
			srv := serve(t, d)
			var once sync.Once
			unblock := func() { once.Do(func() { block.Store(false); close(release) }) }
			t.Cleanup(unblock) // before srv.Close, which waits for the blocked edit
			eventually(t, "the start-up pass", func() bool { return d.lastPass.Load() != nil })
			if code, body := requestGuarded(t, "GET", srv.URL+"/healthz", ""); code != http.StatusOK {
				t.Fatalf("before: %d %s", code, body)
			}

			block.Store(true)
			done := make(chan struct{})
			go func() {
				defer close(done)
				if what == "pass" {
					<-d.q.add(nil)
				} else {
					req, _ := http.NewRequest("POST", srv.URL+"/edit/a1", strings.NewReader(url.Values{"title": {"x"}}.Encode()))
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					withSecret(req)
					if resp, err := http.DefaultClient.Do(req); err == nil {
						resp.Body.Close()
					}
				}
			}()
			var hl health
			eventually(t, "/healthz to report the "+what+" stuck", func() bool {
				code, body := requestGuarded(t, "GET", srv.URL+"/healthz", "")
				hl = health{}
				return code == http.StatusServiceUnavailable && json.Unmarshal([]byte(body), &hl) == nil
			})
			if hl.Status != "unavailable" || len(hl.Stuck) != 1 || hl.Stuck[0].What != what ||
				hl.Stuck[0].Since.IsZero() || !strings.Contains(hl.Reason, what+" running since") {
				t.Errorf("stuck report %+v; want the %s, since when, and a reason", hl, what)
			}
			unblock()
			<-done
			eventually(t, "/healthz to recover", func() bool {
				code, _ := requestGuarded(t, "GET", srv.URL+"/healthz", "")
				return code == http.StatusOK
			})
		})
	}
}
