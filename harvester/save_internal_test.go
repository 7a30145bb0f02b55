package harvester

import (
	"strings"
	"testing"
	"time"
)

func readyHarvests(n, descLen int) chan fetched {
	out := make(chan fetched, n)
	for i := range n {
		out <- fetched{index: i, batch: &Batch{Observations: []Observation{{Description: strings.Repeat("x", descLen)}}}}
	}
	return out
}

// gather takes what arrives within its wait, within the group bounds.
func TestGather(t *testing.T) {
	tests := []struct {
		name        string
		ready, desc int
		closed      bool
		want        int
	}{
		{"alone", 0, 10, false, 1},
		{"all ready", 9, 10, false, 10},
		{"closed after some", 3, 10, true, 4},
		{"count bound", 2 * maxGroupSources, 10, false, maxGroupSources},
		{"size bound", 6, maxGroupBytes / 4, false, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := readyHarvests(tt.ready, tt.desc)
			if tt.closed {
				close(out)
			}
			first := <-readyHarvests(1, tt.desc)
			group := gather(first, out, 20*time.Millisecond)
			if len(group) != tt.want {
				t.Errorf("group of %d, want %d", len(group), tt.want)
			}
			for i, f := range group[1:] {
				if f.index != i {
					t.Errorf("harvest %d is %d-th in the group, want them in the order they came", f.index, i+1)
				}
			}
		})
	}
}

// A harvest that arrives while the group waits joins it.
func TestGatherWaits(t *testing.T) {
	out := make(chan fetched)
	go func() {
		time.Sleep(10 * time.Millisecond)
		out <- fetched{index: 1}
		close(out)
	}()
	if group := gather(fetched{}, out, time.Minute); len(group) != 2 {
		t.Errorf("group of %d, want the late harvest in it too", len(group))
	}
}
