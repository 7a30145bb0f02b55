package github

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeGitHub is a GitHub REST API on loopback serving testdata/ in
// GitHub's shapes: search (honouring is:, created: and updated:, but not
// author:, so that other people's items come back as noise, as a sloppy
// server might), a user's repositories and releases, with small pages,
// Link headers, ETags and 304s, and scripted faults (rate limits).
type fakeGitHub struct {
	t        testing.TB
	srv      *httptest.Server
	prefix   string // API root path, "/" or "/api/v3/"
	pageSize int    // most items a page, whatever per_page asks

	mu       sync.Mutex
	items    []map[string]any
	repos    []map[string]any
	releases map[string][]map[string]any // "owner/repo" -> releases
	faults   []fault
	log      []string // "GET path?query" of every request
	auth     []string // Authorization headers
	queries  []string // search q values
	cond     int      // requests that carried If-None-Match
	notMod   int      // 304s served
}

// fault answers the next request to endpoint ("search", "repos",
// "releases" or "" for any) in place of the API.
type fault struct {
	endpoint string
	status   int
	header   map[string]string
	body     string
}

func newFake(t testing.TB, prefix string, pageSize int) *fakeGitHub {
	t.Helper()
	f := &fakeGitHub{t: t, prefix: prefix, pageSize: pageSize, releases: map[string][]map[string]any{}}
	f.items = readJSONList(t, "testdata/search_items.json")
	f.repos = readJSONList(t, "testdata/repos.json")
	names, err := filepath.Glob("testdata/releases/*.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		key := strings.Replace(strings.TrimSuffix(filepath.Base(n), ".json"), "_", "/", 1)
		f.releases[key] = readJSONList(t, n)
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func readJSONList(t testing.TB, name string) []map[string]any {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var v []map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return v
}

// baseURL is the API root as a config would name it (no trailing slash,
// which New adds).
func (f *fakeGitHub) baseURL() string { return strings.TrimSuffix(f.srv.URL+f.prefix, "/") }

func (f *fakeGitHub) addFault(fl fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults = append(f.faults, fl)
}

// count returns how many logged requests contain s.
func (f *fakeGitHub) count(s string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, l := range f.log {
		if strings.Contains(l, s) {
			n++
		}
	}
	return n
}

func (f *fakeGitHub) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.log = append(f.log, r.Method+" "+r.URL.RequestURI())
	f.auth = append(f.auth, r.Header.Get("Authorization"))
	if r.Header.Get("If-None-Match") != "" {
		f.cond++
	}
	rest, ok := strings.CutPrefix(r.URL.Path, f.prefix)
	if !ok {
		writeJSON(w, http.StatusNotFound, `{"message":"Not Found"}`)
		return
	}
	seg := strings.Split(rest, "/")
	endpoint := ""
	switch {
	case rest == "search/issues":
		endpoint = "search"
	case len(seg) == 3 && seg[0] == "users" && seg[2] == "repos":
		endpoint = "repos"
	case len(seg) == 4 && seg[0] == "repos" && seg[3] == "releases":
		endpoint = "releases"
	}
	if f.fault(w, endpoint) {
		return
	}
	w.Header().Set("X-RateLimit-Limit", "5000")
	w.Header().Set("X-RateLimit-Remaining", "4999")
	w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10))
	switch endpoint {
	case "search":
		f.search(w, r)
	case "repos":
		f.list(w, r, f.reposOf(seg[1]))
	case "releases":
		f.list(w, r, f.releases[seg[1]+"/"+seg[2]])
	default:
		writeJSON(w, http.StatusNotFound, `{"message":"Not Found","documentation_url":"https://docs.github.com/rest"}`)
	}
}

func (f *fakeGitHub) fault(w http.ResponseWriter, endpoint string) bool {
	for i, fl := range f.faults {
		if fl.endpoint != "" && fl.endpoint != endpoint {
			continue
		}
		f.faults = append(f.faults[:i], f.faults[i+1:]...)
		for k, v := range fl.header {
			w.Header().Set(k, v)
		}
		writeJSON(w, fl.status, fl.body)
		return true
	}
	return false
}

func (f *fakeGitHub) reposOf(user string) []map[string]any {
	var out []map[string]any
	for _, r := range f.repos {
		if owner, _ := r["owner"].(map[string]any); strings.EqualFold(fmt.Sprint(owner["login"]), user) {
			out = append(out, r)
		}
	}
	return out
}

// search serves /search/issues like GitHub: total_count is every match,
// but no result past the 1,000th is served.
func (f *fakeGitHub) search(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	f.queries = append(f.queries, q)
	kind := ""
	var created, updated [2]time.Time
	for _, term := range strings.Fields(q) {
		switch {
		case term == "is:pr" || term == "is:issue":
			kind = term
		case strings.HasPrefix(term, "created:"):
			created = parseRange(strings.TrimPrefix(term, "created:"))
		case strings.HasPrefix(term, "updated:"):
			updated = parseRange(strings.TrimPrefix(term, "updated:"))
		}
	}
	if kind == "" {
		writeJSON(w, http.StatusUnprocessableEntity, `{"message":"Validation Failed","errors":[{"message":"is:pr or is:issue required"}]}`)
		return
	}
	var match []map[string]any
	for _, it := range f.items {
		_, isPR := it["pull_request"]
		if isPR != (kind == "is:pr") || !inRange(it["created_at"], created) || !inRange(it["updated_at"], updated) {
			continue
		}
		match = append(match, it)
	}
	sort.SliceStable(match, func(i, j int) bool { return fmt.Sprint(match[i]["created_at"]) < fmt.Sprint(match[j]["created_at"]) })
	served := match[:min(len(match), 1000)]
	size, page := f.paging(r)
	if (page-1)*size >= len(served) && page > 1 {
		writeJSON(w, http.StatusUnprocessableEntity, `{"message":"Only the first 1000 search results are available"}`)
		return
	}
	items := served[(page-1)*size : min(page*size, len(served))]
	body, _ := json.Marshal(map[string]any{"total_count": len(match), "incomplete_results": false, "items": items})
	f.link(w, r, page, size, len(served))
	writeJSON(w, http.StatusOK, string(body))
}

// list serves one page of a list with an ETag, or 304.
func (f *fakeGitHub) list(w http.ResponseWriter, r *http.Request, all []map[string]any) {
	size, page := f.paging(r)
	lo := min((page-1)*size, len(all))
	items := all[lo:min(page*size, len(all))]
	if items == nil {
		items = []map[string]any{}
	}
	body, _ := json.Marshal(items)
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:12]) + `"`
	w.Header().Set("ETag", etag)
	f.link(w, r, page, size, len(all))
	if r.Header.Get("If-None-Match") == etag {
		f.notMod++
		w.WriteHeader(http.StatusNotModified)
		return
	}
	writeJSON(w, http.StatusOK, string(body))
}

func (f *fakeGitHub) paging(r *http.Request) (size, page int) {
	size, _ = strconv.Atoi(r.URL.Query().Get("per_page"))
	if size <= 0 {
		size = 30
	}
	size = min(size, f.pageSize, 100)
	page, _ = strconv.Atoi(r.URL.Query().Get("page"))
	return size, max(page, 1)
}

// link writes GitHub's Link header for page of a list of total items.
func (f *fakeGitHub) link(w http.ResponseWriter, r *http.Request, page, size, total int) {
	last := max((total+size-1)/size, 1)
	at := func(p int, rel string) string {
		u := url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path}
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(p))
		u.RawQuery = q.Encode()
		return fmt.Sprintf(`<%s>; rel="%s"`, u.String(), rel)
	}
	var links []string
	if page < last {
		links = append(links, at(page+1, "next"), at(last, "last"))
	}
	if page > 1 {
		links = append(links, at(1, "first"), at(page-1, "prev"))
	}
	if len(links) > 0 {
		w.Header().Set("Link", strings.Join(links, ", "))
	}
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	if status == http.StatusNotModified {
		w.WriteHeader(status)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

// parseRange reads a search date qualifier: >=D, <=D, A..B; dates or
// instants. Zero ends are open.
func parseRange(s string) (r [2]time.Time) {
	switch {
	case strings.HasPrefix(s, ">="):
		r[0] = parseQueryTime(s[2:], false)
	case strings.HasPrefix(s, "<="):
		r[1] = parseQueryTime(s[2:], true)
	default:
		if a, b, ok := strings.Cut(s, ".."); ok {
			r[0], r[1] = parseQueryTime(a, false), parseQueryTime(b, true)
		}
	}
	return r
}

func parseQueryTime(s string, end bool) time.Time {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}
	}
	if end {
		return t.Add(24*time.Hour - time.Second)
	}
	return t
}

func inRange(v any, r [2]time.Time) bool {
	s, _ := v.(string)
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return r[0].IsZero() && r[1].IsZero()
	}
	return (r[0].IsZero() || !t.Before(r[0])) && (r[1].IsZero() || !t.After(r[1]))
}
