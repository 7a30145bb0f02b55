package main

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/contriblog/contriblog/cmd/contriblog/daemon"
)

// TestDaemonSecretBesideTheDatabase (issue 18, item 3, as a user meets
// it): `contriblog run` keeps its secret beside the database, readable by
// its user only; `contriblog edit` beside it works as before; a bare
// POST (curl) changes nothing and says what is missing; the file goes
// when the daemon stops.
func TestDaemonSecretBesideTheDatabase(t *testing.T) {
	addr := freeAddr(t)
	cfg := personsConfig(t, "schedule: \"@every 1h\"\nlisten: "+addr+"\n")
	secretFile := filepath.Join(filepath.Dir(cfg), "c.db.daemon-secret")
	_, stop := runInProcess(t, cfg, addr)
	waitFor(t, "the daemon's first pass", func() bool { return len(daemonRows(t, addr)) == 3 })

	info, err := os.Stat(secretFile)
	if err != nil {
		t.Fatalf("no secret file beside the database: %v", err)
	}
	if runtime.GOOS != "windows" && info.Mode().Perm() != 0o600 {
		t.Errorf("secret file mode %v; want 0600", info.Mode().Perm())
	}
	secret := daemonSecret(t, cfg)

	id := idOf(t, cfg, "A draft nobody should see")
	before := daemonGet(t, addr, "/export.json?all=1")
	resp, err := http.Post("http://"+addr+"/edit/"+id, "application/x-www-form-urlencoded", strings.NewReader("exclude=1"))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(body), daemon.SecretHeader) ||
		!strings.Contains(string(body), secretFile) || strings.Contains(string(body), secret) {
		t.Errorf("a bare POST: %d %s; want 403 naming the header and the file, not the secret", resp.StatusCode, body)
	}
	if now := daemonGet(t, addr, "/export.json?all=1"); now != before {
		t.Error("a bare POST changed the log")
	}

	if out := mustRun(t, "-c", cfg, "edit", id, "--exclude"); !strings.Contains(out, id) {
		t.Errorf("edit beside the daemon: %q", out)
	}
	if r := rowByID(t, addr, id); !r.Excluded {
		t.Errorf("edit beside the daemon did not exclude the row: %+v", r)
	}
	if code := stop(); code != 0 {
		t.Fatalf("run exit %d", code)
	}
	if _, err := os.Stat(secretFile); !os.IsNotExist(err) {
		t.Errorf("the secret file outlives the daemon: %v", err)
	}
}
