package github

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/contriblog/contriblog/harvester"
)

// lockedBuffer is a bytes.Buffer for a logger written from several
// goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func newTestLogger(w *lockedBuffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// TestTokenNeverLeaks: the token reaches the server in the Authorization
// header and nowhere else: not in debug logs, errors (even when a server
// echoes it) or the batch.
func TestTokenNeverLeaks(t *testing.T) {
	f := newFake(t, "/", 2)
	f.AddFault(fault{Endpoint: "releases", Status: 500, Body: `{"message":"internal error for Bearer ` + fakeToken + `"}`})
	var logs lockedBuffer
	s, _ := newTestSource(t, f, func(c *Config) { c.Logger = newTestLogger(&logs) })
	ctx := context.Background()
	b, err := s.Harvest(ctx, harvester.SourceState{})
	if err == nil || b == nil {
		t.Fatalf("want a partial batch and an error, got %v, %v", b, err)
	}
	b2, err2 := s.Harvest(ctx, harvester.SourceState{Data: b.Data})
	if err2 != nil {
		t.Fatal(err2)
	}
	js, jerr := json.Marshal([]*harvester.Batch{b, b2})
	if jerr != nil {
		t.Fatal(jerr)
	}
	if !strings.Contains(logs.String(), "level=DEBUG") {
		t.Fatal("no debug logs captured")
	}
	for what, text := range map[string]string{"logs": logs.String(), "error": err.Error(), "batch": string(js)} {
		if strings.Contains(text, fakeToken) || strings.Contains(text, "FAKE0123") {
			t.Errorf("the token appears in the %s", what)
		}
	}
	if !strings.Contains(err.Error(), "[redacted]") {
		t.Errorf("echoed token not replaced: %v", err)
	}
	saw := false
	for _, a := range f.Auth() {
		saw = saw || a == "Bearer "+fakeToken
	}
	if !saw {
		t.Error("the Authorization header never reached the server")
	}
}
