package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/contriblog/contriblog/cmd/contriblog/config"
)

// runBackup writes a consistent copy of the database and prints its path.
// A running daemon that holds the database is asked to write it.
func (m *Main) runBackup(ctx context.Context, args []string) error {
	fs := m.newFlagSet("backup", "[-o FILE]")
	var out string
	fs.StringVar(&out, "o", "", "write the backup to `FILE` (default: the backup directory, contriblog-YYYYMMDD-HHMMSS.db)")
	fs.StringVar(&out, "output", "", "write the backup to `FILE`")
	if err := m.noArgs(fs, args); err != nil {
		return err
	}
	if out != "" {
		// The daemon resolves a relative path from its own directory:
		// the person meant theirs.
		abs, err := filepath.Abs(out)
		if err != nil {
			return usagef("-o %s: %v", out, err)
		}
		out = abs
	}
	cfg, err := m.loadConfig()
	if err != nil {
		return err
	}
	// A backup is one read transaction: the shared lock is enough, and
	// other readers may go on.
	svc, err := m.openLogService(cfg, readAccess)
	if err != nil {
		return err
	}
	defer svc.Close()
	path, err := svc.Backup(ctx, out)
	if err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, path)
	return nil
}

// backupPath is where a backup taken at now goes by default:
// contriblog-YYYYMMDD-HHMMSS.db (UTC, so that names sort by time whatever
// the zone) in the configured backup directory, else in "backups" beside
// the database.
func backupPath(cfg *config.Config, now time.Time) string {
	dir := cfg.Backup.Dir
	if dir == "" {
		dir = filepath.Join(filepath.Dir(cfg.Database), "backups")
	}
	return filepath.Join(dir, "contriblog-"+now.UTC().Format("20060102-150405")+".db")
}
