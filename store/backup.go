package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"
)

// Backup writes a consistent copy of the whole database to path while the
// database stays open and in use (a running daemon can back itself up):
// the copy is taken in one read transaction, written to a temporary file
// beside path, synced, and renamed over path, so path is always either the
// old backup or a complete new one. The copy is a contriblog database that
// Open accepts as it is. Every page is read and checked first (bbolt's
// tx.Check): a damaged database is not backed up, and the error wraps
// ErrDamaged.
func (db *DB) Backup(ctx context.Context, path string) (err error) {
	if same, _ := samePath(path, db.path); same {
		return fmt.Errorf("backup to %s: that is the database itself", path)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("backup to %s: %w", path, describeFSError(err))
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("backup to %s: %w", path, describeFSError(err))
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	err = db.view(ctx, func(tx *bolt.Tx) error {
		// WriteTo copies the file's bytes without reading a page: a
		// damaged page would go into the backup unnoticed, and the backup
		// would replace a sound older one.
		if err := checkPagesOf(tx); err != nil {
			return damaged(db.path, err)
		}
		_, err := tx.WriteTo(tmp)
		return err
	})
	if err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}

// samePath reports whether a and b name the same file, or would.
func samePath(a, b string) (bool, error) {
	if ia, err := os.Stat(a); err == nil {
		ib, err := os.Stat(b)
		return err == nil && os.SameFile(ia, ib), nil
	}
	aa, err := filepath.Abs(a)
	if err != nil {
		return false, err
	}
	ab, err := filepath.Abs(b)
	return err == nil && aa == ab, err
}
