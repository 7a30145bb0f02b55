package daemon

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/contriblog/contriblog/harvester"
)

func TestReload(t *testing.T) {
	h := &countingHarvester{}
	var rebuilds atomic.Int32
	cfg := Config{Schedule: "@every 1h", Listen: "127.0.0.1:0", Sources: []SourceSchedule{
		{Name: "blog", Enabled: true}, {Name: "talks", Enabled: true}, {Name: "old", Enabled: true}, {Name: "off"}}}
	d, _, first := apiDaemon(t, cfg)
	eventually(t, "the start-up pass", func() bool { return len(first.calls()) > 0 })

	next := Config{Schedule: "@every 1h", Listen: "127.0.0.1:1", ListenToken: "new-token", Sources: []SourceSchedule{
		{Name: "blog", Enabled: true},                      // unchanged
		{Name: "talks", Enabled: true, Schedule: "@daily"}, // rescheduled
		{Name: "off", Enabled: true},                       // enabled now
		{Name: "new", Enabled: true},                       // added
		{Name: "old"},                                      // disabled now
	}}
	rep, err := d.Reload(context.Background(), Reload{Config: next, Harvester: h,
		Rebuild: func(context.Context) error { rebuilds.Add(1); return nil }})
	if err != nil {
		t.Fatal(err)
	}
	want := ReloadReport{Added: []string{"new", "off"}, Removed: []string{"old"}, Rescheduled: []string{"talks"},
		Kept: []string{"listen", "listen_token"}}
	if !reflect.DeepEqual(rep, want) {
		t.Errorf("report %+v; want %+v", rep, want)
	}
	if rebuilds.Load() != 1 {
		t.Errorf("%d rebuilds; want the log rebuilt once with the new config", rebuilds.Load())
	}
	// The added sources get a pass of their own, with the new pipeline.
	eventually(t, "a pass over the added sources", func() bool {
		return slices.ContainsFunc(h.calls(), func(names []string) bool { return reflect.DeepEqual(names, []string{"new", "off"}) })
	})
	if got := d.live(); got.Listen != cfg.Listen || got.ListenToken != "" {
		t.Errorf("listen %q token %q after reload; want the running ones kept", got.Listen, got.ListenToken)
	}
	// /sources says which sources the daemon schedules now.
	srv := serve(t, d)
	_, body := request(t, "GET", srv.URL+"/sources", "", "")
	var rows []SourceStatus
	if err := json.Unmarshal([]byte(body), &rows); err != nil {
		t.Fatal(err)
	}
	scheduled := map[string]bool{}
	for _, r := range rows {
		scheduled[r.Name] = r.Scheduled
	}
	if want := map[string]bool{"blog": true, "talks": true, "off": true, "new": true, "old": false}; !reflect.DeepEqual(scheduled, want) {
		t.Errorf("scheduled %v; want %v", scheduled, want)
	}
	// A pass asked for before the reload over a source it removed runs
	// without it.
	if out := d.pass(context.Background(), harvester.HarvestRequest{Names: []string{"old"}}); out.Err == nil || !strings.Contains(out.Err.Error(), "no longer schedules old") {
		t.Errorf("pass over a removed source: %v; want it refused", out.Err)
	}

	// A config that cannot run leaves everything as it was.
	before := d.live()
	bad := next
	bad.Sources = append(slices.Clone(next.Sources), SourceSchedule{Name: "broken", Enabled: true, Schedule: "every tuesday"})
	if _, err := d.Reload(context.Background(), Reload{Config: bad, Harvester: h}); err == nil || !strings.Contains(err.Error(), "broken") {
		t.Fatalf("reload with a bad schedule: %v; want an error naming the source", err)
	}
	if d.live() != before {
		t.Error("a refused reload changed the settings")
	}
	if _, ok := d.plan("broken"); ok {
		t.Error("a refused reload scheduled its sources")
	}
	if _, err := d.Reload(context.Background(), Reload{Config: Config{Schedule: "@every 1h", ExportFormat: "xls"}, Harvester: h}); err == nil {
		t.Error("reload with an unknown export format accepted")
	}
}

func TestReloadBeforeRun(t *testing.T) {
	d := &Daemon{Config: Config{Schedule: "@every 1h"}, Harvester: &countingHarvester{}}
	d.init()
	if _, err := d.Reload(context.Background(), Reload{Harvester: &countingHarvester{}}); err != ErrNotRunning {
		t.Errorf("got %v; want ErrNotRunning", err)
	}
}
