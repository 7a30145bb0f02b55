//go:build unix

package store

import (
	"os"
	"syscall"
)

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
