package daemon

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"testing"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/memstore"
)

// clientDaemon is a daemon with a token listening on a loopback port the
// system picks, as `contriblog run` would.
func clientDaemon(t *testing.T) (listen string, st *memstore.Store) {
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
		Edit: func(ctx context.Context, id string, form url.Values) (harvester.Contribution, error) {
			if id == "zz" {
				return harvester.Contribution{}, fmt.Errorf("contribution %s: %w", id, harvester.ErrNotFound)
			}
			return st.Contribution(ctx, id)
		},
		Rebuild: func(context.Context) error { return nil },
	}
	start(t, d)
	// Dial the port through the unspecified address, as a config with
	// listen: ":PORT" would.
	return fmt.Sprintf(":%d", d.Addr().Port), st
}

func TestClientReadsThroughTheDaemon(t *testing.T) {
	listen, _ := clientDaemon(t)
	ctx := context.Background()

	var b bytes.Buffer
	if err := FetchExport(ctx, listen, testToken, "csv", harvester.Filter{Person: "Sam Lee"}, &b); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), "ID,Person") || !strings.Contains(b.String(), "Guest post") || strings.Contains(b.String(), "Bicep") {
		t.Errorf("export:\n%s", b.String())
	}
	rows, err := FetchLog(ctx, listen, testToken, harvester.Filter{All: true, Since: "2026-02-01"})
	if err != nil || len(rows) != 3 || rows[2].ID != "d4" || !rows[2].Excluded {
		t.Errorf("log: %+v, %v", rows, err)
	}
	states, err := FetchSources(ctx, listen, testToken)
	if err != nil || len(states) != 2 || states[0].Items != 5 || states[1].Name != "b" || states[1].Type != "ics" {
		t.Errorf("sources: %+v, %v", states, err)
	}
	row, err := PostEdit(ctx, listen, testToken, "b2", url.Values{"role": {"Keynote"}})
	if err != nil || row.ID != "b2" {
		t.Errorf("edit: %+v, %v", row, err)
	}
	if _, err := PostEdit(ctx, listen, testToken, "zz", url.Values{"role": {"x"}}); !errors.Is(err, harvester.ErrNotFound) {
		t.Errorf("edit of an unknown id: %v; want ErrNotFound", err)
	}
	if _, err := PostEdit(ctx, listen, testToken, "b2", url.Values{"colour": {"x"}}); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "colour") {
		t.Errorf("edit with an unknown field: %v; want ErrInvalid naming it", err)
	}
	rep, err := PostHarvest(ctx, listen, testToken, []string{"a"})
	if err != nil || rep.Rows != 4 || len(rep.Results) != 1 || rep.Results[0].New != 1 {
		t.Errorf("harvest: %+v, %v", rep, err)
	}
}

func TestClientErrorsAreSentencesWithoutTheToken(t *testing.T) {
	listen, _ := clientDaemon(t)
	ctx := context.Background()
	_, err := FetchSources(ctx, listen, "wrong-token")
	var re *RemoteError
	if !errors.As(err, &re) || re.StatusCode != 401 || !strings.Contains(err.Error(), "listen_token") {
		t.Errorf("wrong token: %v", err)
	}
	if err := FetchExport(ctx, listen, testToken, "xlsx", harvester.Filter{}, &bytes.Buffer{}); err == nil {
		t.Error("unknown format: no error")
	}
	err = FetchExport(ctx, listen, testToken, "csv", harvester.Filter{Since: "last week"}, &bytes.Buffer{})
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "YYYY-MM-DD") {
		t.Errorf("bad filter: %v", err)
	}

	free, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	gone := free.Addr().String()
	free.Close()
	_, err = FetchSources(ctx, gone, testToken)
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
