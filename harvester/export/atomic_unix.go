//go:build unix

package export

import (
	"errors"
	"os"
	"syscall"
	"time"
)

// blockingUnlessPolled puts f, a pipe opened with O_NONBLOCK (so that the
// open would not wait for a reader), back into blocking mode where Go's
// poller does not watch it (FIFOs on macOS): there a non-blocking write
// to a full pipe would fail with EAGAIN instead of waiting. Where the
// poller watches it, it stays as it is, so that write deadlines work.
func blockingUnlessPolled(f *os.File) {
	if err := f.SetWriteDeadline(time.Time{}); errors.Is(err, os.ErrNoDeadline) {
		_ = syscall.SetNonblock(int(f.Fd()), false)
	}
}
