package main

import (
	"runtime/debug"
	"testing"
)

// The memory limit contriblog chose grows with the sources of a pass; one
// the user chose (GOMEMLIMIT) is left alone.
func TestFitLimit(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	defer func(v bool) { memoryLimitTuned = v }(memoryLimitTuned)
	tests := []struct {
		tuned   bool
		sources int
		want    int64
	}{
		{true, 10, baseMemoryLimit},
		{true, 3000, 3000 * memoryPerSource},
		{false, 3000, 1 << 40},
	}
	for _, tt := range tests {
		debug.SetMemoryLimit(1 << 40)
		memoryLimitTuned = tt.tuned
		fitLimit(tt.sources)
		if got := debug.SetMemoryLimit(-1); got != tt.want {
			t.Errorf("tuned=%v, %d sources: limit %d, want %d", tt.tuned, tt.sources, got, tt.want)
		}
	}
}
