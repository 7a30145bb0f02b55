package demo

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/sources/github"
)

// TestGitHubDemo harvests the bundled GitHub sample through the real
// source, under a base path, twice: the year is a plausible one (six pull
// requests, three issues, two repositories, three releases; the fork,
// the draft, the old items and other people's are left out), and the
// second pass is answered from 304s.
func TestGitHubDemo(t *testing.T) {
	gh, err := newGitHubHandler(time.Now)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/github/", http.StripPrefix("/github", gh))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	src, err := github.New(github.Config{Name: "github", User: "priyar", Person: Person, Token: "demo-token",
		BaseURL: srv.URL + "/github", SearchInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	b, err := src.Harvest(ctx, harvester.SourceState{})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	var titles []string
	for _, o := range b.Observations {
		kinds[o.Meta["kind"]]++
		titles = append(titles, o.Meta["kind"]+" "+o.Role+" "+o.Title)
		if o.Date.Before(time.Now().AddDate(-1, 0, -1)) || o.Date.After(time.Now()) {
			t.Errorf("%s dated %v, outside the last year", o.NativeID, o.Date)
		}
	}
	sort.Strings(titles)
	want := map[string]int{"pull_request": 6, "issue": 3, "repository": 2, "release": 3}
	for k, n := range want {
		if kinds[k] != n {
			t.Errorf("%s: %d, want %d\n%s", k, kinds[k], n, strings.Join(titles, "\n"))
		}
	}
	joined := strings.Join(titles, "\n")
	for _, s := range []string{"pull_request Author Add policy assignments", "repository Author priyar/bicep-landing-zone: ",
		"release Author priyar/bicep-landing-zone v1.1.0: Policy assignments"} {
		if !strings.Contains(joined, s) {
			t.Errorf("missing %q in\n%s", s, joined)
		}
	}
	if strings.Contains(joined, "terraform-provider-azurerm:") || strings.Contains(joined, "v1.2.0") || strings.Contains(joined, "tomberg") {
		t.Errorf("fork, draft or noise harvested:\n%s", joined)
	}

	// The unchanged second pass (a week later: a full search) finds the same.
	later, err := github.New(github.Config{Name: "github", User: "priyar", Person: Person, Token: "demo-token",
		BaseURL: srv.URL + "/github", SearchInterval: time.Millisecond,
		Now: func() time.Time { return time.Now().Add(8 * 24 * time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	b2, err := later.Harvest(ctx, harvester.SourceState{Data: b.Data})
	if err != nil {
		t.Fatal(err)
	}
	if len(b2.Observations) != len(b.Observations) {
		t.Errorf("second pass: %d observations, first %d", len(b2.Observations), len(b.Observations))
	}
}

func TestGitHubDemoRefusesUnqualifiedSearch(t *testing.T) {
	h, err := newGitHubHandler(time.Now)
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]int{
		"/search/issues?q=author:priyar":                     http.StatusUnprocessableEntity,
		"/search/issues?q=is:pr+author:priyar":               http.StatusOK,
		"/api/v3/search/issues?q=is:pr+author:priyar":        http.StatusNotFound, // outside the API root
		"/users/priyar/repos":                                http.StatusOK,
		"/repos/priyar/dotfiles/releases":                    http.StatusOK,
		"/repos/priyar/nope/releases":                        http.StatusNotFound,
		"/repos/priyar/bicep-landing-zone/releases?page=abc": http.StatusOK,
		"/gists": http.StatusNotFound,
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != want {
			t.Errorf("%s: %d, want %d", path, rec.Code, want)
		}
	}
}
