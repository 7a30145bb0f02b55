package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"time"
)

// RestoreOptions tune Restore.
type RestoreOptions struct {
	// Timeout is how long Restore waits for another process to let go
	// of the database; zero means DefaultTimeout, negative not at all.
	Timeout time.Duration
	// Now names the file the replaced database is kept as (default
	// time.Now).
	Now func() time.Time
	// Logger receives warnings about the files read (default
	// slog.Default()).
	Logger *slog.Logger
}

// Restored says what Restore did.
type Restored struct {
	// Path is the database that was restored: the path given, with its
	// symbolic links resolved (the link keeps pointing at it).
	Path string
	// Kept is where the database that was replaced now is:
	// Path.damaged-YYYYMMDD-HHMMSS (UTC) when it is damaged, else
	// Path.replaced-…; "" when there was none.
	Kept string
	// KeptProblem is why the replaced database did not pass Check: it is
	// damaged (it wraps ErrDamaged) or could not be checked; nil when it
	// passed, or when there was none.
	KeptProblem error
}

// Restore replaces the database at path with a copy of the backup file,
// which it only reads. It refuses, changing nothing, a backup that is the
// database itself, is not a contriblog database, was written by a newer
// contriblog or fails Check (the error wraps ErrNotDatabase,
// ErrNewerSchema or ErrDamaged), and a database another process holds
// (ErrLocked: a running daemon must be stopped first, not asked).
//
// The copy is written beside the database, synced, checked (and migrated
// when its schema is older), then renamed over path with mode 0600, and
// the directory synced: path is always a whole database, the old or the
// restored one. The database it replaces is kept beside it (Restored.Kept).
func Restore(ctx context.Context, backup, path string, opts RestoreOptions) (Restored, error) {
	logger := opts.Logger
	if logger == nil {
		logger = slog.Default()
	}
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	fail := func(err error) (Restored, error) { return Restored{}, fmt.Errorf("restore %s: %w", backup, err) }
	src, err := openBackup(backup, path)
	if err != nil {
		return fail(err)
	}
	defer src.Close()

	// The backup first: a bad one is refused before anything else is
	// asked of the person (such as stopping the daemon).
	tmp, err := copyBeside(src, path)
	if err != nil {
		return fail(err)
	}
	defer os.Remove(tmp) // gone once renamed; else not to be left behind
	if err := verifyBackup(tmp, backup, logger); err != nil {
		return Restored{}, err
	}
	r := Restored{Path: path}
	exists, problem, err := inspectCurrent(path, opts.Timeout, logger)
	if err != nil {
		return fail(err)
	}
	unlock, err := lockForReplace(path, opts.Timeout)
	if err != nil {
		return fail(err)
	}
	defer unlock()
	if err := ctx.Err(); err != nil {
		return fail(err)
	}
	if exists {
		r.Kept, r.KeptProblem = keptName(path, problem, opts.Now), problem
	}
	if err := replace(tmp, path, r.Kept); err != nil {
		return fail(err)
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		// The restore is done; only its durability across a crash of
		// the machine is in doubt.
		logger.Warn("restored, but a crash of the machine now may undo it", "err", err)
	}
	return r, nil
}

// openBackup opens the backup for reading, refusing the database itself.
func openBackup(backup, path string) (*os.File, error) {
	if same, _ := samePath(backup, path); same {
		return nil, fmt.Errorf("that is the database itself (%s)", path)
	}
	src, err := os.Open(backup)
	if err != nil {
		return nil, describeFSError(err)
	}
	if info, err := src.Stat(); err != nil || !info.Mode().IsRegular() {
		src.Close()
		return nil, errors.New("it is not a regular file")
	}
	return src, nil
}

// inspectCurrent opens the database at path read-only (never changing it)
// and checks it: problem is why it is not sound, err that another process
// holds it or that it cannot be read at all.
func inspectCurrent(path string, timeout time.Duration, logger *slog.Logger) (exists bool, problem, err error) {
	if _, err := os.Lstat(path); errors.Is(err, os.ErrNotExist) {
		return false, nil, nil
	} else if err != nil {
		return false, nil, fmt.Errorf("database %s: %w", path, describeFSError(err))
	}
	db, err := Open(path, Options{ReadOnly: true, Timeout: timeout, Logger: logger})
	if errors.Is(err, ErrLocked) {
		return true, nil, err
	}
	if err != nil {
		return true, err, nil // damaged, or not a database this build can check
	}
	problem = db.Check()
	_ = db.Close() // read-only: nothing to lose
	return true, problem, nil
}

// lockForReplace holds the database file's lock, as a bbolt writer would,
// until unlock: no contriblog process can open the file while it is being
// replaced. A file that does not exist needs no lock.
func lockForReplace(path string, timeout time.Duration) (unlock func(), err error) {
	if !flockIsBolts {
		// A file held open here would itself stop Windows replacing it.
		return func() {}, nil
	}
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return func() {}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("database %s: %w", path, describeFSError(err))
	}
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	deadline := time.Now().Add(timeout)
	for {
		ok, err := exclusiveLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("lock database %s: %w", path, err)
		}
		if ok {
			return func() { f.Close() }, nil // closing releases the lock
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, &lockedError{path: path}
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// copyBeside copies src to a new, synced temporary file in the database's
// directory (so that renaming it over path stays on one file system) and
// returns its path.
func copyBeside(src *os.File, path string) (tmp string, err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("create database directory %s: %w", dir, describeFSError(err))
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".restore-*.tmp")
	if err != nil {
		return "", fmt.Errorf("copy beside %s: %w", path, describeFSError(err))
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(f.Name())
		}
	}()
	if _, err := io.Copy(f, src); err != nil {
		return "", fmt.Errorf("copy to %s: %w", f.Name(), err)
	}
	if err := f.Chmod(0o600); err != nil {
		return "", fmt.Errorf("copy to %s: %w", f.Name(), err)
	}
	if err := f.Sync(); err != nil {
		return "", fmt.Errorf("copy to %s: %w", f.Name(), err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("copy to %s: %w", f.Name(), err)
	}
	return f.Name(), nil
}

// keptName is where the database at path is kept when it is replaced:
// path.damaged-YYYYMMDD-HHMMSS (UTC, so that names sort by time) when
// problem says it is damaged, else path.replaced-…, with a counter when a
// file of that name exists. A file that is not damaged but could not be
// checked (another schema, another program's file) is "replaced": nothing
// says it is broken.
func keptName(path string, problem error, now func() time.Time) string {
	kind := "replaced"
	if errors.Is(problem, ErrDamaged) {
		kind = "damaged"
	}
	if now == nil {
		now = time.Now
	}
	base := path + "." + kind + "-" + now().UTC().Format("20060102-150405")
	name := base
	for i := 2; ; i++ {
		if _, err := os.Lstat(name); errors.Is(err, os.ErrNotExist) {
			return name
		}
		name = base + "-" + strconv.Itoa(i)
	}
}

// replace renames tmp over path, keeping the file at path as kept first
// when kept is set.
func replace(tmp, path, kept string) error {
	moved := false
	if kept != "" {
		// A hard link keeps the old file without path ever missing it;
		// where there are none (some network and FAT file systems) it is
		// moved, and put back if the rename fails.
		if err := os.Link(path, kept); err != nil {
			if err := os.Rename(path, kept); err != nil {
				return fmt.Errorf("keep the database %s as %s: %w", path, kept, describeFSError(err))
			}
			moved = true
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		if moved {
			_ = os.Rename(kept, path)
		} else if kept != "" {
			_ = os.Remove(kept)
		}
		return fmt.Errorf("replace %s: %w", path, describeFSError(err))
	}
	return nil
}

// syncDir makes the renames in dir durable. Windows cannot sync a
// directory (and need not: NTFS journals its renames).
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}
