package daemon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/contriblog/contriblog/harvester"
)

// forgetHook is a Forget hook over the sample log that knows the source
// "blog" (2 observations, one row) and records what it was asked.
func forgetHook(applied *atomic.Int32) ForgetFunc {
	return func(_ context.Context, source string, apply bool) (harvester.ForgetReport, error) {
		if source != "blog" {
			return harvester.ForgetReport{}, fmt.Errorf("source %q: %w; did you mean \"blog\"?", source, harvester.ErrNotFound)
		}
		if apply {
			applied.Add(1)
		}
		return harvester.ForgetReport{Source: source, Observations: 2, Removed: []string{"a1"}, Changed: []string{}, Applied: apply}, nil
	}
}

func TestForgetEndpoint(t *testing.T) {
	d, _, _ := apiDaemon(t, Config{})
	var applied, rebuilds atomic.Int32
	rebuild := func(context.Context) error { rebuilds.Add(1); return nil }
	setForget(d, forgetHook(&applied), rebuild)
	srv := serve(t, d)

	resp, body := request(t, "POST", srv.URL+"/forget", "", "source=blog")
	var rep harvester.ForgetReport
	if err := json.Unmarshal([]byte(body), &rep); err != nil || resp.StatusCode != 200 || rep.Applied || rep.Observations != 2 {
		t.Fatalf("preview: %d %s", resp.StatusCode, body)
	}
	if applied.Load() != 0 || rebuilds.Load() != 0 {
		t.Errorf("a preview applied %d, rebuilt %d times", applied.Load(), rebuilds.Load())
	}
	resp, body = request(t, "POST", srv.URL+"/forget", "", "source=blog&apply=1")
	if err := json.Unmarshal([]byte(body), &rep); err != nil || resp.StatusCode != 200 || !rep.Applied || len(rep.Removed) != 1 {
		t.Fatalf("apply: %d %s", resp.StatusCode, body)
	}
	if applied.Load() != 1 || rebuilds.Load() != 1 {
		t.Errorf("applied %d, rebuilt %d times; want 1 and 1", applied.Load(), rebuilds.Load())
	}
	for _, tt := range []struct {
		form string
		code int
		want string
	}{
		{"source=blgo", 404, `did you mean "blog"`},
		{"", 400, "source"},
		{"source=blog&source=devto", 400, "once"},
		{"source=blog&apply=perhaps", 400, "true or false"},
		{"source=blog&yes=1", 400, "yes"},
	} {
		if resp, body := request(t, "POST", srv.URL+"/forget", "", tt.form); resp.StatusCode != tt.code || !strings.Contains(body, tt.want) {
			t.Errorf("%q: %d %s; want %d with %q", tt.form, resp.StatusCode, body, tt.code, tt.want)
		}
	}
	if applied.Load() != 1 {
		t.Errorf("refused requests applied: %d", applied.Load())
	}
	// GET changes nothing; a cross-origin POST is refused before the hook.
	if resp, _ := request(t, "GET", srv.URL+"/forget?source=blog&apply=1", "", ""); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET /forget: %d; want 405", resp.StatusCode)
	}
	req, _ := http.NewRequest("POST", srv.URL+"/forget", strings.NewReader("source=blog&apply=1"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	cross, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	cross.Body.Close()
	if cross.StatusCode != http.StatusForbidden || applied.Load() != 1 {
		t.Errorf("cross-origin POST /forget: %d, applied %d; want 403 and nothing applied", cross.StatusCode, applied.Load())
	}
	setForget(d, nil, rebuild)
	if resp, _ := request(t, "POST", srv.URL+"/forget", "", "source=blog"); resp.StatusCode != http.StatusNotImplemented {
		t.Errorf("without a Forget hook: %d; want 501", resp.StatusCode)
	}
}

// The client's Forget and Edit of several ids go through the daemon with
// its token; an unknown source is ErrNotFound with the daemon's words.
func TestClientForgetsAndEditsSeveral(t *testing.T) {
	var applied atomic.Int32
	listen, st := clientDaemon(t, func(d *Daemon) { d.Forget = forgetHook(&applied) })
	st.Locked(func() {
		// Rows that hold observations, so that the rows now holding them
		// can be found after the edit.
		st.Log[1].Observations = []harvester.ObservationRef{{Source: "sz", NativeID: "b"}}
		st.Log[2].Observations = []harvester.ObservationRef{{Source: "blog", NativeID: "c"}}
	})
	ctx := context.Background()
	c := &Client{Listen: listen, Token: testToken}
	rep, err := c.Forget(ctx, "blog", false)
	if err != nil || rep.Applied || rep.Observations != 2 || applied.Load() != 0 {
		t.Fatalf("preview: %+v, %v", rep, err)
	}
	if rep, err = c.Forget(ctx, "blog", true); err != nil || !rep.Applied || applied.Load() != 1 {
		t.Fatalf("apply: %+v, %v", rep, err)
	}
	if _, err := c.Forget(ctx, "blgo", true); !errors.Is(err, harvester.ErrNotFound) || !strings.Contains(err.Error(), `did you mean "blog"`) {
		t.Errorf("unknown source: %v", err)
	}
	role := "Keynote"
	rows, err := c.Edit(ctx, []string{"b2", "c3"}, harvester.EditRequest{Role: &role})
	if err != nil || len(rows) != 2 || rows[0].ID != "b2" || rows[1].ID != "c3" {
		t.Errorf("edit of two rows: %+v, %v", rows, err)
	}
}
