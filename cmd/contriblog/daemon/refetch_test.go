package daemon

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/memstore"
)

// A refetch asked for while a pass runs is merged only with other
// refetches: the plain requests make a pass of their own, which reads
// nothing in full.
func TestRefetchesCoalesceApart(t *testing.T) {
	release := make(chan struct{})
	h := &countingHarvester{fn: func(ctx context.Context, n int) (*harvester.Pass, error) {
		if n == 1 {
			<-release
		}
		return &harvester.Pass{Rows: n}, nil
	}}
	d := &Daemon{Config: Config{Schedule: "@every 1h"}, Harvester: h, Store: memstore.New(), Logger: testLogger(&logBuffer{})}
	start(t, d)
	eventually(t, "the start-up pass", func() bool { return h.inFlight.Load() == 1 })

	plain := []<-chan outcome{d.q.add([]string{"b"}), d.q.add([]string{"c"})}
	refetch := []<-chan outcome{d.q.request(harvester.HarvestRequest{Names: []string{"a"}, Refetch: true}),
		d.q.request(harvester.HarvestRequest{Names: []string{"d"}, Refetch: true})}
	close(release)
	for i, w := range refetch {
		if out := <-w; out.Err != nil || out.Pass == nil || out.Pass.Rows != 2 {
			t.Errorf("refetch %d: outcome %+v; want the second pass's", i, out)
		}
	}
	for i, w := range plain {
		if out := <-w; out.Err != nil || out.Pass == nil || out.Pass.Rows != 3 {
			t.Errorf("plain request %d: outcome %+v; want the third pass's", i, out)
		}
	}
	h.mu.Lock()
	runs, refetches := h.runs, h.refetches
	h.mu.Unlock()
	want := [][]string{nil, {"a", "d"}, {"b", "c"}}
	if !reflect.DeepEqual(runs, want) || !reflect.DeepEqual(refetches, []bool{false, true, false}) {
		t.Errorf("passes %v refetch %v; want %v, [false true false]", runs, refetches, want)
	}
}

// POST /harvest?refetch=1 asks the harvester for a refetch; the report
// and the client carry what each source kept and dropped.
func TestHarvestEndpointRefetch(t *testing.T) {
	dropped := map[string]int{harvester.DroppedSince: 12}
	h := &countingHarvester{fn: func(_ context.Context, n int) (*harvester.Pass, error) {
		return &harvester.Pass{Rows: 3, Results: []harvester.Result{
			{Source: "a", Type: "feed", New: 3, Seen: 15, Kept: 3, Dropped: dropped},
			{Source: "b", Type: "ics", NotModified: true}}}, nil
	}}
	d := &Daemon{Config: Config{Schedule: "@every 1h", Listen: "127.0.0.1:0", ListenToken: testToken,
		Sources: []SourceSchedule{{Name: "a", Enabled: true}, {Name: "b", Enabled: true}}},
		Harvester: h, Store: memstore.New(), Logger: testLogger(&logBuffer{})}
	start(t, d)
	srv := serve(t, d)
	resp, body := request(t, "POST", srv.URL+"/harvest", testToken, "wait=1&refetch=1&source=a")
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	var raw struct {
		Results []map[string]any `json:"results"`
	}
	if err := json.Unmarshal([]byte(body), &raw); err != nil || len(raw.Results) != 2 {
		t.Fatalf("report %s: %v", body, err)
	}
	a, b := raw.Results[0], raw.Results[1]
	if a["seen"] != 15.0 || a["kept"] != 3.0 || !reflect.DeepEqual(a["dropped"], map[string]any{"since": 12.0}) {
		t.Errorf("report of a: %v", a)
	}
	if d, ok := b["dropped"].(map[string]any); !ok || len(d) != 0 || b["not_modified"] != true {
		t.Errorf("report of a 304: %v; want dropped {} and not_modified", b)
	}
	h.mu.Lock()
	last := h.refetches[len(h.refetches)-1]
	h.mu.Unlock()
	if !last {
		t.Error("refetch=1 did not ask the harvester for a refetch")
	}

	c := &Client{Listen: d.Addr().String(), Token: testToken}
	p, err := c.Harvest(context.Background(), harvester.HarvestRequest{Names: []string{"a"}, Refetch: true})
	if err != nil {
		t.Fatal(err)
	}
	if r := p.Results[0]; r.Seen != 15 || r.Kept != 3 || !reflect.DeepEqual(r.Dropped, dropped) {
		t.Errorf("client's pass: %+v", r)
	}
	h.mu.Lock()
	n, last := len(h.refetches), h.refetches[len(h.refetches)-1]
	h.mu.Unlock()
	if !last {
		t.Errorf("the client's refetch reached the harvester as a plain pass (%d passes)", n)
	}
}

// GET /sources shows what the last full read kept and dropped, as
// structured fields, and never the configuration fingerprint.
func TestSourcesEndpointKeptAndDropped(t *testing.T) {
	st := memstore.New()
	read := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	st.States["a"] = harvester.SourceState{Name: "a", Type: "feed", LastRead: read, LastSeen: 15, LastKept: 3,
		LastDropped: map[string]int{harvester.DroppedSince: 12}, Config: "0123456789abcdef", ReadSince: "2026-06-01"}
	d := &Daemon{Config: Config{Schedule: "@every 6h", Sources: []SourceSchedule{
		{Name: "a", Type: "feed", Enabled: true}, {Name: "b", Type: "ics", Enabled: true}}},
		Harvester: &countingHarvester{fn: func(context.Context, int) (*harvester.Pass, error) { return &harvester.Pass{}, nil }},
		Store:     st, Logger: testLogger(&logBuffer{})}
	resp, body := request(t, "GET", serve(t, d).URL+"/sources", "", "")
	var rows []map[string]any
	if err := json.Unmarshal([]byte(body), &rows); err != nil || resp.StatusCode != 200 || len(rows) != 2 {
		t.Fatalf("%d %s: %v", resp.StatusCode, body, err)
	}
	a, b := rows[0], rows[1]
	if a["last_seen"] != 15.0 || a["last_kept"] != 3.0 || a["last_read"] != "2026-11-01T09:00:00Z" || a["read_since"] != "2026-06-01" ||
		!reflect.DeepEqual(a["last_dropped"], map[string]any{"since": 12.0}) {
		t.Errorf("a: %v", a)
	}
	if strings.Contains(body, "0123456789abcdef") || strings.Contains(body, `"config"`) {
		t.Errorf("/sources shows the configuration fingerprint:\n%s", body)
	}
	if d, ok := b["last_dropped"].(map[string]any); !ok || len(d) != 0 {
		t.Errorf("b, never read: last_dropped %#v; want {}", b["last_dropped"])
	}
	if _, ok := b["last_read"]; ok {
		t.Errorf("b, never read, has a last_read: %v", b["last_read"])
	}
	c := &Client{Listen: strings.TrimPrefix(serve(t, d).URL, "http://")}
	states, err := c.Sources(context.Background())
	if err != nil || len(states) != 2 || states[0].LastKept != 3 || states[0].LastDropped[harvester.DroppedSince] != 12 || states[1].LastDropped != nil {
		t.Errorf("client's sources: %+v, %v", states, err)
	}
}
