package githubtest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

var sample = fstest.MapFS{
	"search_items.json": {Data: []byte(`[
		{"title": "mine", "user": {"login": "ann"}, "created_at": "{{NOW}}", "pull_request": {}},
		{"title": "theirs", "user": {"login": "bob"}, "created_at": "2026-01-02T00:00:00Z", "pull_request": {}}]`)},
	"repos.json":              {Data: []byte(`[{"name": "kit", "owner": {"login": "ann"}}, {"name": "bare", "owner": {"login": "ann"}}]`)},
	"releases/ann_kit.json":   {Data: []byte(`[{"tag_name": "v1"}]`)},
	"releases/ann_other.json": {Data: []byte(`[]`)},
}

func get(t *testing.T, h http.Handler, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Code, rec.Body.String()
}

// TestAPI: Load reads the samples through expand; search honours author:
// unless told not to; releases are 404 for a repository not listed, and
// an empty list for a listed one without any.
func TestAPI(t *testing.T) {
	d, err := Load(sample, func(s string) string { return strings.ReplaceAll(s, "{{NOW}}", "2026-01-01T00:00:00Z") })
	if err != nil {
		t.Fatal(err)
	}
	if d.Items[0]["created_at"] != "2026-01-01T00:00:00Z" || len(d.Releases["ann/kit"]) != 1 {
		t.Fatalf("Load = %+v", d)
	}
	for _, tc := range []struct {
		ignore bool
		want   int
	}{{false, 1}, {true, 2}} {
		a := New(d, Options{Prefix: "/api/v3/", IgnoreAuthor: tc.ignore})
		code, body := get(t, a, "/api/v3/search/issues?q=is:pr+author:ann")
		var res struct{ Items []map[string]any }
		if err := json.Unmarshal([]byte(body), &res); code != 200 || err != nil || len(res.Items) != tc.want {
			t.Errorf("IgnoreAuthor %v: %d %s, want %d items", tc.ignore, code, body, tc.want)
		}
	}
	a := New(d, Options{})
	for path, want := range map[string]string{
		"/repos/ann/kit/releases":  `[{"tag_name":"v1"}]`,
		"/repos/ann/bare/releases": `[]`,
		"/repos/bob/kit/releases":  `"Not Found"`,
		"/search/issues?q=ann":     `"Validation Failed"`,
	} {
		if _, body := get(t, a, path); !strings.Contains(body, want) {
			t.Errorf("%s = %s, want %s", path, body, want)
		}
	}
	a.AddFault(Fault{Endpoint: "repos", Status: 503, Body: `{"message":"down"}`})
	if code, _ := get(t, a, "/users/ann/repos"); code != 503 || a.Count("/users/ann/repos") != 1 {
		t.Errorf("fault: %d, requests %q", code, a.Requests())
	}
	if _, err := Load(fstest.MapFS{"releases/kit.json": {Data: []byte(`[]`)}}, nil); err == nil {
		t.Error("Load took releases/kit.json, a name without its owner")
	}
}
