package daemon

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"sync"
	"time"
)

// Daily backups: <BackupDir>/contriblog-YYYY-MM-DD.db, one per calendar
// day in Config.Location, the last BackupKeep kept. Backups asked for
// through POST /backup are named contriblog-YYYYMMDD-HHMMSS.db, which the
// rotation never matches, so they stay until someone removes them.

// dailyBackupName matches exactly the names of daily backups: the rotation
// removes nothing else from the directory.
var dailyBackupName = regexp.MustCompile(`^contriblog-(\d{4}-\d{2}-\d{2})\.db$`)

// BackupReport is POST /backup's answer: where the backup was written.
type BackupReport struct {
	Path string `json:"path"`
}

// backupStatus is what /healthz says about backups: the latest success and
// the latest failure, if it came after it.
type backupStatus struct {
	mu        sync.Mutex
	last      time.Time
	lastPath  string
	lastErr   string
	lastErrAt time.Time
}

// backupHealth is /healthz's "backup".
type backupHealth struct {
	LastBackup  *time.Time `json:"last_backup,omitempty"`
	LastPath    string     `json:"last_path,omitempty"`
	LastError   string     `json:"last_error,omitempty"` // cleared by the next success
	LastErrorAt *time.Time `json:"last_error_at,omitempty"`
}

func (s *backupStatus) record(at time.Time, path string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.lastErr, s.lastErrAt = err.Error(), at
		return
	}
	s.last, s.lastPath, s.lastErr, s.lastErrAt = at, path, "", time.Time{}
}

func (s *backupStatus) health() *backupHealth {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.last.IsZero() && s.lastErr == "" {
		return nil
	}
	h := &backupHealth{LastPath: s.lastPath, LastError: s.lastErr}
	if !s.last.IsZero() {
		last := s.last
		h.LastBackup = &last
	}
	if !s.lastErrAt.IsZero() {
		at := s.lastErrAt
		h.LastErrorAt = &at
	}
	return h
}

// dailyBackups reports whether the daemon keeps daily backups.
func (d *Daemon) dailyBackups() bool {
	lv := d.live()
	return d.Backup != nil && lv.BackupKeep > 0 && lv.BackupDir != ""
}

// dailyBackup writes today's backup if there is none yet, then removes the
// oldest daily backups beyond BackupKeep. It runs at start-up and after
// every pass that did not fail as a whole, between passes, so the first
// of them each day makes the day's backup. A failure is logged and shown
// by /healthz and /metrics, and tried again after the next pass.
func (d *Daemon) dailyBackup(ctx context.Context) {
	if !d.dailyBackups() || ctx.Err() != nil {
		return
	}
	lv := d.live()
	day := d.now().In(lv.Location).Format("2006-01-02")
	path := filepath.Join(lv.BackupDir, "contriblog-"+day+".db")
	if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() {
		return
	}
	if _, err := d.backup(ctx, path); err != nil {
		d.Logger.Error("daily backup failed; trying again after the next pass", "path", path, "err", err)
		return
	}
	d.Logger.Info("daily backup written", "path", path)
	d.pruneBackups()
}

// backup writes a backup to path and records the outcome. A panic in
// Backup is the backup's failure, not the daemon's end.
func (d *Daemon) backup(ctx context.Context, path string) (_ string, err error) {
	defer d.backupRuns.begin(d.now())()
	defer func() {
		if r := recover(); r != nil {
			err = panicError(d.Logger, "backup", r)
		}
		d.backups.record(d.now(), path, err)
		d.metrics.backupDone(d.now(), err)
	}()
	if err := d.Backup(ctx, path); err != nil {
		return "", err
	}
	return path, nil
}

// pruneBackups removes the oldest daily backups beyond BackupKeep: regular
// files whose names match dailyBackupName exactly, oldest by the date in
// the name. Anything else in the directory is left alone.
func (d *Daemon) pruneBackups() {
	entries, err := os.ReadDir(d.live().BackupDir)
	if err != nil {
		d.Logger.Error("listing the backups failed", "dir", d.live().BackupDir, "err", err)
		return
	}
	var daily []string
	for _, e := range entries {
		m := dailyBackupName.FindStringSubmatch(e.Name())
		if m == nil || !e.Type().IsRegular() {
			continue
		}
		if _, err := time.Parse("2006-01-02", m[1]); err != nil {
			continue // contriblog-2026-13-45.db is not one of ours
		}
		daily = append(daily, e.Name())
	}
	sort.Strings(daily) // YYYY-MM-DD sorts by date
	for _, name := range daily[:max(0, len(daily)-d.live().BackupKeep)] {
		path := filepath.Join(d.live().BackupDir, name)
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			d.Logger.Error("removing an old backup failed", "path", path, "err", err)
			continue
		}
		d.Logger.Info("old backup removed", "path", path, "keep", d.live().BackupKeep)
	}
}

// serveBackup answers POST /backup: form path, an absolute path on the
// daemon's machine, or "" for <BackupDir>/contriblog-YYYYMMDD-HHMMSS.db.
// It answers with a BackupReport once the backup is complete.
func (d *Daemon) serveBackup(w http.ResponseWriter, r *http.Request) {
	if d.Backup == nil {
		http.Error(w, "this daemon cannot write backups", http.StatusNotImplemented)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := r.ParseForm(); err != nil {
		httpError(w, "read form: "+err.Error(), http.StatusBadRequest)
		return
	}
	if err := onlyKeys(r.PostForm, "path"); err != nil {
		httpError(w, err.Error(), http.StatusBadRequest)
		return
	}
	path, err := d.backupPath(r.PostForm.Get("path"))
	if err != nil {
		httpError(w, err.Error(), http.StatusBadRequest)
		return
	}
	// A large database may take longer to copy than the server's write
	// timeout allows; the copy is bounded by the request's context.
	_ = http.NewResponseController(w).SetWriteDeadline(time.Time{})
	if _, err := d.backup(r.Context(), path); err != nil {
		d.Logger.Error("backup failed", "path", path, "err", err)
		msg := err.Error()
		if errors.Is(err, errInternal) {
			msg = "internal error while writing the backup; the daemon's log has the details"
		}
		httpError(w, msg, http.StatusInternalServerError)
		return
	}
	d.Logger.Info("backup written", "path", path)
	writeJSON(w, http.StatusOK, BackupReport{Path: path})
}

// backupPath is where POST /backup writes: path, which must be absolute
// (the daemon's working directory means nothing to the client), or a
// timestamped name in BackupDir.
func (d *Daemon) backupPath(path string) (string, error) {
	if path != "" {
		if !filepath.IsAbs(path) {
			return "", fmt.Errorf("path=%q: give an absolute path", path)
		}
		return filepath.Clean(path), nil
	}
	if d.live().BackupDir == "" {
		return "", errors.New("no path given and no backup directory configured (backup.dir)")
	}
	name := "contriblog-" + d.now().UTC().Format("20060102-150405") + ".db"
	return filepath.Join(d.live().BackupDir, name), nil
}
