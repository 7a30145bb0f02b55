package main

import "github.com/contriblog/contriblog/harvester"

// unwrapSource is the source redactedSource wraps, or src.
func unwrapSource(src harvester.Source) harvester.Source {
	if w, ok := src.(interface{ Unwrap() harvester.Source }); ok {
		return w.Unwrap()
	}
	return src
}
