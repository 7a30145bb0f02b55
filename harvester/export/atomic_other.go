//go:build !unix

package export

import "os"

// blockingUnlessPolled has nothing to do where O_NONBLOCK is not used.
func blockingUnlessPolled(*os.File) {}
