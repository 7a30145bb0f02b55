package export

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// ErrDestination is wrapped by WriteFileAtomic's errors about where the
// file is to go (no such directory, not a directory, not writable, a
// directory in the file's place), as opposed to failures while writing.
var ErrDestination = errors.New("unusable destination")

// ErrNoReader is wrapped by WriteFileAtomicContext's error for a named pipe
// that no process has open for reading.
var ErrNoReader = errors.New("a named pipe with no reader")

// WriteFileAtomic replaces path with what write writes, all or nothing:
// write gets a buffered writer on a temporary file in path's directory,
// which is flushed, synced and renamed over path only when write returns
// nil. On any error (write's own is returned as it is) the old file is
// untouched and the temporary file removed, a panic in write included.
// Readers of path see the old content or the new, never a mix.
//
// A new file gets perm less the process's umask, as os.OpenFile would
// give it; a file that exists keeps its permission bits. A symbolic link
// is followed: the file it names is replaced, the link kept. A directory
// that does not exist, is not a directory or cannot be written in is an
// error naming it.
//
// A path that names something other than a regular file (a named pipe,
// /dev/stdout, a terminal) cannot be replaced and must not be: it is
// written to in place, streaming. Opening a named pipe waits for a
// reader, as a shell's redirection does; see WriteFileAtomicContext for a
// writer that must not wait.
func WriteFileAtomic(path string, perm os.FileMode, write func(io.Writer) error) error {
	return WriteFileAtomicContext(context.Background(), path, perm, write)
}

// WriteFileAtomicContext is WriteFileAtomic for a writer that must not
// block for ever, such as a daemon. When ctx can end, a named pipe is
// opened without waiting for a reader (no reader is an error wrapping
// ErrNoReader at once), and writing to a pipe or a device stops with
// ctx's error when ctx ends (a reader that stopped reading), where Go's
// poller watches it: not FIFOs on macOS. A regular file is written as
// WriteFileAtomic writes it: ctx is checked before the rename, but a
// write to a local disk is not interruptible.
func WriteFileAtomicContext(ctx context.Context, path string, perm os.FileMode, write func(io.Writer) error) error {
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() && !fi.IsDir() {
		return writeInPlace(ctx, path, fi.Mode(), write)
	}
	target, mode, existed, err := atomicTarget(path, perm)
	if err != nil {
		return destinationError{err}
	}
	dir := filepath.Dir(target)
	f, err := createTemp(dir, "."+filepath.Base(target)+".tmp-", perm.Perm())
	if err != nil {
		return destinationError{fmt.Errorf("write %s: cannot create a file in %s: %w", path, dir, unwrapPath(err))}
	}
	tmp, done := f.Name(), false
	defer func() {
		if !done {
			f.Close()
			os.Remove(tmp)
		}
	}()
	bw := bufio.NewWriterSize(f, 64<<10)
	if err := write(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", path, unwrapPath(err))
	}
	// Only a file being replaced is chmod'ed: an explicit mode ignores the
	// umask, which a new file must honour (the kernel applied it when
	// createTemp made the file).
	if err := finish(f, mode, existed); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp, target); err != nil {
		return fmt.Errorf("replace %s: %w", path, unwrapPath(err))
	}
	done = true
	syncDir(dir)
	return nil
}

// createTemp makes a new file prefix+random in dir with perm, which the
// kernel reduces by the umask (os.CreateTemp would make it 0600, and a
// chmod afterwards would ignore the umask).
func createTemp(dir, prefix string, perm os.FileMode) (*os.File, error) {
	var err error
	for range 10 {
		var b [8]byte
		rand.Read(b[:]) // never fails (crypto/rand's documented promise)
		var f *os.File
		f, err = os.OpenFile(filepath.Join(dir, prefix+hex.EncodeToString(b[:])), os.O_CREATE|os.O_EXCL|os.O_WRONLY, perm)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
	return nil, err
}

// destinationError marks err as ErrDestination without changing its text.
type destinationError struct{ err error }

func (e destinationError) Error() string   { return e.err.Error() }
func (e destinationError) Unwrap() []error { return []error{e.err, ErrDestination} }

// writeInPlace writes to a special file (a pipe, a device) as it is. When
// ctx can end, a named pipe is opened without waiting for a reader, and
// the writes stop when ctx ends.
func writeInPlace(ctx context.Context, path string, mode fs.FileMode, write func(io.Writer) error) (err error) {
	flag := os.O_WRONLY
	bounded := ctx.Done() != nil
	if bounded && mode&fs.ModeNamedPipe != 0 {
		// Opening a pipe for writing blocks until a reader opens it; with
		// O_NONBLOCK it fails with ENXIO instead.
		flag |= syscall.O_NONBLOCK
	}
	f, err := os.OpenFile(path, flag, 0)
	if errors.Is(err, syscall.ENXIO) && flag&syscall.O_NONBLOCK != 0 {
		return fmt.Errorf("write %s: %w", path, ErrNoReader)
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, unwrapPath(err))
	}
	defer f.Close()
	if flag&syscall.O_NONBLOCK != 0 {
		blockingUnlessPolled(f)
	}
	if bounded {
		// A reader that stops reading fills the pipe and blocks the
		// writer: a deadline in the past makes the pending write return.
		// Files the poller cannot watch refuse deadlines; those are
		// devices whose writes do not wait on a reader.
		stop := context.AfterFunc(ctx, func() { f.SetWriteDeadline(time.Unix(1, 0)) })
		defer stop()
		defer func() {
			if err != nil && ctx.Err() != nil && errors.Is(err, os.ErrDeadlineExceeded) {
				err = fmt.Errorf("write %s: gave up, the reader took too long: %w", path, context.Cause(ctx))
			}
		}()
	}
	bw := bufio.NewWriterSize(f, 64<<10)
	if err := write(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", path, unwrapPath(err))
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, unwrapPath(err))
	}
	return nil
}

// atomicTarget resolves the file to replace (following a symbolic link)
// and its permission bits, and checks its directory.
func atomicTarget(path string, perm os.FileMode) (target string, mode os.FileMode, existed bool, err error) {
	if path == "" {
		return "", 0, false, errors.New("write: no file name")
	}
	target, mode = path, perm.Perm()
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		if target, err = linkTarget(path); err != nil {
			return "", 0, false, fmt.Errorf("write %s: %w", path, err)
		}
	}
	if fi, err := os.Stat(target); err == nil {
		if fi.IsDir() {
			return "", 0, false, fmt.Errorf("write %s: it is a directory", path)
		}
		mode, existed = fi.Mode().Perm(), true
	}
	dir := filepath.Dir(target)
	fi, err := os.Stat(dir)
	switch {
	case err != nil:
		return "", 0, false, fmt.Errorf("write %s: directory %s: %w", path, dir, unwrapPath(err))
	case !fi.IsDir():
		return "", 0, false, fmt.Errorf("write %s: %s is not a directory", path, dir)
	}
	return target, mode, existed, nil
}

// linkTarget is the path a symbolic link names, resolved even when that
// file does not exist yet.
func linkTarget(path string) (string, error) {
	if t, err := filepath.EvalSymlinks(path); err == nil {
		return t, nil
	}
	t, err := os.Readlink(path)
	if err != nil {
		return "", unwrapPath(err)
	}
	if !filepath.IsAbs(t) {
		t = filepath.Join(filepath.Dir(path), t)
	}
	return t, nil
}

// finish sets the file's mode when chmod is set (else it keeps the one it
// was created with), syncs it to disk and closes it, so that the rename
// publishes complete content.
func finish(f *os.File, mode os.FileMode, chmod bool) error {
	if chmod {
		if err := f.Chmod(mode); err != nil {
			return unwrapPath(err)
		}
	}
	if err := f.Sync(); err != nil {
		return unwrapPath(err)
	}
	return unwrapPath(f.Close())
}

// syncDir makes the rename itself durable where the system allows; a
// directory that cannot be synced (some platforms and file systems refuse)
// leaves the new file in place all the same, so it is no error.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	d.Sync()
	d.Close()
}

// unwrapPath drops the *fs.PathError around err: its path is the
// temporary file's, which says nothing to the person reading the error
// (errors.Is still sees the cause, a syscall error).
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}
