package daemon

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/contriblog/contriblog/harvester"
)

// The client keeps and reads submission records and adds portal entries
// through the daemon, with its token.
func TestClientSubmissionsAndEntries(t *testing.T) {
	var rebuilds atomic.Int32
	listen, st := clientDaemon(t, func(d *Daemon) {
		d.Rebuild = func(context.Context) error { rebuilds.Add(1); return nil }
	})
	ctx := context.Background()
	c := &Client{Listen: listen, Token: testToken}

	if subs, err := c.Submissions(ctx); err != nil || len(subs) != 0 {
		t.Fatalf("no records yet: %+v, %v", subs, err)
	}
	rec := []harvester.Submission{
		{Program: "mvp", ID: "a1", Anchors: []string{"blog\x00a1"}, At: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), How: harvester.SubmittedMarked},
		{Program: "stars", ID: "a1", How: harvester.SubmittedPushed, RemoteID: "a1"},
	}
	if err := c.SaveSubmissions(ctx, rec); err != nil {
		t.Fatal(err)
	}
	got, err := c.Submissions(ctx)
	if err != nil || len(got) != 2 || got[0].Program != "mvp" || !got[0].At.Equal(rec[0].At) || got[0].Anchors[0] != "blog\x00a1" {
		t.Fatalf("records: %+v, %v", got, err)
	}
	var remote *RemoteError
	if err := c.SaveSubmissions(ctx, []harvester.Submission{{Program: "mvp", ID: "x", How: "guessed"}}); !errors.As(err, &remote) || remote.StatusCode != 400 {
		t.Errorf("a record with an unknown way: %v; want 400", err)
	}
	if n, err := c.DeleteSubmissions(ctx, "mvp", []string{"a1", "zz"}); n != 1 || err != nil {
		t.Errorf("delete: %d, %v", n, err)
	}

	obs := []harvester.Observation{{NativeID: "106", Title: "Keynote", ActivityType: harvester.TypeThirdParty,
		Date: time.Date(2026, 2, 2, 0, 0, 0, 0, time.UTC), AllDay: true}}
	if err := c.AddEntries(ctx, "mvp-portal", obs); err != nil {
		t.Fatal(err)
	}
	if _, ok := st.Obs[harvester.ObservationKey("mvp-portal", "106")]; !ok || rebuilds.Load() == 0 {
		t.Errorf("entries: stored %v, %d rebuilds", st.Obs, rebuilds.Load())
	}
	if err := c.AddEntries(ctx, "a", obs); !errors.As(err, &remote) || remote.StatusCode != 400 || !strings.Contains(err.Error(), "source of the config") {
		t.Errorf("entries of a configured source: %v; want 400", err)
	}
}

// A page in the person's browser on another site cannot write records.
func TestSubmissionsRefuseCrossOrigin(t *testing.T) {
	d, st, _ := apiDaemon(t, Config{})
	srv := serve(t, d)
	req, _ := http.NewRequest("POST", srv.URL+"/submissions", strings.NewReader(`records=[{"program":"mvp","id":"a1","how":"marked"}]`))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if subs, _ := st.Submissions(context.Background()); resp.StatusCode != http.StatusForbidden || len(subs) != 0 {
		t.Errorf("cross-origin POST /submissions: %d, stored %v; want 403 and nothing", resp.StatusCode, subs)
	}
}
