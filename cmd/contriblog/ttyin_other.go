//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly || windows)

package main

import "os"

// isTTY falls back to isTerminal where the terminal driver cannot be
// asked.
func isTTY(f *os.File) bool { return isTerminal(f) }
