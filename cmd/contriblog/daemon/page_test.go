package daemon

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/program"
)

// mvpConfig is a config whose program is the built-in mvp.
func mvpConfig(t *testing.T) Config {
	t.Helper()
	mvp, ok := program.Builtin("mvp")
	if !ok {
		t.Fatal("no built-in mvp")
	}
	return Config{Programs: map[string]*program.Profile{"mvp": mvp}, Program: "mvp"}
}

// TestReviewPage: GET / is the report of the period with every row,
// excluded ones marked and left out of the figures, the page's CSRF
// token, and a script the header's policy allows by its hash; the old
// index moved to /api.
func TestReviewPage(t *testing.T) {
	d, _, _ := apiDaemon(t, mvpConfig(t))
	srv := serve(t, d)
	code, page, h := raw(t, "GET", srv.URL+"/?since=2026-01-01&until=2026-12-31", "", nil)
	if code != 200 || h.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("GET /: %d %s", code, h.Get("Content-Type"))
	}
	if !strings.Contains(page, `<meta name="contriblog-csrf" content="`+d.keys.csrfText+`">`) || strings.Contains(page, d.keys.secretText) {
		t.Error("the page lacks its CSRF token, or holds the daemon's secret")
	}
	scripts := regexp.MustCompile(`(?s)<script>(.*?)</script>`).FindAllStringSubmatch(page, -1)
	if len(scripts) != 1 {
		t.Fatalf("%d inline scripts; want the review script", len(scripts))
	}
	sum := sha256.Sum256([]byte(scripts[0][1]))
	if hash := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; !strings.Contains(h.Get("Content-Security-Policy"), "script-src "+hash) {
		t.Errorf("the policy %q does not allow the page's script (%s)", h.Get("Content-Security-Policy"), hash)
	}
	for _, want := range []string{`<tr id="row-d4" class="excluded" data-id="d4">`, `data-action="include" aria-label="Include Draft"`,
		`data-action="exclude" aria-label="Exclude Bicep modules"`, `data-action="mark"`, `All contributions (4)`,
		`<td class="status-na">excluded</td>`, `<dialog id="edit-dialog"`, `<label for="f-title">Title</label>`} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	if !strings.Contains(page, `<p class="lead">3 contributions`) {
		t.Error("the figures count the excluded row")
	}
	if code, body, _ := raw(t, "GET", srv.URL+"/api", "", nil); code != 200 || !strings.Contains(body, "POST /edit/{id}") || !strings.Contains(body, SecretHeader) {
		t.Errorf("GET /api: %d %s", code, body)
	}
	for _, q := range []string{"?since=2026-13-01", "?program=nope", "?person=Nobody", "?bogus=1", "?since=2026-05-01&until=2026-01-01"} {
		if code, body, _ := raw(t, "GET", srv.URL+"/"+q, "", nil); code != 400 {
			t.Errorf("GET /%s: %d %s; want 400", q, code, body)
		}
	}
}

// TestMarkAndUnmarkFromThePage: POST /submissions with program and id
// records the row as `contriblog submitted mark` does, once; the page
// then offers Unmark with the record, which POST /submissions/delete
// removes.
func TestMarkAndUnmarkFromThePage(t *testing.T) {
	d, st, _ := apiDaemon(t, mvpConfig(t))
	srv := serve(t, d)
	for i, want := range []string{`"saved": 1`, `"already": 1`} {
		resp, body := request(t, "POST", srv.URL+"/submissions", "", "program=mvp&id=a1")
		if resp.StatusCode != 200 || !strings.Contains(body, want) {
			t.Errorf("mark %d: %d %s; want %s", i+1, resp.StatusCode, body, want)
		}
	}
	subs, _ := st.Submissions(context.Background())
	if len(subs) != 1 || subs[0].ID != "a1" || subs[0].Program != "mvp" || subs[0].How != harvester.SubmittedMarked || len(subs[0].Anchors) == 0 {
		t.Fatalf("records %+v; want a1 marked for mvp with its anchors", subs)
	}
	for _, form := range []string{"program=mvp&id=zz", "program=nope&id=a1", "id=a1", "program=mvp&id=a1&how=pushed"} {
		if resp, body := request(t, "POST", srv.URL+"/submissions", "", form); resp.StatusCode/100 != 4 {
			t.Errorf("mark %s: %d %s; want a refusal", form, resp.StatusCode, body)
		}
	}
	_, page, _ := raw(t, "GET", srv.URL+"/?since=2026-01-01&until=2026-12-31", "", nil)
	m := regexp.MustCompile(`data-action="unmark" data-records="([^"]*)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no Unmark button after marking")
	}
	var ids []string
	if err := json.Unmarshal([]byte(strings.ReplaceAll(m[1], "&#34;", `"`)), &ids); err != nil || len(ids) != 1 || ids[0] != "a1" {
		t.Errorf("Unmark's records %q: %v", m[1], err)
	}
	if resp, body := request(t, "POST", srv.URL+"/submissions/delete", "", "program=mvp&id=a1"); resp.StatusCode != 200 || !strings.Contains(body, `"deleted": 1`) {
		t.Errorf("unmark: %d %s", resp.StatusCode, body)
	}
	if subs, _ := st.Submissions(context.Background()); len(subs) != 0 {
		t.Errorf("records after unmark: %+v", subs)
	}
}
