package daemon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/memstore"
)

func TestEditEndpoint(t *testing.T) {
	d, st, _ := apiDaemon(t, Config{})
	var mu sync.Mutex
	var gotReq harvester.EditRequest
	var rebuilds atomic.Int32
	edit := func(ctx context.Context, ids []string, req harvester.EditRequest) ([]harvester.Contribution, error) {
		id := ids[0]
		if id == "missing" {
			return nil, fmt.Errorf("contribution %s: %w", id, harvester.ErrNotFound)
		}
		if req.Date != nil && *req.Date == "yesterday" {
			return nil, Invalid(errors.New(`--date "yesterday": expected YYYY-MM-DD`))
		}
		mu.Lock()
		gotReq = req
		mu.Unlock()
		return oneRow(st.Contribution(ctx, id))
	}
	rebuild := func(ctx context.Context) error {
		rebuilds.Add(1)
		st.Locked(func() { st.Log[0].Title = "Bicep modules, revised" })
		return nil
	}
	setEdit(d, edit, rebuild)
	srv := serve(t, d)
	resp, body := request(t, "POST", srv.URL+"/edit/a1", "", "title=Bicep+modules%2C+revised&reach=120&exclude")
	var row harvester.Contribution
	if err := json.Unmarshal([]byte(body), &row); err != nil || resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	if row.ID != "a1" || row.Title != "Bicep modules, revised" || rebuilds.Load() != 1 {
		t.Errorf("row %+v after %d rebuilds; want the rebuilt row", row, rebuilds.Load())
	}
	title, reach, exclude := "Bicep modules, revised", int64(120), true
	want := harvester.EditRequest{Title: &title, Reach: &reach, Exclude: &exclude}
	mu.Lock()
	defer mu.Unlock()
	if !reflect.DeepEqual(gotReq, want) {
		t.Errorf("hook got %+v; want %+v", gotReq, want)
	}
	for _, tt := range []struct {
		path, form string
		code       int
	}{
		{"/edit/missing", "title=x", 404},
		{"/edit/a1", "date=yesterday", 400},
		{"/edit/a1", "", 400},
		{"/edit/a1", "titel=x", 400},
		{"/edit/a1", "title=x&title=y", 400},
		{"/edit/a1", "reach=lots", 400},
		{"/edit/a1", "exclude&include", 400},
	} {
		if resp, body := request(t, "POST", srv.URL+tt.path, "", tt.form); resp.StatusCode != tt.code {
			t.Errorf("%s %q: %d %s; want %d", tt.path, tt.form, resp.StatusCode, body, tt.code)
		}
	}
	setEdit(d, nil, rebuild)
	if resp, _ := request(t, "POST", srv.URL+"/edit/a1", "", "title=x"); resp.StatusCode != http.StatusNotImplemented {
		t.Errorf("without an Edit hook: %d; want 501", resp.StatusCode)
	}
}

// TestAnEditDuringAPassIsRebuiltAfterIt: the pass's own rebuild may have
// read the edits before the edit was stored, so the daemon rebuilds again.
func TestAnEditDuringAPassIsRebuiltAfterIt(t *testing.T) {
	release := make(chan struct{})
	var block atomic.Bool
	h := &countingHarvester{fn: func(_ context.Context, n int) (*harvester.Pass, error) {
		if block.Load() {
			<-release
		}
		return &harvester.Pass{}, nil
	}}
	st := memstore.New()
	st.Log = sampleLog()
	var rebuilds atomic.Int32
	d := &Daemon{Config: Config{Schedule: "@every 1h"}, Harvester: h, Store: st, Logger: testLogger(&logBuffer{}),
		Edit: func(ctx context.Context, ids []string, _ harvester.EditRequest) ([]harvester.Contribution, error) {
			id := ids[0]
			return oneRow(st.Contribution(ctx, id))
		},
		Rebuild: func(context.Context) error { rebuilds.Add(1); return nil }}
	start(t, d)
	pass(t, d) // after the start-up pass
	block.Store(true)
	done := d.q.add(nil)
	eventually(t, "the blocked pass", func() bool { return h.inFlight.Load() == 1 })
	if resp, body := request(t, "POST", serve(t, d).URL+"/edit/b2", "", "role=Keynote"); resp.StatusCode != 200 {
		t.Fatalf("edit during a pass: %d %s", resp.StatusCode, body)
	}
	close(release)
	<-done
	if n := rebuilds.Load(); n != 2 {
		t.Errorf("%d rebuilds; want 2 (the edit's, and one after the pass it overlapped)", n)
	}
}
