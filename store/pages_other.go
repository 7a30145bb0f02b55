//go:build !unix || solaris || aix || android

package store

import "os"

// shareLock reports false where bbolt's locks are not flock(2) (Windows
// locks byte ranges, and a read under another process's lock fails;
// Solaris, AIX and Android use fcntl(2)): the pages are then not checked
// before bolt.Open, only guarded as they are read.
func shareLock(*os.File) (unlock func(), ok bool) { return nil, false }

// flockIsBolts says that bbolt's lock is not flock(2) here, and the
// standard library offers neither LockFileEx nor fcntl locks: Restore's
// read-only Open of the current database is what finds a writer, and
// Windows refuses to replace a file another process holds open.
const flockIsBolts = false

// exclusiveLock is not called where flockIsBolts is false.
func exclusiveLock(*os.File) (ok bool, err error) { return true, nil }
