package githubtest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// searchCap is GitHub's: no search result past the 1,000th is served.
const searchCap = 1000

// search serves search/issues like GitHub: total_count is every match,
// but no result past the 1,000th is served.
func (a *API) search(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	a.queries = append(a.queries, q)
	kind, author := "", ""
	var created, updated [2]time.Time
	for _, term := range strings.Fields(q) {
		key, val, _ := strings.Cut(term, ":")
		switch {
		case term == "is:pr" || term == "is:issue":
			kind = val
		case key == "author" && !a.opts.IgnoreAuthor:
			author = val
		case key == "created":
			created = parseRange(val)
		case key == "updated":
			updated = parseRange(val)
		}
	}
	if kind == "" {
		writeJSON(w, http.StatusUnprocessableEntity, []byte(`{"message":"Validation Failed","errors":[{"message":"is:pr or is:issue required"}]}`))
		return
	}
	var match []map[string]any
	for _, it := range a.data.Items {
		_, isPR := it["pull_request"]
		if isPR == (kind == "pr") && (author == "" || strings.EqualFold(login(it["user"]), author)) &&
			inRange(it["created_at"], created) && inRange(it["updated_at"], updated) {
			match = append(match, it)
		}
	}
	sort.SliceStable(match, func(i, j int) bool { return fmt.Sprint(match[i]["created_at"]) < fmt.Sprint(match[j]["created_at"]) })
	served := match[:min(len(match), searchCap)]
	size, page := a.paging(r)
	if (page-1)*size >= len(served) && page > 1 {
		writeJSON(w, http.StatusUnprocessableEntity, []byte(`{"message":"Only the first 1000 search results are available"}`))
		return
	}
	items := orEmpty(served[(page-1)*size : min(page*size, len(served))])
	body, _ := json.Marshal(map[string]any{"total_count": len(match), "incomplete_results": false, "items": items})
	link(w, r, page, size, len(served))
	writeJSON(w, http.StatusOK, body)
}

func (a *API) reposOf(user string) []map[string]any {
	var out []map[string]any
	for _, r := range a.data.Repos {
		if strings.EqualFold(login(r["owner"]), user) {
			out = append(out, r)
		}
	}
	return out
}

// releases lists a repository's releases: 404 for a repository that is
// not among its owner's Repos.
func (a *API) releases(w http.ResponseWriter, r *http.Request, owner, repo string) {
	for _, rp := range a.reposOf(owner) {
		if rp["name"] == repo {
			a.list(w, r, a.data.Releases[login(rp["owner"])+"/"+repo])
			return
		}
	}
	writeError(w, http.StatusNotFound, "Not Found")
}

// list serves one page of a list with an ETag, or 304 when unchanged.
func (a *API) list(w http.ResponseWriter, r *http.Request, all []map[string]any) {
	size, page := a.paging(r)
	lo := min((page-1)*size, len(all))
	body, _ := json.Marshal(orEmpty(all[lo:min(page*size, len(all))]))
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:12]) + `"`
	w.Header().Set("ETag", etag)
	link(w, r, page, size, len(all))
	if r.Header.Get("If-None-Match") == etag {
		a.notMod++
		w.WriteHeader(http.StatusNotModified)
		return
	}
	writeJSON(w, http.StatusOK, body)
}

// paging reads per_page (default 30, at most PageSize) and page (from 1).
func (a *API) paging(r *http.Request) (size, page int) {
	size, _ = strconv.Atoi(r.URL.Query().Get("per_page"))
	if size <= 0 {
		size = 30
	}
	page, _ = strconv.Atoi(r.URL.Query().Get("page"))
	return min(size, a.opts.PageSize), max(page, 1)
}

// link writes GitHub's Link header for page of a list of total items.
func link(w http.ResponseWriter, r *http.Request, page, size, total int) {
	last := max((total+size-1)/size, 1)
	at := func(p int, rel string) string {
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(p))
		u := url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path, RawQuery: q.Encode()}
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

// parseRange reads a search date qualifier: >=D, <=D or A..B, of dates
// or RFC 3339 instants. Zero ends are open.
func parseRange(s string) (r [2]time.Time) {
	switch {
	case strings.HasPrefix(s, ">="):
		r[0] = parseQueryTime(s[2:], false)
	case strings.HasPrefix(s, "<="):
		r[1] = parseQueryTime(s[2:], true)
	default:
		if from, to, ok := strings.Cut(s, ".."); ok {
			r[0], r[1] = parseQueryTime(from, false), parseQueryTime(to, true)
		}
	}
	return r
}

// parseQueryTime reads an instant, or a date: its start, or its last
// second when end is set.
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

// login is the login of a user object ({"login": ...}).
func login(user any) string {
	m, _ := user.(map[string]any)
	s, _ := m["login"].(string)
	return s
}

func orEmpty(v []map[string]any) []map[string]any {
	if v == nil {
		return []map[string]any{}
	}
	return v
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	body, _ := json.Marshal(map[string]string{"message": msg, "documentation_url": "https://docs.github.com/rest"})
	writeJSON(w, status, body)
}
