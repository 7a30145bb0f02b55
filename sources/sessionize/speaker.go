package sessionize

import (
	"fmt"
	"sort"
	"strings"

	"github.com/contriblog/contriblog/harvester"
)

// findSpeaker returns the speaker whose id or full name is want. The error
// of a miss names up to three nearest names so a typo is easy to fix.
func findSpeaker(speakers []person, want string) (person, error) {
	want = strings.TrimSpace(want)
	if want == "" {
		return person{}, fmt.Errorf("no speaker configured (set speaker: to a full name or Sessionize speaker id)")
	}
	for _, p := range speakers {
		if p.id != "" && strings.EqualFold(p.id, want) {
			return p, nil
		}
	}
	f := harvester.Fold(want)
	for _, p := range speakers {
		if p.name != "" && harvester.Fold(p.name) == f {
			return p, nil
		}
	}
	if len(speakers) == 0 {
		return person{}, fmt.Errorf("speaker %q not found: the document lists no speakers", want)
	}
	near := nearest(speakers, f, 3)
	return person{}, fmt.Errorf("speaker %q not found among %d speakers; nearest: %s", want, len(speakers), strings.Join(near, ", "))
}

// nearest ranks names by edit distance less a bonus for every shared word.
func nearest(speakers []person, f string, n int) []string {
	type cand struct {
		name  string
		score int
	}
	seen := map[string]bool{}
	var cs []cand
	words := strings.Fields(f)
	for _, p := range speakers {
		if p.name == "" || seen[p.name] {
			continue
		}
		seen[p.name] = true
		pf := harvester.Fold(p.name)
		score := harvester.EditDistance(f, pf)
		for _, w := range words {
			for _, pw := range strings.Fields(pf) {
				if w == pw {
					score -= 5
				}
			}
		}
		cs = append(cs, cand{p.name, score})
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].score < cs[j].score })
	var out []string
	for i := 0; i < len(cs) && i < n; i++ {
		out = append(out, fmt.Sprintf("%q", cs[i].name))
	}
	return out
}
