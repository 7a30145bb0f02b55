package store

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"testing"
)

// bbolt formats the errors of growing and syncing the file with %s: a full
// disk must still be errors.Is(err, syscall.ENOSPC) so that `list` and
// `export` can fall back to the stored log.
func TestKeepErrno(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want error // nil: none of the full-disk errnos
	}{
		{"sync, flattened", fmt.Errorf("replace log: %w", fmt.Errorf("file sync error: %s", syscall.ENOSPC)), syscall.ENOSPC},
		{"resize, flattened", fmt.Errorf("file resize error: %s", &os.PathError{Op: "truncate", Path: "x", Err: syscall.EDQUOT}), syscall.EDQUOT},
		{"write, wrapped", &os.PathError{Op: "write", Path: "x", Err: syscall.ENOSPC}, syscall.ENOSPC},
		{"other", errors.New("file sync error: input/output error"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := keepErrno(tt.err)
			if got.Error() != tt.err.Error() {
				t.Errorf("text %q, want %q", got, tt.err)
			}
			for _, errno := range flattenedErrnos {
				if is := errors.Is(got, errno); is != (errno == tt.want) {
					t.Errorf("errors.Is(%v, %v) = %v", got, errno, is)
				}
			}
		})
	}
	if keepErrno(nil) != nil {
		t.Error("keepErrno(nil) is not nil")
	}
}
