package github

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gh "github.com/google/go-github/v60/github"

	"github.com/contriblog/contriblog/harvester"
)

// corpusDir holds octokit/fixtures' recorded GitHub exchanges.
const corpusDir = "../../../shared/corpus/github/octokit-fixtures"

func readCorpus(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(corpusDir, name))
	if os.IsNotExist(err) {
		tb.Skipf("corpus not available: %v", err)
	}
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// TestCorpusSearch harvests a recorded search response: of its two issues
// only the one user-a opened is theirs.
func TestCorpusSearch(t *testing.T) {
	names, _ := filepath.Glob(filepath.Join(corpusDir, "search-issues", "04-200-GET-search_issues*.body"))
	if len(names) == 0 {
		t.Skip("corpus not available")
	}
	body := readCorpus(t, filepath.Join("search-issues", filepath.Base(names[0])))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		if strings.HasSuffix(r.URL.Path, "/search/issues") {
			_, _ = w.Write(body)
			return
		}
		_, _ = w.Write([]byte("[]"))
	}))
	defer srv.Close()
	s, err := New(Config{Name: "gh", User: "octokit-fixture-user-a", BaseURL: srv.URL, Token: fakeToken,
		Since: time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC), SearchInterval: time.Nanosecond,
		Now: func() time.Time { return time.Date(2022, 8, 1, 0, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Harvest(context.Background(), harvester.SourceState{})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Observations) != 1 {
		t.Fatalf("got %d observations: %+v", len(b.Observations), b.Observations)
	}
	o := b.Observations[0]
	if o.Title != "The doors don’t open" || o.Meta["kind"] != metaIssue || o.Role != roleContributor ||
		o.Meta["repository"] != "octokit-fixture-org/tmp-scenario-search-issues-20220719044045959-jlcli" {
		t.Errorf("observation: %+v", o)
	}
}

// TestCorpusShapes maps every recorded repository and issue body the
// corpus holds without trouble.
func TestCorpusShapes(t *testing.T) {
	names, _ := filepath.Glob(filepath.Join(corpusDir, "*", "*-200-GET-*.body"))
	if len(names) == 0 {
		t.Skip("corpus not available")
	}
	p := &pass{s: &Source{cfg: Config{User: "octokit-fixture-user-a"}}, since: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)}
	mapped := 0
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		var issues []*gh.Issue
		if json.Unmarshal(b, &issues) == nil {
			for _, it := range issues {
				if o, ok := p.issueObservation(it); ok && o.NativeID != "" {
					mapped++
				}
			}
		}
		var repo gh.Repository
		if json.Unmarshal(b, &repo) == nil {
			p.repoObservation(&repo)
		}
	}
	if mapped == 0 {
		t.Error("no recorded issue mapped")
	}
}

func fuzzPass() *pass {
	return &pass{s: &Source{cfg: Config{User: "priyar", Person: "P", Activity: harvester.TypeOpenSource}},
		since: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), found: map[string]int{}}
}

// FuzzObservations: whatever a server sends as an item maps without panic
// to an observation with an identity, or to nothing.
func FuzzObservations(f *testing.F) {
	for _, name := range []string{"testdata/search_items.json", "testdata/repos.json", "testdata/releases/priyar_bicep-landing-zone.json"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		var items []json.RawMessage
		if err := json.Unmarshal(b, &items); err != nil {
			f.Fatal(err)
		}
		for _, it := range items {
			f.Add([]byte(it))
		}
	}
	f.Add([]byte(`{"user":{"login":"PRIYAR"},"created_at":"2025-01-01T00:00:00Z","node_id":"x","pull_request":{}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p := fuzzPass()
		var it gh.Issue
		if json.Unmarshal(data, &it) == nil {
			if o, ok := p.issueObservation(&it); ok && (o.NativeID == "" || o.Person != "P") {
				t.Errorf("issue observation %+v", o)
			}
		}
		var r gh.Repository
		if json.Unmarshal(data, &r) == nil {
			if o, ok := p.repoObservation(&r); ok && o.NativeID == "" {
				t.Errorf("repository observation %+v", o)
			}
			var rel gh.RepositoryRelease
			if json.Unmarshal(data, &rel) == nil {
				if o, ok := p.releaseObservation(&r, &rel); ok && o.NativeID == "" {
					t.Errorf("release observation %+v", o)
				}
				_ = trimRelease(&rel)
			}
			_ = trimRepo(&r)
		}
	})
}

// FuzzState: whatever the store hands back as state is read without panic,
// and no validator is kept for a page that could not be reused.
func FuzzState(f *testing.F) {
	f.Add("page /users/priyar/repos?per_page=100", `{"etag":"\"abc\"","next":2,"items":[{"name":"x"}]}`)
	f.Add("page /x", `{"etag":"","items":[]}`)
	f.Add(keyFullAt, "2026-01-01T00:00:00Z")
	f.Add("page /y", `{"etag":"\"e\"","items":nul`)
	f.Fuzz(func(t *testing.T, key, value string) {
		c := loadPageCache(map[string]string{key: value})
		for k, pg := range c.old {
			if pg.ETag == "" || !json.Valid(pg.Items) {
				t.Errorf("kept unusable page %q: %+v", k, pg)
			}
		}
		_ = c.save(false)
		p := &pass{prev: map[string]string{key: value, keyCompleteAt: value, keyFullAt: value, keySince: value},
			now: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), since: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)}
		_ = p.incrementalFrom()
	})
}

// FuzzRetryAfter: any header value gives a positive wait or none.
func FuzzRetryAfter(f *testing.F) {
	for _, s := range []string{"1", "0", "-5", "120", "Wed, 21 Oct 2015 07:28:00 GMT", "", "9999999999999", " 3 "} {
		f.Add(s)
	}
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		if d, ok := parseRetryAfter(v, now); ok && d < time.Second {
			t.Errorf("Retry-After %q: wait %v", v, d)
		}
	})
}
