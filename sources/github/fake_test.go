package github

import (
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/contriblog/contriblog/sources/github/githubtest"
)

// fakeGitHub is the shared fake GitHub API (githubtest, which the demo
// serves too) on loopback, serving testdata/ with small pages. Its search
// ignores author:, so that other people's items come back as noise, as a
// sloppy server might.
type fakeGitHub struct {
	*githubtest.API
	srv    *httptest.Server
	prefix string // API root path, "/" or "/api/v3/"
}

// fault is one scripted answer (a rate limit, an error).
type fault = githubtest.Fault

func newFake(t testing.TB, prefix string, pageSize int) *fakeGitHub {
	t.Helper()
	d, err := githubtest.Load(os.DirFS("testdata"), nil)
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeGitHub{prefix: prefix,
		API: githubtest.New(d, githubtest.Options{Prefix: prefix, PageSize: pageSize, IgnoreAuthor: true})}
	f.srv = httptest.NewServer(f.API)
	t.Cleanup(f.srv.Close)
	return f
}

// baseURL is the API root as a config would name it (no trailing slash,
// which New adds).
func (f *fakeGitHub) baseURL() string { return strings.TrimSuffix(f.srv.URL+f.prefix, "/") }
