//go:build unix

package daemon

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/export"
	"github.com/contriblog/contriblog/harvester/memstore"
)

// TestAnExportToAFIFOWithNoReaderFailsAndTheDaemonGoesOn: export.path a
// named pipe that nobody reads is a clear error, not a daemon blocked on
// opening it; passes and edits go on.
func TestAnExportToAFIFOWithNoReaderFailsAndTheDaemonGoesOn(t *testing.T) {
	path := filepath.Join(t.TempDir(), "export.fifo")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	st := memstore.New()
	st.Log = sampleLog()
	logs := &logBuffer{}
	h := &countingHarvester{fn: func(context.Context, int) (*harvester.Pass, error) {
		return &harvester.Pass{LogChanged: true}, nil
	}}
	d := &Daemon{Config: Config{Schedule: "@every 1h", ExportPath: path}, Harvester: h, Store: st, Logger: testLogger(logs),
		Edit: func(ctx context.Context, ids []string, _ harvester.EditRequest) ([]harvester.Contribution, error) {
			id := ids[0]
			return oneRow(st.Contribution(ctx, id))
		},
		Rebuild: func(context.Context) error { return nil }}
	start(t, d)
	srv := serve(t, d)
	eventually(t, "the start-up export to fail", func() bool {
		d.metrics.mu.Lock()
		defer d.metrics.mu.Unlock()
		return d.metrics.exportErrors >= 1
	})
	if want := "export.path " + path + " is a named pipe with no reader"; !strings.Contains(logs.String(), want) {
		t.Errorf("the log does not say %q:\n%s", want, logs)
	}
	if code, body := requestGuarded(t, "POST", srv.URL+"/harvest", "wait=1"); code != http.StatusOK {
		t.Errorf("the pass after: %d %s", code, body)
	}
	if code, body := requestGuarded(t, "POST", srv.URL+"/edit/a1", "title=x"); code != http.StatusOK {
		t.Errorf("the edit after: %d %s", code, body)
	}
	_, _, err := d.writeExport(context.Background(), d.live().ExportPath, d.live().ExportFormat, false)
	if !errors.Is(err, export.ErrNoReader) {
		t.Errorf("writeExport: %v; want ErrNoReader", err)
	}
}
