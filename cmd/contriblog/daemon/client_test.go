package daemon

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"reflect"
	"strings"
	"testing"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/memstore"
)

// clientDaemon is a daemon with a token listening on a loopback port the
// system picks, as `contriblog run` would.
func clientDaemon(t *testing.T, hooks ...func(*Daemon)) (listen string, st *memstore.Store) {
	t.Helper()
	st = memstore.New()
	st.Log = sampleLog()
	st.States["a"] = harvester.SourceState{Name: "a", Type: "feed", Items: 5}
	d := &Daemon{Config: Config{Schedule: "@every 1h", Listen: "127.0.0.1:0", ListenToken: testToken,
		Sources: []SourceSchedule{{Name: "a", Type: "feed", Enabled: true}, {Name: "b", Type: "ics", Enabled: true}}},
		Harvester: &countingHarvester{fn: func(context.Context, int) (*harvester.Pass, error) {
			return &harvester.Pass{Rows: 4, Results: []harvester.Result{{Source: "a", New: 1}}}, nil
		}},
		Store: st, Logger: testLogger(&logBuffer{}),
		Edit: func(ctx context.Context, ids []string, _ harvester.EditRequest) ([]harvester.Contribution, error) {
			var out []harvester.Contribution
			for _, id := range ids {
				if id == "zz" {
					return nil, fmt.Errorf("contribution %s: %w", id, harvester.ErrNotFound)
				}
				c, err := st.Contribution(ctx, id)
				if err != nil {
					return nil, err
				}
				out = append(out, c)
			}
			return out, nil
		},
		Rebuild: func(context.Context) error { return nil },
	}
	for _, h := range hooks {
		h(d)
	}
	start(t, d)
	// Dial the port through the unspecified address, as a config with
	// listen: ":PORT" would.
	return fmt.Sprintf(":%d", d.Addr().Port), st
}

func TestClientReadsThroughTheDaemon(t *testing.T) {
	listen, _ := clientDaemon(t)
	ctx := context.Background()
	c := &Client{Listen: listen, Token: testToken}

	var b bytes.Buffer
	if _, err := c.Export(ctx, harvester.ExportRequest{Format: "csv", Filter: harvester.Filter{Person: "Sam Lee"}}, &b); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), "ID,Person") || !strings.Contains(b.String(), "Guest post") || strings.Contains(b.String(), "Bicep") {
		t.Errorf("export:\n%s", b.String())
	}
	var rows []harvester.Contribution
	err := c.Log(ctx, harvester.Filter{All: true, Since: "2026-02-01"}, func(r *harvester.Contribution) error {
		rows = append(rows, *r)
		return nil
	})
	if err != nil || len(rows) != 3 || rows[2].ID != "d4" || !rows[2].Excluded {
		t.Errorf("log: %+v, %v", rows, err)
	}
	states, err := c.Sources(ctx)
	if err != nil || len(states) != 2 || states[0].Items != 5 || states[1].Name != "b" || states[1].Type != "ics" {
		t.Errorf("sources: %+v, %v", states, err)
	}
	role := "Keynote"
	got, err := c.Edit(ctx, []string{"b2"}, harvester.EditRequest{Role: &role})
	if err != nil || len(got) != 1 || got[0].ID != "b2" {
		t.Errorf("edit: %+v, %v", got, err)
	}
	if _, err := c.Edit(ctx, []string{"zz"}, harvester.EditRequest{Role: &role}); !errors.Is(err, harvester.ErrNotFound) {
		t.Errorf("edit of an unknown id: %v; want ErrNotFound", err)
	}
	var re *RemoteError
	if _, err := c.Edit(ctx, []string{"b2"}, harvester.EditRequest{}); !errors.Is(err, harvester.ErrInvalidEdit) ||
		!errors.Is(err, ErrInvalid) || !errors.As(err, &re) || !strings.Contains(err.Error(), "nothing to change") {
		t.Errorf("empty edit: %v; want ErrInvalidEdit from the daemon's refusal", err)
	}
	p, err := c.Harvest(ctx, harvester.HarvestRequest{Names: []string{"a"}})
	if err != nil || p.Rows != 4 || len(p.Results) != 1 || p.Results[0].New != 1 {
		t.Errorf("harvest: %+v, %v", p, err)
	}
}

// The edit request survives the wire: every field the client sends, the
// daemon decodes to the same request (merges repeated).
func TestEditFormRoundTrip(t *testing.T) {
	s := func(v string) *string { return &v }
	ex, reach, qty := false, int64(85), 3
	tests := []harvester.EditRequest{
		{Exclude: &ex, Title: s(""), Date: s("2026-03-01"), Reach: &reach, Quantity: &qty},
		{ActivityType: s("Blog"), Role: s("Keynote"), Area: s("Go"), Merge: []string{"b2", "c3"}},
		{Split: true},
		{URL: s("https://priya.dev/zt"), Description: s("About zero trust"), TargetAudience: []string{"IT Pro", "Developer"},
			AdditionalAreas: []string{"Security"}},
		{URL: s(""), Description: s(""), TargetAudience: []string{}, AdditionalAreas: []string{}},
		{PrivateDescription: s("Only for the program"), MicrosoftEvent: s("Ignite"), HighImpact: &ex,
			Counts: map[string]*int64{"views": &reach, "attendees": nil, "ondemand_views": new(int64)}},
		{PrivateDescription: s(""), MicrosoftEvent: s(""), HighImpact: new(bool)},
	}
	*tests[len(tests)-1].HighImpact = true
	for _, want := range tests {
		got, err := decodeEdit(editForm(want))
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("decodeEdit(editForm(%+v)) = %+v, %v", want, got, err)
		}
	}
}

func TestClientErrorsAreSentencesWithoutTheToken(t *testing.T) {
	listen, _ := clientDaemon(t)
	ctx := context.Background()
	_, err := (&Client{Listen: listen, Token: "wrong-token"}).Sources(ctx)
	var re *RemoteError
	if !errors.As(err, &re) || re.StatusCode != 401 || !strings.Contains(err.Error(), "listen_token") {
		t.Errorf("wrong token: %v", err)
	}
	c := &Client{Listen: listen, Token: testToken}
	if _, err := c.Export(ctx, harvester.ExportRequest{Format: "xlsx"}, &bytes.Buffer{}); err == nil {
		t.Error("unknown format: no error")
	}
	_, err = c.Export(ctx, harvester.ExportRequest{Format: "csv", Filter: harvester.Filter{Since: "last week"}}, &bytes.Buffer{})
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "YYYY-MM-DD") {
		t.Errorf("bad filter: %v", err)
	}

	free, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	gone := free.Addr().String()
	free.Close()
	_, err = (&Client{Listen: gone, Token: testToken}).Sources(ctx)
	if err == nil || !strings.Contains(err.Error(), "no answer from the daemon at "+gone) || strings.Contains(err.Error(), testToken) {
		t.Errorf("no daemon: %v", err)
	}
}

func TestListenAddresses(t *testing.T) {
	tests := []struct {
		listen   string
		loopback bool
		dial     string
	}{
		{"127.0.0.1:8787", true, "127.0.0.1:8787"},
		{"127.8.0.1:8787", true, "127.8.0.1:8787"},
		{"localhost:8787", true, "localhost:8787"},
		{"[::1]:8787", true, "[::1]:8787"},
		{":8787", false, "127.0.0.1:8787"},
		{"0.0.0.0:8787", false, "127.0.0.1:8787"},
		{"[::]:8787", false, "[::1]:8787"},
		{"192.168.1.10:8787", false, "192.168.1.10:8787"},
		{"contriblog.lan:8787", false, "contriblog.lan:8787"},
	}
	for _, tt := range tests {
		loop, err := isLoopback(tt.listen)
		if err != nil || loop != tt.loopback {
			t.Errorf("isLoopback(%q) = %v, %v; want %v", tt.listen, loop, err, tt.loopback)
		}
		if dial, err := dialAddr(tt.listen); err != nil || dial != tt.dial {
			t.Errorf("dialAddr(%q) = %q, %v; want %q", tt.listen, dial, err, tt.dial)
		}
	}
	if _, err := dialAddr("8787"); err == nil {
		t.Error("dialAddr of a bare port: no error")
	}
}
