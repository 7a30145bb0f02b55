package github

import (
	"context"
	"fmt"
	"maps"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/sources/github/githubtest"
)

var (
	testNow   = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	testSince = time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
)

const fakeToken = "ghp_FAKE0123456789abcdefFAKEtoken4242"

// wantYear is priyar's year in testdata: native id -> "kind role state".
var wantYear = map[string]string{
	"https://github.com/Azure/bicep-registry-modules/pull/1201":          "pull_request Contributor merged",
	"https://github.com/hashicorp/terraform-provider-azurerm/pull/25001": "pull_request Contributor open",
	"https://github.com/priyar/bicep-landing-zone/pull/3":                "pull_request Author merged",
	"https://github.com/MicrosoftDocs/entra-docs/pull/77":                "pull_request Contributor closed",
	"https://github.com/golang/go/pull/70000":                            "pull_request Contributor merged",
	"https://github.com/Azure/azure-cli/pull/31000":                      "pull_request Contributor open",
	"https://github.com/Azure/bicep/issues/14000":                        "issue Contributor open",
	"https://github.com/Azure/terraform-provider-azapi/issues/500":       "issue Contributor closed",
	"https://github.com/priyar/entra-passkey-demo/issues/1":              "issue Author open",
	"https://github.com/priyar/bicep-landing-zone":                       "repository Author ",
	"https://github.com/priyar/entra-passkey-demo":                       "repository Author ",
	"https://github.com/priyar/go-azure-helpers":                         "repository Author ",
	"https://github.com/priyar/bicep-landing-zone/releases/tag/v1.0.0":   "release Author ",
	"https://github.com/priyar/bicep-landing-zone/releases/tag/v0.9.0":   "release Author ",
	"https://github.com/priyar/dotfiles/releases/tag/2025.08":            "release Author ",
}

// sleeper records the waits asked for; it really waits the short ones
// (go-github itself refuses to call before a reset it has seen) and
// returns at once from long ones.
type sleeper struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleeper) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.waits = append(s.waits, d)
	s.mu.Unlock()
	if d <= 3*time.Second {
		return sleepCtx(ctx, d)
	}
	return ctx.Err()
}

// longest is the longest wait asked for.
func (s *sleeper) longest() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	var m time.Duration
	for _, d := range s.waits {
		m = max(m, d)
	}
	return m
}

func newTestSource(t testing.TB, f *fakeGitHub, mod func(*Config)) (*Source, *sleeper) {
	t.Helper()
	sl := &sleeper{}
	cfg := Config{
		Name: "github", User: "priyar", Person: "Priya Raman", Token: fakeToken,
		BaseURL: f.baseURL(), Since: testSince, MaxWait: time.Minute,
		Now: func() time.Time { return testNow }, Sleep: sl.sleep, SearchInterval: time.Nanosecond,
	}
	if mod != nil {
		mod(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s, sl
}

// summary is "kind role state" per native id, failing on a duplicate.
func summary(t testing.TB, b *harvester.Batch) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, o := range b.Observations {
		if _, dup := out[o.NativeID]; dup {
			t.Errorf("%s seen twice in one batch", o.NativeID)
		}
		out[o.NativeID] = o.Meta["kind"] + " " + o.Role + " " + stateOf(o)
	}
	return out
}

func stateOf(o harvester.Observation) string {
	if o.Meta["kind"] == metaPull || o.Meta["kind"] == metaIssue {
		return o.Meta["state"]
	}
	return ""
}

func diffSets(t testing.TB, got, want map[string]string) {
	t.Helper()
	var lines []string
	for k, v := range want {
		if got[k] != v {
			lines = append(lines, fmt.Sprintf("  %s: got %q, want %q", k, got[k], v))
		}
	}
	for k, v := range got {
		if _, ok := want[k]; !ok {
			lines = append(lines, fmt.Sprintf("  %s: unexpected %q", k, v))
		}
	}
	sort.Strings(lines)
	if len(lines) > 0 {
		t.Errorf("harvest differs:\n%s", strings.Join(lines, "\n"))
	}
}

func TestHarvestYear(t *testing.T) {
	f := newFake(t, "/", 2) // pages of two force pagination everywhere
	s, _ := newTestSource(t, f, nil)
	if s.Name() != "github" || s.Type() != "github" {
		t.Errorf("Name %q Type %q", s.Name(), s.Type())
	}
	b, err := s.Harvest(context.Background(), harvester.SourceState{})
	if err != nil {
		t.Fatal(err)
	}
	diffSets(t, summary(t, b), wantYear)

	for _, want := range []string{"/search/issues?", "page=3", "/users/priyar/repos?", "type=owner", "/repos/priyar/bicep-landing-zone/releases?page=2"} {
		if f.Count(want) == 0 {
			t.Errorf("no request with %q; requests: %v", want, f.Requests())
		}
	}
	for _, q := range f.Queries() {
		if !strings.HasPrefix(q, "is:pr author:priyar created:>=2025-03-01") && !strings.HasPrefix(q, "is:issue author:priyar created:>=2025-03-01") {
			t.Errorf("query %q", q)
		}
	}
	for _, a := range f.Auth() {
		if a != "Bearer "+fakeToken {
			t.Fatalf("Authorization header %q", a)
		}
	}
	if len(b.Data) == 0 || b.Data[keyTokenFP] == "" || b.Data[keyFullAt] == "" {
		t.Errorf("state data: %v", b.Data)
	}
}

func TestObservationFields(t *testing.T) {
	f := newFake(t, "/", 100)
	s, _ := newTestSource(t, f, nil)
	b, err := s.Harvest(context.Background(), harvester.SourceState{})
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]harvester.Observation{}
	for _, o := range b.Observations {
		by[o.NativeID] = o
		if o.Person != "Priya Raman" || o.ActivityType != harvester.TypeOpenSource || o.URL != o.NativeID || o.Date.IsZero() {
			t.Errorf("%s: person %q type %q url %q date %v", o.NativeID, o.Person, o.ActivityType, o.URL, o.Date)
		}
	}
	pr := by["https://github.com/Azure/bicep-registry-modules/pull/1201"]
	if pr.Title != "Add private endpoint support to the Key Vault module" || pr.Meta["repository"] != "Azure/bicep-registry-modules" ||
		pr.Meta["merged_at"] != "2025-04-10T16:02:11Z" || !pr.Date.Equal(time.Date(2025, 4, 2, 9, 14, 0, 0, time.UTC)) ||
		pr.Description != "Pull request #1201 to Azure/bicep-registry-modules, merged 2025-04-10." || pr.Metrics["comments"] != 7 {
		t.Errorf("pull request: %+v", pr)
	}
	if d := by["https://github.com/Azure/azure-cli/pull/31000"]; d.Meta["draft"] != "true" {
		t.Errorf("draft pull request meta: %v", d.Meta)
	}
	repo := by["https://github.com/priyar/bicep-landing-zone"]
	if repo.Title != "priyar/bicep-landing-zone: Opinionated Azure landing zone in Bicep" || repo.Reach != 42 || repo.Metrics["stars"] != 42 ||
		!strings.Contains(repo.Description, "Topics: bicep, azure, landing-zone.") {
		t.Errorf("repository: %+v", repo)
	}
	if r := by["https://github.com/priyar/go-azure-helpers"]; r.Reach != 0 || r.Metrics["stars"] != 0 || r.Title != "priyar/go-azure-helpers" {
		t.Errorf("repository without stars: %+v", r)
	}
	rel := by["https://github.com/priyar/bicep-landing-zone/releases/tag/v1.0.0"]
	if rel.Title != "priyar/bicep-landing-zone v1.0.0: General availability" || rel.Metrics["downloads"] != 150 ||
		!rel.Date.Equal(time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)) || !strings.HasPrefix(rel.Description, "Release v1.0.0 of priyar/bicep-landing-zone. ## What's Changed") {
		t.Errorf("release: %+v", rel)
	}
	if r := by["https://github.com/priyar/bicep-landing-zone/releases/tag/v0.9.0"]; r.Title != "priyar/bicep-landing-zone v0.9.0" || r.Meta["prerelease"] != "true" {
		t.Errorf("pre-release: %+v", r)
	}
}

func TestEnterpriseBaseURL(t *testing.T) {
	f := newFake(t, "/api/v3/", 3)
	s, _ := newTestSource(t, f, nil)
	if !strings.HasSuffix(s.cfg.BaseURL, "/api/v3/") {
		t.Errorf("base URL %q lacks its trailing slash", s.cfg.BaseURL)
	}
	b, err := s.Harvest(context.Background(), harvester.SourceState{})
	if err != nil {
		t.Fatal(err)
	}
	diffSets(t, summary(t, b), wantYear)
	if f.Count("GET /api/v3/search/issues") == 0 || f.Count("GET /api/v3/users/priyar/repos") == 0 {
		t.Errorf("requests did not keep the path prefix: %v", f.Requests())
	}
}

func TestSearchCapSplit(t *testing.T) {
	f := newFake(t, "/", 100)
	// 1,500 pull requests spread over the window: GitHub counts them all
	// but serves only 1,000 for one query.
	var items []map[string]any
	start := testSince.Add(time.Hour)
	step := testNow.Sub(start) / 1500
	for i := range 1500 {
		n := i + 1
		items = append(items, map[string]any{
			"html_url": fmt.Sprintf("https://github.com/big/repo/pull/%d", n), "number": n,
			"repository_url": "https://api.github.com/repos/big/repo", "title": fmt.Sprintf("Change %d", n),
			"user": map[string]any{"login": "priyar"}, "state": "open",
			"created_at": start.Add(time.Duration(i) * step).Format(time.RFC3339), "updated_at": testNow.Format(time.RFC3339),
			"pull_request": map[string]any{"url": "https://api.github.com/repos/big/repo/pulls/1", "merged_at": nil},
		})
	}
	f.Edit(func(d *githubtest.Data) { d.Items, d.Repos = items, nil })
	s, _ := newTestSource(t, f, nil)
	b, err := s.Harvest(context.Background(), harvester.SourceState{})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(summary(t, b)); got != 1500 {
		t.Errorf("harvested %d pull requests, want 1500", got)
	}
	split := 0
	for _, q := range f.Queries() {
		if strings.Contains(q, "..") || strings.Contains(q, "T") && strings.Contains(q, "created:>=") {
			split++
		}
	}
	if split == 0 {
		t.Errorf("no split query: %v", f.Queries())
	}
}

// TestHarvestCountsDropped: a full read says why it left items out.
func TestHarvestCountsDropped(t *testing.T) {
	f := newFake(t, "/", 100)
	in := testSince.Add(48 * time.Hour).Format(time.RFC3339)
	old := testSince.Add(-72 * time.Hour).Format(time.RFC3339)
	item := func(n int, login, created string) map[string]any {
		return map[string]any{"html_url": fmt.Sprintf("https://github.com/big/repo/issues/%d", n), "number": n,
			"repository_url": "https://api.github.com/repos/big/repo", "title": fmt.Sprintf("Issue %d", n),
			"user": map[string]any{"login": login}, "state": "open", "created_at": created, "updated_at": in}
	}
	repo := func(name string, fork bool, created string) map[string]any {
		return map[string]any{"name": name, "full_name": "priyar/" + name, "html_url": "https://github.com/priyar/" + name,
			"owner": map[string]any{"login": "priyar"}, "fork": fork, "created_at": created}
	}
	release := func(repo, tag string, draft bool, published string) map[string]any {
		return map[string]any{"tag_name": tag, "html_url": "https://github.com/priyar/" + repo + "/releases/tag/" + tag, "draft": draft,
			"author": map[string]any{"login": "priyar"}, "published_at": published}
	}
	f.Edit(func(d *githubtest.Data) {
		d.Items = []map[string]any{item(1, "priyar", in), item(2, "someone-else", in), item(3, "priyar", old)}
		d.Repos = []map[string]any{repo("tool", false, in), repo("forked", true, in), repo("ancient", false, old)}
		d.Releases = map[string][]map[string]any{"priyar/tool": {release("tool", "v1", false, in), release("tool", "v2", true, in)},
			"priyar/forked": {}, "priyar/ancient": {release("ancient", "v0", false, old)}}
	})
	s, _ := newTestSource(t, f, nil)
	b, err := s.Harvest(context.Background(), harvester.SourceState{})
	if err != nil {
		t.Fatal(err)
	}
	// The fake's search, as GitHub's, finds nothing created before the
	// window (so item 3 is never seen); the repositories' lists are not
	// searches: the ancient repository and its release are read, and
	// dropped as older than since.
	kept := len(b.Observations)
	want := map[string]int{harvester.DroppedOtherPerson: 1, harvester.DroppedSince: 2, harvester.DroppedNotPublished: 2}
	if kept != 3 || !maps.Equal(b.Dropped, want) {
		t.Errorf("kept %d (%v), dropped %v; want 3 (issue 1, tool, tool v1), %v", kept, summary(t, b), b.Dropped, want)
	}
}
