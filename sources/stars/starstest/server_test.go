package starstest_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/contriblog/contriblog/sources/fetch/fetchtest"
	"github.com/contriblog/contriblog/sources/stars"
	"github.com/contriblog/contriblog/sources/stars/starstest"
)

const valid = `{"type":"BLOGPOST","title":"Hello","description":"d","url":"https://example.com/a","date":"2026-03-04T10:00:00Z"}`

// call sends one raw request to the fake (see fetchtest.Call).
func call(t *testing.T, f *starstest.Server, method, path, body, token string) (int, http.Header, string) {
	t.Helper()
	return fetchtest.Call(t, method, f.URL+path, body, token)
}

// TestChecks: the fake refuses what the API would: no token, a wrong one,
// unknown fields, missing and malformed values, bad client ids, unknown
// paths and methods; it stores nothing it refused.
func TestChecks(t *testing.T) {
	f := starstest.NewServer(t, starstest.Options{MaxTitle: 10})
	tests := []struct {
		name, method, path, body, token string
		status                          int
		field                           string
	}{
		{"no token", "PUT", "/a", valid, "-", 401, ""},
		{"wrong token", "PUT", "/a", valid, "nope", 401, ""},
		{"unknown field", "PUT", "/a", strings.Replace(valid, `"title"`, `"name":"x","title"`, 1), f.Token, 422, "name"},
		{"no type", "PUT", "/a", strings.Replace(valid, `"type":"BLOGPOST",`, "", 1), f.Token, 422, "type"},
		{"long title", "PUT", "/a", strings.Replace(valid, `"Hello"`, `"Hello, world!"`, 1), f.Token, 422, "title"},
		{"relative url", "PUT", "/a", strings.Replace(valid, `https://example.com/a`, `/a`, 1), f.Token, 422, "url"},
		{"bad id", "PUT", "/a%20b", valid, f.Token, 400, "id"},
		{"not JSON", "PUT", "/a", `type=BLOGPOST`, f.Token, 400, ""},
		{"POST without data", "POST", "", valid, f.Token, 400, "data"},
		{"bad page", "GET", "?page=0", "", f.Token, 400, "page"},
		{"unknown path", "GET", "/a/b", "", f.Token, 404, ""},
		{"DELETE", "DELETE", "/a", "", f.Token, 405, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, body := call(t, f, tt.method, tt.path, tt.body, tt.token)
			if status != tt.status {
				t.Fatalf("status = %d (%s), want %d", status, body, tt.status)
			}
			var got struct {
				Errors []struct{ Field string } `json:"errors"`
			}
			json.Unmarshal([]byte(body), &got)
			if tt.field != "" && (len(got.Errors) == 0 || got.Errors[0].Field != tt.field) {
				t.Errorf("body %s does not name %s", body, tt.field)
			}
		})
	}
	if n := len(f.Contributions()); n != 0 {
		t.Errorf("stored %d refused contributions", n)
	}
}

// TestStore: PUT upserts by client id, POST creates, Add stands for the
// Stars site, GET lists them all with pagination as Stars answers it.
func TestStore(t *testing.T) {
	f := starstest.NewServer(t, starstest.Options{PageSize: 2})
	site := f.Add(stars.Contribution{Type: "OTHER", Title: "By hand", Date: "2026-01-01T00:00:00Z"})
	for i, want := range []int{201, 200} {
		if status, _, body := call(t, f, "PUT", "/row-1", valid, f.Token); status != want {
			t.Fatalf("PUT %d = %d %s, want %d", i+1, status, body, want)
		}
	}
	status, _, body := call(t, f, "POST", "", `{"data":[`+valid+`]}`, f.Token)
	if status != 201 || !strings.Contains(body, `"id":"ctb_000003"`) {
		t.Fatalf("POST = %d %s", status, body)
	}
	e := f.Entries()
	if len(e) != 3 || e[0].Contribution.ID != site || e[1].ClientID != "row-1" || e[1].Writes != 2 || e[2].ClientID != "" {
		t.Fatalf("entries = %+v", e)
	}
	var page struct {
		Data       []stars.Contribution
		Pagination struct{ Page, Total, TotalPages int }
	}
	_, _, body = call(t, f, "GET", "?page=2", "", f.Token)
	if err := json.Unmarshal([]byte(body), &page); err != nil || len(page.Data) != 1 || page.Data[0].ID != "ctb_000003" ||
		page.Pagination.Page != 2 || page.Pagination.Total != 3 || page.Pagination.TotalPages != 2 {
		t.Errorf("page 2 = %s (%v)", body, err)
	}
	if f.Writes() != 3 || f.Requests() != 4 {
		t.Errorf("Writes, Requests = %d, %d; want 3, 4", f.Writes(), f.Requests())
	}
}

// TestFaults: injected 429s carry Retry-After, then 500s, then the
// request goes through; a dropped write is stored but unanswered.
func TestFaults(t *testing.T) {
	f := starstest.NewServer(t)
	f.Throttle(1, "7")
	f.Fail(1, 0)
	status, h, _ := call(t, f, "PUT", "/row-1", valid, f.Token)
	if status != 429 || h.Get("Retry-After") != "7" {
		t.Errorf("first = %d, Retry-After %q", status, h.Get("Retry-After"))
	}
	if status, _, _ = call(t, f, "PUT", "/row-1", valid, f.Token); status != 500 {
		t.Errorf("second = %d, want 500", status)
	}
	f.DropAfterStore(1)
	if status, _, _ = call(t, f, "PUT", "/row-1", valid, f.Token); status != 201 {
		t.Errorf("third = %d, want 201", status)
	}
	if status, _, body := call(t, f, "PUT", "/row-2", valid, f.Token); status != 0 {
		t.Errorf("dropped write answered %d %s", status, body)
	}
	if status, _, _ = call(t, f, "PUT", "/row-2", valid, f.Token); status != 200 {
		t.Errorf("after the drop = %d, want 200 (it was stored)", status)
	}
	f.Refuse("row-1", "url", "not reachable")
	if status, _, body := call(t, f, "PUT", "/row-1", valid, f.Token); status != 422 || !strings.Contains(body, `"field":"url"`) {
		t.Errorf("refused = %d %s", status, body)
	}
	if n := len(f.Contributions()); n != 2 {
		t.Errorf("server holds %d, want 2", n)
	}
}
