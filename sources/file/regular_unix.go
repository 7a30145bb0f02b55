//go:build unix

package file

import (
	"os"
	"syscall"
)

// openNoBlock opens path with O_NONBLOCK, so that opening a named pipe
// no one writes to returns at once (to be refused by the fstat that
// follows) instead of blocking until a writer comes. On a regular file
// the flag changes nothing: reads of regular files never block.
func openNoBlock(path string) (*os.File, error) {
	return openFile(path, syscall.O_NONBLOCK)
}
