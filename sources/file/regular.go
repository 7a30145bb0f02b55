package file

import (
	"fmt"
	"io"
	"io/fs"
	"os"
)

// NotRegularError is ReadRegular's error for a path that names a named
// pipe, a device, a directory or a socket.
type NotRegularError struct {
	Path string
	Kind string // "named pipe", "device", "directory", ...
}

// Error says "PATH is a KIND, not a regular file".
func (e *NotRegularError) Error() string {
	return e.Path + " is a " + e.Kind + ", not a regular file"
}

// TooLargeError is ReadRegular's error for a file over its limit.
type TooLargeError struct {
	Path  string
	Limit int64 // bytes
}

// Error says "PATH is larger than the limit of N MiB".
func (e *TooLargeError) Error() string {
	return e.Path + " is larger than the limit of " + byteSize(e.Limit)
}

// ReadRegular reads the whole of the regular file at path, refusing
// anything else and anything over limit bytes. It is for paths a user
// names (a config, a hand-kept list), which may point by mistake or by
// malice at /dev/zero (endless), a named pipe (blocks until a writer
// comes) or a directory: each fails at once with an error naming the
// path, instead of filling memory or hanging the process.
//
// Every error names the path: a *NotRegularError, a *TooLargeError, or
// the *fs.PathError of opening or reading the file.
func ReadRegular(path string, limit int64) ([]byte, error) {
	f, err := openNoBlock(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Stat the descriptor we read, not the path, so that the file cannot
	// be swapped between the check and the read.
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, &NotRegularError{Path: path, Kind: kind(fi.Mode())}
	}
	if fi.Size() > limit {
		return nil, &TooLargeError{Path: path, Limit: limit}
	}
	// The size may have grown since the stat, or be wrong (procfs says
	// 0): the limit holds whatever it says.
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err // a *fs.PathError, which names the path
	}
	if int64(len(data)) > limit {
		return nil, &TooLargeError{Path: path, Limit: limit}
	}
	return data, nil
}

// kind names what a non-regular file is, for a person.
func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "directory"
	case m&fs.ModeNamedPipe != 0:
		return "named pipe"
	case m&fs.ModeDevice != 0 || m&fs.ModeCharDevice != 0:
		return "device"
	case m&fs.ModeSocket != 0:
		return "socket"
	default:
		return "special file (" + m.Type().String() + ")"
	}
}

// byteSize writes n in the largest binary unit that divides it exactly:
// "16 MiB", "1 KiB", "1000 bytes".
func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	default:
		return fmt.Sprintf("%d bytes", n)
	}
}

// openFile opens path read-only with extra flags; it is os.OpenFile, kept
// in one place for the build-tagged openNoBlock.
func openFile(path string, flag int) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|flag, 0)
}
