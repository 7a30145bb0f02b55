package demo

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// newGitHubHandler serves a small fake of the GitHub REST API from fsys
// (data/github): search/issues, users/USER/repos and
// repos/OWNER/REPO/releases, found at the end of the path whatever the
// base path before it. The sample dates are {{RFC3339:-N}} tokens written
// relative to today when served, so the demo always shows the last year.
// Like GitHub it pages lists (Link headers), answers unchanged lists 304
// to a matching If-None-Match, and refuses a search without is:pr or
// is:issue.
func newGitHubHandler(fsys fs.FS, now func() time.Time) http.Handler {
	return &githubFake{fsys: fsys, now: now}
}

type githubFake struct {
	fsys fs.FS
	now  func() time.Time
}

func (g *githubFake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	seg := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	n := len(seg)
	w.Header().Set("X-RateLimit-Limit", "5000")
	w.Header().Set("X-RateLimit-Remaining", "4999")
	w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(g.now().Add(time.Hour).Unix(), 10))
	switch {
	case r.Method != http.MethodGet:
		githubError(w, http.StatusMethodNotAllowed, "Method Not Allowed")
	case n >= 2 && seg[n-2] == "search" && seg[n-1] == "issues":
		g.search(w, r)
	case n >= 3 && seg[n-3] == "users" && seg[n-1] == "repos":
		g.list(w, r, g.reposOf(seg[n-2]))
	case n >= 4 && seg[n-4] == "repos" && seg[n-1] == "releases":
		g.releases(w, r, seg[n-3], seg[n-2])
	default:
		githubError(w, http.StatusNotFound, "Not Found")
	}
}

// load reads one sample list with its dates filled in; a missing file is
// an empty list.
func (g *githubFake) load(name string) ([]map[string]any, error) {
	b, err := fs.ReadFile(g.fsys, name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var v []map[string]any
	if err := json.Unmarshal([]byte(expandDates(string(b), g.now())), &v); err != nil {
		return nil, fmt.Errorf("sample %s: %w", name, err)
	}
	return v, nil
}

func (g *githubFake) reposOf(user string) []map[string]any {
	repos, _ := g.load("repos.json")
	var out []map[string]any
	for _, r := range repos {
		if strings.EqualFold(ghLogin(r["owner"]), user) {
			out = append(out, r)
		}
	}
	return out
}

func (g *githubFake) releases(w http.ResponseWriter, r *http.Request, owner, repo string) {
	for _, rp := range g.reposOf(owner) {
		if rp["name"] == repo {
			rels, err := g.load("releases/" + repo + ".json")
			if err != nil {
				githubError(w, http.StatusInternalServerError, err.Error())
				return
			}
			g.list(w, r, rels)
			return
		}
	}
	githubError(w, http.StatusNotFound, "Not Found")
}

// search answers /search/issues for the qualifiers the demo's harvest
// uses: is:pr / is:issue (required), author:, created: and updated:
// (>=DATE, >=INSTANT or FROM..TO); other qualifiers are ignored.
func (g *githubFake) search(w http.ResponseWriter, r *http.Request) {
	items, err := g.load("search_items.json")
	if err != nil {
		githubError(w, http.StatusInternalServerError, err.Error())
		return
	}
	kind, author := "", ""
	var created, updated [2]time.Time
	for _, term := range strings.Fields(r.URL.Query().Get("q")) {
		key, val, _ := strings.Cut(term, ":")
		switch key {
		case "is":
			if val == "pr" || val == "issue" {
				kind = val
			}
		case "author":
			author = val
		case "created":
			created = ghSearchRange(val)
		case "updated":
			updated = ghSearchRange(val)
		}
	}
	if kind == "" {
		githubError(w, http.StatusUnprocessableEntity, "Validation Failed: a search for issues needs is:issue or is:pr")
		return
	}
	var match []map[string]any
	for _, it := range items {
		_, isPR := it["pull_request"]
		if isPR == (kind == "pr") && (author == "" || strings.EqualFold(ghLogin(it["user"]), author)) &&
			ghInRange(it["created_at"], created) && ghInRange(it["updated_at"], updated) {
			match = append(match, it)
		}
	}
	sort.SliceStable(match, func(i, j int) bool { return fmt.Sprint(match[i]["created_at"]) < fmt.Sprint(match[j]["created_at"]) })
	size, page := ghPaging(r)
	lo := min((page-1)*size, len(match))
	body, _ := json.Marshal(map[string]any{"total_count": len(match), "incomplete_results": false,
		"items": ghOrEmpty(match[lo:min(page*size, len(match))])})
	ghPageLinks(w, r, page, size, len(match))
	writeGitHubJSON(w, http.StatusOK, body)
}

// list serves one page of a list with an ETag, or 304 when unchanged.
func (g *githubFake) list(w http.ResponseWriter, r *http.Request, all []map[string]any) {
	size, page := ghPaging(r)
	lo := min((page-1)*size, len(all))
	body, _ := json.Marshal(ghOrEmpty(all[lo:min(page*size, len(all))]))
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	w.Header().Set("ETag", etag)
	ghPageLinks(w, r, page, size, len(all))
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	writeGitHubJSON(w, http.StatusOK, body)
}

// ghPaging reads per_page (default 30, at most 100) and page (from 1).
func ghPaging(r *http.Request) (size, page int) {
	size, _ = strconv.Atoi(r.URL.Query().Get("per_page"))
	if size <= 0 {
		size = 30
	}
	page, _ = strconv.Atoi(r.URL.Query().Get("page"))
	return min(size, 100), max(page, 1)
}

// ghPageLinks writes GitHub's Link header: next and last while there are more.
func ghPageLinks(w http.ResponseWriter, r *http.Request, page, size, total int) {
	last := (total + size - 1) / size
	if page >= last {
		return
	}
	at := func(p int, rel string) string {
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(p))
		u := url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path, RawQuery: q.Encode()}
		return fmt.Sprintf(`<%s>; rel="%s"`, u.String(), rel)
	}
	w.Header().Set("Link", at(page+1, "next")+", "+at(last, "last"))
}

// ghSearchRange reads >=X or FROM..TO (dates or RFC 3339 instants); zero
// ends are open.
func ghSearchRange(v string) (r [2]time.Time) {
	if from, ok := strings.CutPrefix(v, ">="); ok {
		r[0] = ghSearchTime(from, false)
	} else if from, to, ok := strings.Cut(v, ".."); ok {
		r[0], r[1] = ghSearchTime(from, false), ghSearchTime(to, true)
	}
	return r
}

func ghSearchTime(s string, end bool) time.Time {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		if end {
			return t.Add(24*time.Hour - time.Second)
		}
		return t
	}
	return time.Time{}
}

func ghInRange(v any, r [2]time.Time) bool {
	s, _ := v.(string)
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return r[0].IsZero() && r[1].IsZero()
	}
	return (r[0].IsZero() || !t.Before(r[0])) && (r[1].IsZero() || !t.After(r[1]))
}

func ghLogin(user any) string {
	m, _ := user.(map[string]any)
	s, _ := m["login"].(string)
	return s
}

func ghOrEmpty(v []map[string]any) []map[string]any {
	if v == nil {
		return []map[string]any{}
	}
	return v
}

func writeGitHubJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func githubError(w http.ResponseWriter, status int, msg string) {
	body, _ := json.Marshal(map[string]string{"message": msg, "documentation_url": "https://docs.github.com/rest"})
	writeGitHubJSON(w, status, body)
}
