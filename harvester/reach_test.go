package harvester

import (
	"reflect"
	"testing"
	"time"
)

// TestReachCountsPeopleReached pins what fills Reach (docs/log.md#what-fills-reach):
// counts of people reached, the largest one, never activity around a
// contribution and never a sum over listings.
func TestReachCountsPeopleReached(t *testing.T) {
	with := func(o Observation, reach int64, metrics map[string]int64) Observation {
		o.Reach, o.Metrics = reach, metrics
		return o
	}
	pr := withType(blogObs("gh", "pr1", "Fix token refresh", "https://github.com/o/r/pull/1", 0), TypeOpenSource)
	repo := withType(blogObs("gh", "repo", "o/r", "https://github.com/o/r", 0), TypeOpenSource)
	video := blogObs("yt", "v1", "Zero Trust in Practice", "https://youtube.com/watch?v=1", 0)
	mirror := blogObs("yt2", "v1", "Zero Trust in Practice", "https://youtube.com/watch?v=1", 1)
	talk := talkObs("talks", "t1", "Passkeys for admins", "https://example.org/passkeys", 0)
	tests := []struct {
		name        string
		obs         []Observation
		wantReach   int64
		wantMetrics map[string]int64
	}{
		{"comments and reactions are not reach",
			[]Observation{with(pr, 0, map[string]int64{"comments": 40, "reactions": 7})},
			0, map[string]int64{"comments": 40, "reactions": 7}},
		{"stars are, forks are not",
			[]Observation{with(repo, 0, map[string]int64{"stars": 120, "forks": 300})},
			120, map[string]int64{"stars": 120, "forks": 300}},
		{"downloads",
			[]Observation{with(repo, 0, map[string]int64{"downloads": 5400})},
			5400, map[string]int64{"downloads": 5400}},
		{"two listings of one video: the larger, not the sum",
			[]Observation{with(video, 0, map[string]int64{"views": 900}), with(mirror, 0, map[string]int64{"views": 40})},
			900, map[string]int64{"views": 900}},
		{"listeners and attendees",
			[]Observation{with(talk, 0, map[string]int64{"listeners": 30, "attendees": 85})},
			85, map[string]int64{"listeners": 30, "attendees": 85}},
		{"a hand-kept reach counts as one report",
			[]Observation{with(talk, 200, nil)},
			200, nil},
		{"nothing reported",
			[]Observation{talk},
			0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log := BuildLog(tt.obs, nil, LogOptions{Location: time.UTC})
			if len(log) != 1 {
				t.Fatalf("got %d rows, want 1: %v", len(log), groupsOf(log))
			}
			if log[0].Reach != tt.wantReach {
				t.Errorf("Reach = %d, want %d", log[0].Reach, tt.wantReach)
			}
			if !reflect.DeepEqual(log[0].Metrics, tt.wantMetrics) {
				t.Errorf("Metrics = %v, want %v", log[0].Metrics, tt.wantMetrics)
			}
		})
	}
}

// TestEditedReachWins: `edit --reach` replaces what the sources report,
// even when they report more.
func TestEditedReachWins(t *testing.T) {
	video := blogObs("yt", "v1", "Zero Trust in Practice", "https://youtube.com/watch?v=1", 0)
	video.Metrics = map[string]int64{"views": 900}
	e := Edit{ID: ShortID(video.Key()), Anchors: []string{video.Key()}, Reach: ptr(int64(85))}
	log := BuildLog([]Observation{video}, []Edit{e}, LogOptions{Location: time.UTC})
	if len(log) != 1 || log[0].Reach != 85 {
		t.Fatalf("got %+v, want one row with reach 85", log)
	}
}
