package harvester

import (
	"fmt"
	"math/rand"
	"testing"
	"time"
)

func codeObs(src, id, kind, title, url string, days int) Observation {
	o := obsAt(src, id, TypeOpenSource, title, url, day0.AddDate(0, 0, days))
	if kind != "" {
		o.Meta = map[string]string{"kind": kind}
	}
	return o
}

// TestRule3JoinsOneKindOfCode: one person's two GitHub logins are two
// sources; the pull request and the issue it fixes share a title, and
// are still two contributions. The same pull request seen by both is one.
func TestRule3JoinsOneKindOfCode(t *testing.T) {
	tests := []struct {
		name string
		obs  []Observation
		want []string
	}{
		{"an issue and the pull request that fixes it", []Observation{
			codeObs("gh-old", "i", "issue", "Passkey sign-in fails in Safari private windows", "https://github.com/o/r/issues/7", 0),
			codeObs("gh-new", "p", "pull_request", "Passkey sign-in fails in Safari private windows", "https://github.com/o/r/pull/8", 2),
		}, []string{"gh-new/p", "gh-old/i"}},
		{"one pull request listed by both logins", []Observation{
			codeObs("gh-old", "p1", "pull_request", "Fix passkey registration steps", "https://github.com/o/r/pull/8", 0),
			codeObs("gh-new", "p2", "pull_request", "Fix passkey registration steps", "https://github.com/o/r/pull/8?tab=files", 1),
		}, []string{"gh-new/p2+gh-old/p1"}},
		{"two pull requests of one title from two logins", []Observation{
			codeObs("gh-old", "p1", "pull_request", "Fix passkey registration steps", "https://github.com/o/r/pull/8", 0),
			codeObs("gh-new", "p2", "pull_request", "Fix passkey registration steps", "https://github.com/o/r2/pull/3", 1),
		}, []string{"gh-new/p2+gh-old/p1"}},
		{"a release and a repository of one name", []Observation{
			codeObs("gh", "rel", "release", "priyar/kit v1.0.0", "https://github.com/priyar/kit/releases/tag/v1.0.0", 0),
			codeObs("gh2", "repo", "repository", "priyar/kit v1.0.0", "https://github.com/priyar/kit", 0),
		}, []string{"gh/rel", "gh2/repo"}},
		{"a hand-kept entry is a kind of its own", []Observation{
			codeObs("gh", "p", "pull_request", "Fix passkey registration steps", "https://github.com/o/r/pull/8", 0),
			codeObs("manual", "m", "", "Fix passkey registration steps", "", 0),
		}, []string{"gh/p", "manual/m"}},
		{"but the same URL is one contribution", []Observation{
			codeObs("gh", "p", "pull_request", "Fix passkey registration steps", "https://github.com/o/r/pull/8", 0),
			codeObs("manual", "m", "", "Fixed the registration docs", "https://github.com/o/r/pull/8", 3),
		}, []string{"gh/p+manual/m"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := groupsOf(BuildLog(tt.obs, nil, LogOptions{Location: time.UTC}))
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("rows %v, want %v", got, tt.want)
			}
		})
	}
}

// TestIssuesAndPullRequestsNeverShareARow: over random titles, sources
// and days, an issue and a pull request are in one row only when one URL
// names both.
func TestIssuesAndPullRequestsNeverShareARow(t *testing.T) {
	titles := []string{"Fix typo in docs", "Passkey sign-in fails in Safari", "passkey sign-in fails in safari!",
		"Add policy assignments for the corp group", "Add Policy Assignments for the Corp Group", "Bump deps"}
	for seed := int64(0); seed < 300; seed++ {
		r := rand.New(rand.NewSource(seed))
		n := 2 + r.Intn(12)
		obs := make([]Observation, n)
		for i := range obs {
			kind := []string{"issue", "pull_request"}[r.Intn(2)]
			url := fmt.Sprintf("https://github.com/o/r/%d", i)
			if r.Intn(8) == 0 && i > 0 {
				url = obs[r.Intn(i)].URL // the odd URL that names two items
			}
			obs[i] = codeObs([]string{"gh-old", "gh-new", "manual"}[r.Intn(3)], fmt.Sprint(i), kind,
				titles[r.Intn(len(titles))], url, r.Intn(10))
		}
		for _, row := range BuildLog(obs, nil, LogOptions{Location: time.UTC}) {
			urls := map[string]map[string]bool{} // canonical URL -> kinds
			kinds := map[string]bool{}
			for _, ref := range row.Observations {
				for i := range obs {
					if obs[i].Source == ref.Source && obs[i].NativeID == ref.NativeID {
						k := obs[i].Meta["kind"]
						kinds[k] = true
						u := CanonicalURL(obs[i].URL)
						if urls[u] == nil {
							urls[u] = map[string]bool{}
						}
						urls[u][k] = true
					}
				}
			}
			if !kinds["issue"] || !kinds["pull_request"] {
				continue
			}
			shared := false
			for _, ks := range urls {
				shared = shared || ks["issue"] && ks["pull_request"]
			}
			if !shared {
				t.Fatalf("seed %d: row %s holds an issue and a pull request that no URL names together: %+v", seed, row.ID, row.Observations)
			}
		}
	}
}
