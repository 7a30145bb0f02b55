//go:build !unix

package file

import "os"

// openNoBlock opens path plainly: where there is no O_NONBLOCK (Windows,
// wasm), opening a named pipe does not wait for a writer the way it does
// on unix, and the fstat that follows still refuses what is not a
// regular file.
func openNoBlock(path string) (*os.File, error) {
	return openFile(path, 0)
}
