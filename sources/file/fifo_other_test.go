//go:build !unix

package file

import "errors"

// mkfifo is unsupported where there are no named pipes in the file
// system (Windows): the tests that need one skip that case.
func mkfifo(string) error { return errors.ErrUnsupported }
