//go:build unix && !solaris && !aix && !android

package store

import (
	"errors"
	"os"
	"syscall"
)

// flockIsBolts says that bbolt locks the file with flock(2) here
// (elsewhere with fcntl(2) or LockFileEx, which flock does not see): the
// locks below are its own.
const flockIsBolts = true

// shareLock takes a shared lock on f without waiting, as bbolt's readers
// do: while it is held no writer is halfway through a commit, so the pages
// checkPages reads are the ones a transaction would. It reports false when
// a writer holds the file (bolt.Open then waits for it, or says it is in
// use).
func shareLock(f *os.File) (unlock func(), ok bool) {
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH|syscall.LOCK_NB); err != nil {
		return nil, false
	}
	return func() { _ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }, true
}

// exclusiveLock takes the lock a bbolt writer takes on f without waiting,
// and holds it until f is closed. It reports false when another process
// holds the file, as a writer or as a reader.
func exclusiveLock(f *os.File) (ok bool, err error) {
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return false, nil
	}
	return err == nil, err
}
