package github

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/sources/github/githubtest"
)

func TestSecondPassConditional(t *testing.T) {
	f := newFake(t, "/", 2)
	s, _ := newTestSource(t, f, nil)
	ctx := context.Background()
	b1, err := s.Harvest(ctx, harvester.SourceState{})
	if err != nil {
		t.Fatal(err)
	}
	if f.Conditional() != 0 {
		t.Fatalf("first pass sent %d conditional requests", f.Conditional())
	}
	b2, err := s.Harvest(ctx, harvester.SourceState{Data: b1.Data, LastSuccess: testNow})
	if err != nil {
		t.Fatal(err)
	}
	// The searches are narrowed to what changed since the first pass
	// (nothing); repositories and releases come from 304s and the cache.
	diffSets(t, summary(t, b2), ownedOnly(wantYear))
	repoPages := 3        // six repositories, two a page
	releasePages := 2 + 1 // four releases of bicep-landing-zone, two of dotfiles
	emptyLists := 4       // releases of the other repositories
	if want := repoPages + releasePages + emptyLists; f.NotModified() != want {
		t.Errorf("304s: got %d, want %d (%v)", f.NotModified(), want, f.Requests())
	}
	if !equalData(b1.Data, b2.Data, pagePrefix) {
		t.Errorf("page cache changed on an unchanged second pass")
	}

	// Another token: ETags are per token, so none is sent.
	before := f.Conditional()
	other, _ := newTestSource(t, f, func(c *Config) { c.Token = "ghp_OTHERtoken" })
	b3, err := other.Harvest(ctx, harvester.SourceState{Data: b2.Data})
	if err != nil {
		t.Fatal(err)
	}
	if f.Conditional() != before {
		t.Errorf("a new token sent %d stale ETags", f.Conditional()-before)
	}
	if b3.Data[keyTokenFP] == b2.Data[keyTokenFP] {
		t.Errorf("fingerprint did not change with the token")
	}
}

// ownedOnly is the repositories and releases of a harvest summary.
func ownedOnly(m map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		if strings.HasPrefix(v, "repository") || strings.HasPrefix(v, "release") {
			out[k] = v
		}
	}
	return out
}

func equalData(a, b map[string]string, prefix string) bool {
	n := 0
	for k, v := range a {
		if strings.HasPrefix(k, prefix) {
			n++
			if b[k] != v {
				return false
			}
		}
	}
	for k := range b {
		if strings.HasPrefix(k, prefix) {
			n--
		}
	}
	return n == 0
}

func TestIncrementalPass(t *testing.T) {
	f := newFake(t, "/", 5)
	s, _ := newTestSource(t, f, nil)
	ctx := context.Background()
	b1, err := s.Harvest(ctx, harvester.SourceState{})
	if err != nil {
		t.Fatal(err)
	}
	// The open pull request is merged after the first pass.
	f.Edit(func(d *githubtest.Data) {
		for _, it := range d.Items {
			if it["html_url"] == "https://github.com/hashicorp/terraform-provider-azurerm/pull/25001" {
				it["state"], it["closed_at"], it["updated_at"] = "closed", "2026-03-02T10:00:00Z", "2026-03-02T10:00:00Z"
				it["pull_request"].(map[string]any)["merged_at"] = "2026-03-02T10:00:00Z"
			}
		}
	})
	f.ResetQueries()

	later := testNow.Add(48 * time.Hour)
	s2, _ := newTestSource(t, f, func(c *Config) { c.Now = func() time.Time { return later } })
	b2, err := s2.Harvest(ctx, harvester.SourceState{Data: b1.Data})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range f.Queries() {
		if !strings.Contains(q, "updated:>=2026-02-22T12:00:00Z") {
			t.Errorf("narrowed pass query %q lacks updated:>= (last complete pass minus 7 days)", q)
		}
	}
	got := summary(t, b2)
	if got["https://github.com/hashicorp/terraform-provider-azurerm/pull/25001"] != "pull_request Contributor merged" {
		t.Errorf("merged pull request not updated: %v", got)
	}
	if _, ok := got["https://github.com/golang/go/pull/70000"]; ok {
		t.Errorf("narrowed search returned an item not updated since the last pass")
	}
	if b2.Data[keyFullAt] != b1.Data[keyFullAt] || b2.Data[keyCompleteAt] == b1.Data[keyCompleteAt] {
		t.Errorf("markers: full %q->%q complete %q->%q", b1.Data[keyFullAt], b2.Data[keyFullAt], b1.Data[keyCompleteAt], b2.Data[keyCompleteAt])
	}

	// A window that grows backwards, and a week without a full pass, search everything again.
	for name, mod := range map[string]func(*Config){
		"since earlier": func(c *Config) { c.Now = func() time.Time { return later }; c.Since = testSince.AddDate(0, -1, 0) },
		"week later":    func(c *Config) { c.Now = func() time.Time { return testNow.Add(8 * 24 * time.Hour) } },
	} {
		f.ResetQueries()
		s3, _ := newTestSource(t, f, mod)
		if _, err := s3.Harvest(ctx, harvester.SourceState{Data: b2.Data}); err != nil {
			t.Fatal(err)
		}
		for _, q := range f.Queries() {
			if strings.Contains(q, "updated:") {
				t.Errorf("%s: query %q should search the whole window", name, q)
			}
		}
	}
}
