package main

import (
	"os"
	"syscall"
)

// isTTY reports whether f is a console a person types on (NUL and pipes
// are not).
func isTTY(f *os.File) bool {
	var mode uint32
	return syscall.GetConsoleMode(syscall.Handle(f.Fd()), &mode) == nil
}
