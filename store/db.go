// Package store keeps contriblog's data in one bbolt file: what every
// source observed, each source's state, curation edits and the computed
// contribution log. It implements harvester.Store.
//
// Every method is one bbolt transaction (StoreLog excepted, which writes a
// large log in chunks and swaps it in at once); values handed out are
// decoded copies that never alias bbolt's memory map. A damaged file is an
// error wrapping ErrDamaged, from Open or from the method that reads the
// damaged page, never a panic (damage.go, pages.go).
package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/contriblog/contriblog/harvester"
)

// DefaultTimeout is how long Open waits for the file lock when
// Options.Timeout is zero.
const DefaultTimeout = time.Second

// Options tune Open.
type Options struct {
	// Timeout is how long Open waits for the file lock before it gives up
	// with ErrLocked; zero means DefaultTimeout and a negative value tries
	// once without waiting.
	Timeout time.Duration
	// ReadOnly opens the file with a shared lock, for commands that only
	// read: several readers may hold it at once, but not beside a writer.
	ReadOnly bool
	// Logger receives migrations and warnings (default slog.Default()).
	Logger *slog.Logger
	// NoSync skips fsync on commit. A crash may then lose or corrupt data:
	// for tests and benchmarks only.
	NoSync bool
}

// ErrLocked is wrapped by the error Open returns when another process
// holds the database file's lock.
var ErrLocked = errors.New("database is locked")

// ErrNotDatabase is wrapped by the error Open returns when the file is not
// a contriblog database (not a bbolt file, or another program's).
var ErrNotDatabase = errors.New("not a contriblog database")

// ErrNewerSchema is wrapped by the error Open returns when the database was
// written by a newer contriblog whose schema this build does not know.
var ErrNewerSchema = errors.New("database schema is newer than this contriblog")

// DB is an open contriblog database. It is safe for concurrent use; bbolt
// serialises writers, so write from one goroutine for best throughput.
type DB struct {
	bolt   *bolt.DB
	path   string
	logger *slog.Logger
	logMu  sync.Mutex // serialises StoreLog, which takes several transactions
}

var _ harvester.Store = (*DB)(nil)

// Open opens the database at path, creating it (and its parent directory,
// mode 0700) when it does not exist, and brings its schema up to date. It
// waits at most opts.Timeout for the file lock; when another process holds
// it the error wraps ErrLocked and says so in words.
func Open(path string, opts Options) (*DB, error) {
	if path == "" {
		return nil, errors.New("open database: no path given")
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.Default()
	}
	if !opts.ReadOnly {
		if dir := filepath.Dir(path); dir != "" {
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return nil, fmt.Errorf("create database directory %s: %w", dir, describeFSError(err))
			}
		}
	}
	timeout := opts.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	bopts := &bolt.Options{
		Timeout:  timeout,
		ReadOnly: opts.ReadOnly,
		NoSync:   opts.NoSync,
		// The hashmap freelist stays fast as the file fragments; the
		// array one degrades on large, often-rewritten databases.
		FreelistType:    bolt.FreelistMapType,
		InitialMmapSize: initialMmapSize(),
		// A new file gets 16 KiB pages: bbolt writes a commit a page per
		// pwrite, and a cold harvest made four times as many of them with
		// 4 KiB pages. An existing file keeps its page size.
		PageSize: 16 << 10,
	}
	if err := checkPages(path, logger); err != nil {
		if !looksLikeBolt(path) {
			return nil, notBoltError(path)
		}
		return nil, damaged(path, err)
	}
	db := &DB{path: path, logger: logger}
	// bolt.Open reads the meta pages and, for a writer, the free list, and
	// panics on a page checkPages could not see (a writer held the file).
	err := db.guard(func() (err error) {
		db.bolt, err = bolt.Open(path, 0o600, bopts)
		if errors.Is(err, syscall.ENOMEM) && bopts.InitialMmapSize > 0 {
			// A tight address-space limit (ulimit -v): map only the file.
			bopts.InitialMmapSize = 0
			db.bolt, err = bolt.Open(path, 0o600, bopts)
		}
		return err
	})
	if errors.Is(err, ErrDamaged) {
		return nil, err
	}
	if err != nil {
		return nil, openError(path, err)
	}
	bdb := db.bolt
	if err := db.prepare(opts.ReadOnly); err != nil {
		_ = bdb.Close()
		return nil, err
	}
	return db, nil
}

// initialMmapSize reserves address space for the memory map up front.
// bbolt remaps the file each time a write transaction outgrows the map,
// and every remap copies every node the transaction has touched: writing a
// 50,000-row log in a fresh process would remap a dozen times and copy the
// whole log each time. Reserving 1 GiB costs address space, not memory, on
// 64-bit systems; Windows would grow the file to that size, so it keeps
// bbolt's default.
func initialMmapSize() int {
	if runtime.GOOS == "windows" || strconv.IntSize < 64 {
		return 0
	}
	return 1 << 30
}

// Path returns the path the database was opened with.
func (db *DB) Path() string { return db.path }

// Close releases the file and its lock, waiting for running transactions.
// Closing twice is harmless.
func (db *DB) Close() error {
	if err := db.bolt.Close(); err != nil {
		return fmt.Errorf("close database %s: %w", db.path, err)
	}
	return nil
}

// lockedError is the sentence a person reads when the lock is held.
type lockedError struct{ path string }

func (e *lockedError) Error() string {
	return fmt.Sprintf("database %s is in use by another contriblog process (a running `contriblog run` holds it)", e.path)
}

func (e *lockedError) Unwrap() error { return ErrLocked }

// openError turns what bolt.Open returned into an error that says what is
// wrong with the file in words.
func openError(path string, err error) error {
	var pe *os.PathError
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return &lockedError{path: path}
	case errors.As(err, &pe) && pe.Op == "open":
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("open database %s: %w", path, os.ErrNotExist)
		}
		return fmt.Errorf("open database %s: %w", path, describeFSError(pe.Err))
	}
	if !looksLikeBolt(path) {
		return notBoltError(path)
	}
	if errors.Is(err, berrors.ErrInvalid) || errors.Is(err, berrors.ErrChecksum) || errors.Is(err, berrors.ErrVersionMismatch) {
		return damaged(path, err)
	}
	return fmt.Errorf("open database %s: %w", path, err)
}

func notBoltError(path string) error {
	return fmt.Errorf("%s is %w (it is not a bbolt database file)", path, ErrNotDatabase)
}

// looksLikeBolt reports whether the file is a bbolt file, damaged or not:
// one of its meta pages starts with bbolt's magic number, or, both torn,
// its third and fourth pages have bbolt page headers that name them (at
// one of the page sizes bbolt uses). A damaged database is then reported
// as damaged, not as another program's file.
func looksLikeBolt(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	// bbolt writes its pages in the machine's byte order.
	has := func(off int64, want func(head []byte) bool) bool {
		var head [pageHeaderSize + 4]byte
		_, err := f.ReadAt(head[:], off)
		return err == nil && want(head[:])
	}
	magic := func(head []byte) bool { return binary.NativeEndian.Uint32(head[pageHeaderSize:]) == boltMagic }
	names := func(id uint64) func([]byte) bool {
		return func(head []byte) bool {
			flags := binary.NativeEndian.Uint16(head[8:])
			return binary.NativeEndian.Uint64(head) == id && flags&(pageBranch|pageLeaf|pageFreelist) != 0 && flags&(flags-1) == 0
		}
	}
	if has(0, magic) {
		return true
	}
	for size := int64(1 << 10); size <= 1<<16; size <<= 1 {
		if has(size, magic) || has(2*size, names(2)) && has(3*size, names(3)) {
			return true
		}
	}
	return false
}

// describeFSError adds a hint to the file-system errors a person can fix.
func describeFSError(err error) error {
	switch {
	case errors.Is(err, syscall.EROFS):
		return fmt.Errorf("%w (the file system is mounted read-only; put the database somewhere writable with --db or `database:`)", err)
	case errors.Is(err, os.ErrPermission):
		return fmt.Errorf("%w (check the owner and mode of the file and its directory)", err)
	}
	return err
}

// update runs fn in one read-write transaction after checking ctx; a
// damaged page it meets is an error wrapping ErrDamaged (guard).
func (db *DB) update(ctx context.Context, fn func(tx *bolt.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return keepErrno(db.guard(func() error { return db.bolt.Update(fn) }))
}

// flattenedErrnos are the errors of a full disk, which bbolt formats into
// text with %s when growing or syncing the file on commit
// ("file sync error: no space left on device").
var flattenedErrnos = []syscall.Errno{syscall.ENOSPC, syscall.EDQUOT}

// keepErrno makes err wrap the errno its text names when bbolt lost it,
// so that errors.Is(err, syscall.ENOSPC) holds for every full-disk commit
// and callers can fall back instead of failing.
func keepErrno(err error) error {
	if err == nil {
		return nil
	}
	for _, errno := range flattenedErrnos {
		if !errors.Is(err, errno) && strings.Contains(err.Error(), errno.Error()) {
			return &errnoError{err: err, errno: errno}
		}
	}
	return err
}

// errnoError is an error whose errno was formatted away.
type errnoError struct {
	err   error
	errno syscall.Errno
}

func (e *errnoError) Error() string   { return e.err.Error() }
func (e *errnoError) Unwrap() []error { return []error{e.err, e.errno} }

// view runs fn in one read-only transaction after checking ctx; a damaged
// page it meets is an error wrapping ErrDamaged (guard).
func (db *DB) view(ctx context.Context, fn func(tx *bolt.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return db.guard(func() error { return db.bolt.View(fn) })
}
