package daemon

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/contriblog/contriblog/harvester/memstore"
)

// fakeBackup writes a small file to each path it is asked for and counts
// its calls; failNext makes the next call fail.
type fakeBackup struct {
	mu       sync.Mutex
	paths    []string
	failNext atomic.Bool
}

func (b *fakeBackup) backup(_ context.Context, path string) error {
	if b.failNext.CompareAndSwap(true, false) {
		return errors.New("disk full")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.paths = append(b.paths, path)
	return os.WriteFile(path, []byte("db"), 0o600)
}

func (b *fakeBackup) written() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.paths...)
}

// clock is a settable Now.
type clock struct{ t atomic.Pointer[time.Time] }

func newClock(t time.Time) *clock { c := &clock{}; c.set(t); return c }
func (c *clock) set(t time.Time)  { c.t.Store(&t) }
func (c *clock) now() time.Time   { return *c.t.Load() }

func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	sort.Strings(out)
	return out
}

// TestDailyBackupRotation: today's backup is written, then the daily
// backups beyond keep are removed, oldest first; nothing else in the
// directory is touched.
func TestDailyBackupRotation(t *testing.T) {
	unrelated := []string{
		"contriblog-20260101-120000.db", // asked for through POST /backup
		"contriblog-2026-13-45.db",      // no such date
		"contriblog-2026-01-01.db.bak",
		"notes.txt",
		"other-2026-01-01.db",
	}
	for _, tt := range []struct {
		keep int
		want []string // daily backups left
	}{
		{1, []string{"contriblog-2026-01-10.db"}},
		{3, []string{"contriblog-2026-01-08.db", "contriblog-2026-01-09.db", "contriblog-2026-01-10.db"}},
		{20, []string{"contriblog-2026-01-01.db", "contriblog-2026-01-02.db", "contriblog-2026-01-03.db",
			"contriblog-2026-01-04.db", "contriblog-2026-01-05.db", "contriblog-2026-01-06.db",
			"contriblog-2026-01-07.db", "contriblog-2026-01-08.db", "contriblog-2026-01-09.db", "contriblog-2026-01-10.db"}},
	} {
		dir := t.TempDir()
		for i := 1; i <= 9; i++ {
			os.WriteFile(filepath.Join(dir, "contriblog-2026-01-0"+string(rune('0'+i))+".db"), nil, 0o600)
		}
		for _, n := range unrelated {
			os.WriteFile(filepath.Join(dir, n), nil, 0o600)
		}
		os.Mkdir(filepath.Join(dir, "contriblog-2026-01-00.db"), 0o700) // a directory: not ours either
		fb := &fakeBackup{}
		d := &Daemon{Config: Config{BackupDir: dir, BackupKeep: tt.keep, Location: time.UTC},
			Harvester: &countingHarvester{}, Store: memstore.New(), Backup: fb.backup, Logger: testLogger(&logBuffer{}),
			Now: newClock(time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC)).now}
		d.init()
		d.dailyBackup(context.Background())
		d.dailyBackup(context.Background()) // the same day: nothing more
		if got := fb.written(); len(got) != 1 || filepath.Base(got[0]) != "contriblog-2026-01-10.db" {
			t.Errorf("keep %d: wrote %v; want today's backup once", tt.keep, got)
		}
		want := append(append(append([]string(nil), tt.want...), unrelated...), "contriblog-2026-01-00.db")
		sort.Strings(want)
		if got := names(t, dir); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("keep %d: the directory holds\n%v\nwant\n%v", tt.keep, got, want)
		}
	}
}

// TestANewDayMakesANewBackup: at start-up (today's is missing), then after
// the first pass of each calendar day in the configured zone.
func TestANewDayMakesANewBackup(t *testing.T) {
	zone := time.FixedZone("UTC+10", 10*3600)
	clk := newClock(time.Date(2026, 3, 1, 23, 0, 0, 0, zone))
	dir := t.TempDir()
	fb := &fakeBackup{}
	logs := &logBuffer{}
	d := &Daemon{Config: Config{Schedule: "@every 1h", Location: zone, BackupDir: dir, BackupKeep: 7},
		Harvester: &countingHarvester{}, Store: memstore.New(), Backup: fb.backup, Logger: testLogger(logs), Now: clk.now}
	start(t, d)
	srv := serve(t, d)
	eventually(t, "the start-up backup", func() bool { return len(fb.written()) == 1 })
	pass(t, d)
	clk.set(time.Date(2026, 3, 1, 23, 59, 0, 0, zone)) // the same day: no new backup
	pass(t, d)

	// A failed backup is shown and logged, and tried again after the next pass.
	clk.set(time.Date(2026, 3, 2, 0, 1, 0, 0, zone))
	fb.failNext.Store(true)
	pass(t, d) // a pass's backup comes before its outcome
	var hl health
	code, body := requestGuarded(t, "GET", srv.URL+"/healthz", "")
	if err := json.Unmarshal([]byte(body), &hl); err != nil || code != http.StatusOK || hl.Backup == nil ||
		!strings.Contains(hl.Backup.LastError, "disk full") {
		t.Errorf("/healthz after a failed backup: %d %s; want 200 showing the error", code, body)
	}
	if !strings.Contains(logs.String(), "daily backup failed") {
		t.Errorf("the failure was not logged:\n%s", logs)
	}
	_, metrics := requestGuarded(t, "GET", srv.URL+"/metrics", "")
	if !strings.Contains(metrics, "contriblog_backup_errors_total 1") {
		t.Errorf("metrics do not count the failure:\n%s", metrics)
	}
	pass(t, d)
	want := []string{"contriblog-2026-03-01.db", "contriblog-2026-03-02.db"}
	if got := names(t, dir); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("backups %v; want %v", got, want)
	}
	if _, body := requestGuarded(t, "GET", srv.URL+"/healthz", ""); strings.Contains(body, "last_error") {
		t.Errorf("the failure is still shown after a success: %s", body)
	}
}

// TestNoDailyBackupsWithKeep0: keep 0 means none.
func TestNoDailyBackupsWithKeep0(t *testing.T) {
	fb := &fakeBackup{}
	d := &Daemon{Config: Config{Schedule: "@every 1h", BackupDir: t.TempDir()},
		Harvester: &countingHarvester{}, Store: memstore.New(), Backup: fb.backup, Logger: testLogger(&logBuffer{})}
	start(t, d)
	pass(t, d)
	if got := fb.written(); len(got) != 0 {
		t.Errorf("wrote %v; want nothing", got)
	}
}

func TestBackupEndpoint(t *testing.T) {
	dir := t.TempDir()
	fb := &fakeBackup{}
	st := memstore.New()
	d := &Daemon{Config: Config{Schedule: "@every 1h", ListenToken: testToken, BackupDir: filepath.Join(dir, "backups")},
		Harvester: &countingHarvester{}, Store: st, Backup: fb.backup, Logger: testLogger(&logBuffer{}),
		Now: newClock(time.Date(2026, 3, 1, 14, 5, 6, 0, time.UTC)).now, authSleep: func(context.Context, time.Duration) {}}
	d.Config.Location = time.UTC
	start(t, d)
	srv := serve(t, d)
	abs := filepath.Join(dir, "copy.db")
	for _, tt := range []struct {
		name, token, form string
		code              int
		path              string
	}{
		{"no token", "", "path=" + abs, http.StatusUnauthorized, ""},
		{"wrong token", "nope", "path=" + abs, http.StatusUnauthorized, ""},
		{"a path", testToken, "path=" + abs, http.StatusOK, abs},
		{"the default path", testToken, "", http.StatusOK, filepath.Join(dir, "backups", "contriblog-20260301-140506.db")},
		{"a relative path", testToken, "path=copy.db", http.StatusBadRequest, ""},
		{"an unknown field", testToken, "dir=x", http.StatusBadRequest, ""},
	} {
		resp, body := request(t, "POST", srv.URL+"/backup", tt.token, tt.form)
		if resp.StatusCode != tt.code {
			t.Errorf("%s: %d %s; want %d", tt.name, resp.StatusCode, body, tt.code)
			continue
		}
		if tt.path == "" {
			continue
		}
		var rep BackupReport
		if err := json.Unmarshal([]byte(body), &rep); err != nil || rep.Path != tt.path {
			t.Errorf("%s: %s; want the path %s", tt.name, body, tt.path)
		}
		if _, err := os.Stat(tt.path); err != nil {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
	// A browser page on another origin cannot trigger one, token or not.
	req, _ := http.NewRequest("POST", srv.URL+"/backup", strings.NewReader("path="+abs))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+testToken)
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin POST /backup: %d; want 403", resp.StatusCode)
	}
	if n := len(fb.written()); n != 2 {
		t.Errorf("%d backups written; want 2", n)
	}

	none := serve(t, &Daemon{Config: Config{ListenToken: testToken}, Harvester: &countingHarvester{}, Store: st})
	if resp, _ := request(t, "POST", none.URL+"/backup", testToken, "path="+abs); resp.StatusCode != http.StatusNotImplemented {
		t.Errorf("without a Backup hook: %d; want 501", resp.StatusCode)
	}
}

// TestPostBackup is the client's round trip, a relative path made
// absolute in the caller's directory.
func TestPostBackup(t *testing.T) {
	dir := t.TempDir()
	fb := &fakeBackup{}
	st := memstore.New()
	d := &Daemon{Config: Config{Schedule: "@every 1h", Listen: "127.0.0.1:0", ListenToken: testToken,
		BackupDir: filepath.Join(dir, "backups")},
		Harvester: &countingHarvester{}, Store: st, Backup: fb.backup, Logger: testLogger(&logBuffer{})}
	start(t, d)
	listen := d.Addr().String()
	ctx := context.Background()
	abs := filepath.Join(dir, "copy.db")
	if got, err := (&Client{Listen: listen, Token: testToken}).Backup(ctx, abs); err != nil || got != abs {
		t.Errorf("PostBackup(%s) = %q, %v", abs, got, err)
	}
	got, err := (&Client{Listen: listen, Token: testToken}).Backup(ctx, "")
	if err != nil || filepath.Dir(got) != filepath.Join(dir, "backups") || !strings.HasPrefix(filepath.Base(got), "contriblog-") {
		t.Errorf("PostBackup(\"\") = %q, %v; want a file in the backup dir", got, err)
	}
	t.Chdir(dir)
	if got, err := (&Client{Listen: listen, Token: testToken}).Backup(ctx, "rel.db"); err != nil || got != filepath.Join(dir, "rel.db") {
		t.Errorf("PostBackup(rel.db) = %q, %v; want it in the caller's directory", got, err)
	}
	_, err = (&Client{Listen: listen, Token: "wrong"}).Backup(ctx, abs)
	var re *RemoteError
	if !errors.As(err, &re) || re.StatusCode != http.StatusUnauthorized || strings.Contains(err.Error(), "wrong") {
		t.Errorf("wrong token: %v", err)
	}
}
