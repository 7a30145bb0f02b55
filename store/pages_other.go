//go:build !unix

package store

import "os"

// shareLock reports false where bbolt's locks are not flock(2) (Windows
// locks byte ranges, and a read under another process's lock fails): the
// pages are then not checked before bolt.Open, only guarded as they are
// read.
func shareLock(*os.File) (unlock func(), ok bool) { return nil, false }
