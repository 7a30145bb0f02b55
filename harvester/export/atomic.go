package export

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrDestination is wrapped by WriteFileAtomic's errors about where the
// file is to go (no such directory, not a directory, not writable, a
// directory in the file's place), as opposed to failures while writing.
var ErrDestination = errors.New("unusable destination")

// WriteFileAtomic replaces path with what write writes, all or nothing:
// write gets a buffered writer on a temporary file in path's directory,
// which is flushed, synced and renamed over path only when write returns
// nil. On any error (write's own is returned as it is) the old file is
// untouched and the temporary file removed, a panic in write included.
// Readers of path see the old content or the new, never a mix.
//
// A new file gets perm; a file that exists keeps its permission bits. A
// symbolic link is followed: the file it names is replaced, the link
// kept. A directory that does not exist, is not a directory or cannot be
// written in is an error naming it.
//
// A path that names something other than a regular file (a named pipe,
// /dev/stdout, a terminal) cannot be replaced and must not be: it is
// written to in place, streaming.
func WriteFileAtomic(path string, perm os.FileMode, write func(io.Writer) error) error {
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() && !fi.IsDir() {
		return writeInPlace(path, write)
	}
	target, mode, err := atomicTarget(path, perm)
	if err != nil {
		return destinationError{err}
	}
	dir := filepath.Dir(target)
	f, err := os.CreateTemp(dir, "."+filepath.Base(target)+".tmp-*")
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
	if err := finish(f, mode); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp, target); err != nil {
		return fmt.Errorf("replace %s: %w", path, unwrapPath(err))
	}
	done = true
	syncDir(dir)
	return nil
}

// destinationError marks err as ErrDestination without changing its text.
type destinationError struct{ err error }

func (e destinationError) Error() string   { return e.err.Error() }
func (e destinationError) Unwrap() []error { return []error{e.err, ErrDestination} }

// writeInPlace writes to a special file (a pipe, a device) as it is.
func writeInPlace(path string, write func(io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, unwrapPath(err))
	}
	defer f.Close()
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
func atomicTarget(path string, perm os.FileMode) (string, os.FileMode, error) {
	if path == "" {
		return "", 0, errors.New("write: no file name")
	}
	target, mode := path, perm.Perm()
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		if target, err = linkTarget(path); err != nil {
			return "", 0, fmt.Errorf("write %s: %w", path, err)
		}
	}
	if fi, err := os.Stat(target); err == nil {
		if fi.IsDir() {
			return "", 0, fmt.Errorf("write %s: it is a directory", path)
		}
		mode = fi.Mode().Perm()
	}
	dir := filepath.Dir(target)
	fi, err := os.Stat(dir)
	switch {
	case err != nil:
		return "", 0, fmt.Errorf("write %s: directory %s: %w", path, dir, unwrapPath(err))
	case !fi.IsDir():
		return "", 0, fmt.Errorf("write %s: %s is not a directory", path, dir)
	}
	return target, mode, nil
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

// finish sets the file's mode, syncs it to disk and closes it, so that the
// rename publishes complete content.
func finish(f *os.File, mode os.FileMode) error {
	if err := f.Chmod(mode); err != nil {
		return unwrapPath(err)
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
