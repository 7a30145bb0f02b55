package stars_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/contriblog/contriblog/sources/fetch"
	"github.com/contriblog/contriblog/sources/fetch/fetchtest"
	"github.com/contriblog/contriblog/sources/stars"
	"github.com/contriblog/contriblog/sources/stars/starstest"
)

// waits records the retries' waits without waiting.
type waits struct {
	mu  sync.Mutex
	got []time.Duration
}

func (w *waits) sleep(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.got = append(w.got, d)
	return ctx.Err()
}

func newClient(t *testing.T, f *starstest.Server, maxWait time.Duration) (*stars.Client, *waits) {
	t.Helper()
	w := &waits{}
	c, err := stars.New(stars.Config{BaseURL: f.URL, Token: f.Token, Retry: fetch.Retry{MaxWait: maxWait, Sleep: w.sleep}})
	if err != nil {
		t.Fatal(err)
	}
	return c, w
}

func talk(n int) stars.Contribution {
	return stars.Contribution{Type: "SPEAKING", Title: fmt.Sprintf("Talk %d", n), Description: "About Go",
		URL: fmt.Sprintf("https://example.com/talks/%d", n), Date: "2026-03-04T00:00:00Z"}
}

// TestPutIsIdempotent: a PUT creates the contribution of its client id,
// a second one updates it; List gives them back with the API's ids,
// across pages.
func TestPutIsIdempotent(t *testing.T) {
	f := starstest.NewServer(t, starstest.Options{PageSize: 2})
	c, _ := newClient(t, f, 0)
	ctx := context.Background()
	var ids []string
	for i := 1; i <= 3; i++ {
		res, err := c.Put(ctx, fmt.Sprintf("row-%d", i), talk(i))
		if err != nil || !res.Created || res.ID == "" || res.Contribution.Title != talk(i).Title {
			t.Fatalf("Put row-%d = %+v, %v", i, res, err)
		}
		ids = append(ids, res.ID)
	}
	again := talk(1)
	again.Title = "Talk 1, renamed"
	res, err := c.Put(ctx, "row-1", again)
	if err != nil || res.Created || res.ID != ids[0] {
		t.Fatalf("second Put row-1 = %+v, %v; want an update of %s", res, err, ids[0])
	}
	entries := f.Entries()
	if len(entries) != 3 || entries[0].ClientID != "row-1" || entries[0].Writes != 2 || entries[0].Contribution.Title != again.Title {
		t.Fatalf("server holds %+v", entries)
	}
	got, err := c.List(ctx)
	if err != nil || len(got) != 3 {
		t.Fatalf("List = %d contributions, %v; want 3 over 2 pages", len(got), err)
	}
	for i, k := range got {
		if k.ID != ids[i] {
			t.Errorf("List[%d].ID = %q, want %q", i, k.ID, ids[i])
		}
	}
}

// TestPutRetries: 429s (with Retry-After) and a 503 are waited out, and
// the contribution is stored once.
func TestPutRetries(t *testing.T) {
	f := starstest.NewServer(t)
	c, w := newClient(t, f, 0)
	f.Throttle(2, "3")
	f.Fail(1, http.StatusServiceUnavailable)
	if _, err := c.Put(context.Background(), "row-1", talk(1)); err != nil {
		t.Fatal(err)
	}
	want := []time.Duration{3 * time.Second, 3 * time.Second, 4 * time.Second}
	if fmt.Sprint(w.got) != fmt.Sprint(want) {
		t.Errorf("waits = %v, want %v", w.got, want)
	}
	if n := len(f.Contributions()); n != 1 || f.Requests() != 4 {
		t.Errorf("server holds %d after %d requests, want 1 after 4", n, f.Requests())
	}
}

// TestPutGivesUp: a server failing past MaxWait gives a *GiveUpError
// that says so, and nothing is stored.
func TestPutGivesUp(t *testing.T) {
	f := starstest.NewServer(t)
	c, _ := newClient(t, f, 5*time.Second)
	f.Fail(100, http.StatusBadGateway)
	_, err := c.Put(context.Background(), "row-1", talk(1))
	var gu *fetch.GiveUpError
	if !errors.As(err, &gu) || gu.Status != http.StatusBadGateway || !strings.Contains(err.Error(), "gave up after") {
		t.Fatalf("Put = %v, want a *GiveUpError after 502s", err)
	}
	if strings.Contains(err.Error(), f.Token) || len(f.Contributions()) != 0 {
		t.Errorf("error %q; server holds %d", err, len(f.Contributions()))
	}
}

// TestPutLostAnswer: a PUT stored but unanswered is sent again (it is
// idempotent): one contribution, and Put succeeds.
func TestPutLostAnswer(t *testing.T) {
	f := starstest.NewServer(t)
	c, _ := newClient(t, f, 0)
	f.DropAfterStore(0)
	res, err := c.Put(context.Background(), "row-1", talk(1))
	if err != nil || res.Created {
		t.Fatalf("Put = %+v, %v; want the retry's update", res, err)
	}
	if e := f.Entries(); len(e) != 1 || e[0].Writes != 2 {
		t.Errorf("server holds %+v, want one contribution written twice", e)
	}
}

// TestPutRefused: a refused value is a *fetch.RefusedError naming the
// field, from the fake's own checks and from an injected refusal; a
// wrong token says the token was refused, without it.
func TestPutRefused(t *testing.T) {
	f := starstest.NewServer(t)
	c, _ := newClient(t, f, 0)
	f.Refuse("row-9", "description", "looks like spam")
	long := talk(1)
	long.Description = strings.Repeat("ü", starstest.DefaultMaxDescription+1)
	tests := []struct {
		name, id string
		mod      func(*stars.Contribution)
		field    string
	}{
		{"type", "row-1", func(k *stars.Contribution) { k.Type = "TALK" }, "type"},
		{"no title", "row-1", func(k *stars.Contribution) { k.Title = " " }, "title"},
		{"no url", "row-1", func(k *stars.Contribution) { k.URL = "" }, "url"},
		{"ftp url", "row-1", func(k *stars.Contribution) { k.URL = "ftp://example.com/x" }, "url"},
		{"date", "row-1", func(k *stars.Contribution) { k.Date = "2026-03-04" }, "date"},
		{"long description", "row-1", func(k *stars.Contribution) { *k = long }, "description"},
		{"injected", "row-9", func(*stars.Contribution) {}, "description"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := talk(1)
			tt.mod(&k)
			_, err := c.Put(context.Background(), tt.id, k)
			var re *fetch.RefusedError
			if !errors.As(err, &re) || re.Field != tt.field || re.Status != http.StatusUnprocessableEntity {
				t.Fatalf("Put = %v, want a 422 refusing %s", err, tt.field)
			}
			if !strings.Contains(err.Error(), "field "+tt.field) || !strings.Contains(err.Error(), "PUT "+f.URL+"/"+tt.id) {
				t.Errorf("error %q does not name the request and the field", err)
			}
		})
	}
	if len(f.Contributions()) != 0 {
		t.Errorf("refused contributions were stored: %+v", f.Contributions())
	}
	bad, err := stars.New(stars.Config{BaseURL: f.URL, Token: "wrong-token-5678"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = bad.List(context.Background())
	var re *fetch.RefusedError
	if !errors.As(err, &re) || !re.TokenRefused() || strings.Contains(err.Error(), "wrong-token-5678") {
		t.Errorf("wrong token: List = %v", err)
	}
}

// TestClientID: a client id the API would refuse is refused before
// anything is sent.
func TestClientID(t *testing.T) {
	f := starstest.NewServer(t)
	c, _ := newClient(t, f, 0)
	for _, id := range []string{"", "a/b", "a b", "é", strings.Repeat("a", 256), "../x"} {
		if _, err := c.Put(context.Background(), id, talk(1)); err == nil || !strings.Contains(err.Error(), "client id") {
			t.Errorf("Put(%q) = %v, want a client id error", id, err)
		}
	}
	if f.Requests() != 0 {
		t.Errorf("%d requests sent for bad client ids", f.Requests())
	}
	for _, id := range []string{"a", "row:2026.x_y-z", strings.Repeat("Z", 255)} {
		if err := stars.ValidClientID(id); err != nil {
			t.Errorf("ValidClientID(%q) = %v", id, err)
		}
	}
}

// TestNew: a token is required, and the base URL must be one the token
// may go to.
func TestNew(t *testing.T) {
	for _, tt := range []struct{ base, token, want string }{
		{"", "", "no token"},
		{"ftp://stars.example.com/api", "t0ken", "must be an http or https URL"},
		{"https://u:p@stars.example.com/api", "t0ken", "must not carry credentials"},
		{"https://stars.example.com/api?x=1", "t0ken", "must not have a query"},
		{"http://stars.example.com/api", "t0ken", "refusing to send credentials over plain http:// to stars.example.com"},
	} {
		_, err := stars.New(stars.Config{BaseURL: tt.base, Token: tt.token})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("New(%q) = %v, want %q", tt.base, err, tt.want)
		}
	}
	c, err := stars.New(stars.Config{Token: "t0ken"})
	if err != nil || c.BaseURL() != stars.DefaultBaseURL {
		t.Errorf("New() = %v, %v; want the default base", c, err)
	}
}

// TestTokenStaysHome: a redirect to another host goes without the token,
// and a next-page link to another host is not followed.
func TestTokenStaysHome(t *testing.T) {
	var mu sync.Mutex
	var gotAuth []string
	other := fetchtest.ServeOn(t, "127.0.0.2", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		gotAuth = append(gotAuth, r.Header.Get("Authorization"))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"data":[]}`)
	}))
	home := fetchtest.ServeOn(t, "127.0.0.1", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("page") == "" && r.URL.Path == "/api/next" {
			fmt.Fprintf(w, `{"data":[{"id":"a","type":"OTHER","title":"A","date":"2026-01-01T00:00:00Z"}],"next":%q}`, other.URL+"/api")
			return
		}
		http.Redirect(w, r, other.URL+"/api", http.StatusFound)
	}))
	c, err := stars.New(stars.Config{BaseURL: home.URL + "/api", Token: "home-token-1234"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.List(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(gotAuth) != 1 || gotAuth[0] != "" {
		t.Errorf("the other host got Authorization %q", gotAuth)
	}
	c, _ = stars.New(stars.Config{BaseURL: home.URL + "/api/next", Token: "home-token-1234"})
	got, err := c.List(context.Background())
	if err == nil || !strings.Contains(err.Error(), "the next page is on another host") || len(got) != 1 {
		t.Errorf("List with a next link elsewhere = %v, %v", got, err)
	}
}

// TestListNext: the list follows a next link ({"next"} or
// {"links": {"next"}}) on the API's origin, and stops at a loop.
func TestListNext(t *testing.T) {
	srv := fetchtest.ServeOn(t, "127.0.0.1", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		item := func(id string) string {
			return fmt.Sprintf(`{"id":%s,"type":"BLOGPOST","title":"T","url":"https://e.com","date":"2026-01-01T00:00:00Z"}`, id)
		}
		switch r.URL.Query().Get("cursor") {
		case "":
			fmt.Fprintf(w, `{"data":[%s],"next":"?cursor=b"}`, item(`"a"`))
		case "b":
			fmt.Fprintf(w, `{"data":[%s],"links":{"next":"/api/c?cursor=c"}}`, item("42"))
		case "c":
			fmt.Fprintf(w, `{"data":[%s],"links":{"next":null}}`, item(`"c"`))
		}
	}))
	c, err := stars.New(stars.Config{BaseURL: srv.URL + "/api/c", Token: "tok-12345"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.List(context.Background())
	if err != nil || len(got) != 3 || got[0].ID != "a" || got[1].ID != "42" || got[2].ID != "c" {
		t.Fatalf("List = %+v, %v", got, err)
	}
	loop := fetchtest.ServeOn(t, "127.0.0.1", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"data":[{"id":"a"}],"next":"/api"}`)
	}))
	c, _ = stars.New(stars.Config{BaseURL: loop.URL + "/api", Token: "tok-12345"})
	if _, err := c.List(context.Background()); err == nil || !strings.Contains(err.Error(), "loop") {
		t.Errorf("List of a looping API = %v", err)
	}
}

// TestPutRequest: the dry run's URL and body are what Put sends, without
// the id; a bad client id is refused there too.
func TestPutRequest(t *testing.T) {
	k := talk(1)
	k.ID = "ctb_000009"
	u, body, err := stars.PutRequest("", "row-1", k)
	if err != nil || u != stars.DefaultBaseURL+"/row-1" {
		t.Fatalf("PutRequest = %q, %v", u, err)
	}
	want := `{"type":"SPEAKING","title":"Talk 1","description":"About Go","url":"https://example.com/talks/1","date":"2026-03-04T00:00:00Z"}`
	if string(body) != want {
		t.Errorf("body = %s, want %s", body, want)
	}
	f := starstest.NewServer(t)
	c, _ := newClient(t, f, 0)
	if _, err := c.Put(context.Background(), "row-1", k); err != nil {
		t.Fatal(err)
	}
	if got := f.Contributions()[0]; got.ID == k.ID || got.Title != k.Title || got.Date != k.Date {
		t.Errorf("server holds %+v after Put of %+v", got, k)
	}
	if _, _, err := stars.PutRequest("", "a b", k); err == nil {
		t.Error("PutRequest took a bad client id")
	}
}
