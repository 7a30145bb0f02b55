package advocu_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/contriblog/contriblog/sources/advocu"
	"github.com/contriblog/contriblog/sources/advocu/advocutest"
	"github.com/contriblog/contriblog/sources/fetch"
	"github.com/contriblog/contriblog/sources/fetch/fetchtest"
)

// clock is a fake clock whose sleeps move it on, recording them by who
// slept.
type clock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps map[string][]time.Duration
}

func newClock() *clock {
	return &clock{now: time.Date(2026, 11, 5, 10, 0, 0, 0, time.UTC), sleeps: map[string][]time.Duration{}}
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) sleeper(who string) func(context.Context, time.Duration) error {
	return func(ctx context.Context, d time.Duration) error {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.now = c.now.Add(d)
		c.sleeps[who] = append(c.sleeps[who], d)
		return ctx.Err()
	}
}

func (c *clock) slept(who string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return fmt.Sprint(c.sleeps[who])
}

func newClient(t *testing.T, base, token string, maxWait time.Duration) (*advocu.Client, *clock) {
	t.Helper()
	clk := newClock()
	c, err := advocu.New(advocu.Config{BaseURL: base, Token: token, Now: clk.Now, Sleep: clk.sleeper("pace"),
		Retry: fetch.Retry{MaxWait: maxWait, Sleep: clk.sleeper("retry"), Now: clk.Now}})
	if err != nil {
		t.Fatal(err)
	}
	return c, clk
}

const article = `{"title":"Go generics in practice","description":"A post","tags":["Golang"],"private":false,
	"metrics":{"readers":120},"contentType":"Articles","activityDate":"2026-03-04","activityUrl":"https://example.com/generics"}`

const talk = `{"title":"Go at scale","description":"A talk","eventFormat":"Hybrid","country":"Germany","city":"Berlin",
	"inPersonAttendees":40,"metrics":{"attendees":90},"activityDate":"2026-04-01","activityUrl":"https://example.com/talk"}`

// TestCreateDraft: each call makes one draft, whose id comes back; the
// requests are paced MinInterval apart.
func TestCreateDraft(t *testing.T) {
	f := advocutest.NewServer(t)
	c, clk := newClient(t, f.URL, f.Token, 0)
	var ids []string
	for _, d := range []struct{ kind, body string }{{"content-creation", article}, {"public-speaking", talk}, {"content-creation", article}} {
		id, err := c.CreateDraft(context.Background(), d.kind, json.RawMessage(d.body))
		if err != nil {
			t.Fatalf("CreateDraft(%s) = %v", d.kind, err)
		}
		ids = append(ids, id)
	}
	drafts := f.Drafts()
	if len(drafts) != 3 || drafts[1].Kind != "public-speaking" || drafts[1].Field("city") != "Berlin" {
		t.Fatalf("server holds %+v", drafts)
	}
	for i, d := range drafts {
		if ids[i] != d.ID || d.ID == "" {
			t.Errorf("id %d = %q, server's %q", i, ids[i], d.ID)
		}
	}
	if got := clk.slept("pace"); got != "[2s 2s]" {
		t.Errorf("paced %s, want [2s 2s]", got)
	}
}

// TestPacingCoversRetries: a retry too waits for MinInterval after the
// attempt before it, on top of the backoff.
func TestPacingCoversRetries(t *testing.T) {
	f := advocutest.NewServer(t)
	c, clk := newClient(t, f.URL, f.Token, 0)
	f.Throttle(1, "")
	if _, err := c.CreateDraft(context.Background(), "content-creation", json.RawMessage(article)); err != nil {
		t.Fatal(err)
	}
	if r, p := clk.slept("retry"), clk.slept("pace"); r != "[1s]" || p != "[1s]" {
		t.Errorf("retry waited %s and pacing %s, want [1s] each: 2s between the attempts", r, p)
	}
	if len(f.Drafts()) != 1 || f.Requests() != 2 {
		t.Errorf("%d drafts after %d requests", len(f.Drafts()), f.Requests())
	}
}

// TestRetriesExhausted: 5xx past MaxWait gives a *GiveUpError that says
// so; nothing is stored.
func TestRetriesExhausted(t *testing.T) {
	f := advocutest.NewServer(t)
	c, _ := newClient(t, f.URL, f.Token, 5*time.Second)
	f.Fail(100, http.StatusServiceUnavailable)
	_, err := c.CreateDraft(context.Background(), "content-creation", json.RawMessage(article))
	var gu *fetch.GiveUpError
	if !errors.As(err, &gu) || gu.Status != 503 || !strings.Contains(err.Error(), "advocu: POST "+f.URL+"activity-drafts/content-creation: gave up after") {
		t.Fatalf("CreateDraft = %v", err)
	}
	if strings.Contains(err.Error(), f.Token) || len(f.Drafts()) != 0 {
		t.Errorf("error %q, %d drafts", err, len(f.Drafts()))
	}
}

// TestLostAnswer: a draft stored but unanswered is not posted again: the
// error wraps fetch.ErrMaybeSent, and the server holds one draft.
func TestLostAnswer(t *testing.T) {
	f := advocutest.NewServer(t)
	c, _ := newClient(t, f.URL, f.Token, 0)
	f.DropAfterStore(0)
	_, err := c.CreateDraft(context.Background(), "content-creation", json.RawMessage(article))
	if !errors.Is(err, fetch.ErrMaybeSent) {
		t.Fatalf("CreateDraft = %v, want ErrMaybeSent", err)
	}
	if len(f.Drafts()) != 1 || f.Writes() != 1 {
		t.Errorf("%d drafts from %d posts, want 1 from 1", len(f.Drafts()), f.Writes())
	}
}

// TestRefused: each limit the fake checks is a *fetch.RefusedError
// naming the field, as is an injected refusal; nothing refused is stored.
func TestRefused(t *testing.T) {
	f := advocutest.NewServer(t)
	c, _ := newClient(t, f.URL, f.Token, 0)
	f.Refuse("Refused talk", "tags", "unknown tag")
	set := func(body, field string, v any) string {
		var m map[string]any
		json.Unmarshal([]byte(body), &m)
		if v == nil {
			delete(m, field)
		} else {
			m[field] = v
		}
		b, _ := json.Marshal(m)
		return string(b)
	}
	long := func(n int) string { return strings.Repeat("ß", n) }
	tests := []struct {
		name, kind, body, field string
	}{
		{"short title", "content-creation", set(article, "title", "Go"), "title"},
		{"long title", "content-creation", set(article, "title", long(201)), "title"},
		{"long description", "content-creation", set(article, "description", long(2001)), "description"},
		{"long additionalInfo", "workshop", set(talk, "additionalInfo", long(2001)), "additionalInfo"},
		{"long activityUrl", "content-creation", set(article, "activityUrl", "https://e.com/"+long(490)), "activityUrl"},
		{"not a URL", "mentoring", set(talk, "activityUrl", "example.com"), "activityUrl"},
		{"zero readers", "content-creation", set(article, "metrics", map[string]any{"readers": 0}), "metrics.readers"},
		{"unknown metric", "content-creation", set(article, "metrics", map[string]any{"views": 3}), "metrics.views"},
		{"date", "content-creation", set(article, "activityDate", "04/03/2026"), "activityDate"},
		{"timestamp", "public-speaking", set(talk, "activityDate", "2026-03-04T10:00:00Z"), "activityDate"},
		{"no contentType", "content-creation", set(article, "contentType", nil), "contentType"},
		{"eventFormat", "public-speaking", set(talk, "eventFormat", "Online"), "eventFormat"},
		{"city online", "public-speaking", set(set(talk, "eventFormat", "Virtual"), "inPersonAttendees", nil), "country"},
		{"unknown field", "content-creation", set(article, "url", "https://e.com"), "url"},
		{"not for the kind", "stories", article, "activityDate"},
		{"tags", "content-creation", set(article, "tags", "Golang"), "tags"},
		{"injected", "public-speaking", set(talk, "title", "Refused talk"), "tags"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.CreateDraft(context.Background(), tt.kind, json.RawMessage(tt.body))
			var re *fetch.RefusedError
			if !errors.As(err, &re) || re.Field != tt.field || re.Status != 400 {
				t.Fatalf("CreateDraft = %v, want a 400 naming %s", err, tt.field)
			}
			if !strings.Contains(err.Error(), "field "+tt.field) {
				t.Errorf("error %q does not name the field", err)
			}
		})
	}
	if n := len(f.Drafts()); n != 0 {
		t.Errorf("%d refused drafts stored", n)
	}
}

// TestCheckedBeforeSending: an unknown kind and a body that is not a JSON
// object are refused before anything is sent.
func TestCheckedBeforeSending(t *testing.T) {
	f := advocutest.NewServer(t)
	c, _ := newClient(t, f.URL, f.Token, 0)
	for _, tt := range []struct{ kind, body, want string }{
		{"blogging", article, `activity kind "blogging": want one of content-creation,`},
		{"../stories", article, "activity kind"},
		{"stories", `["a"]`, "not a JSON object"},
		{"stories", `null`, "not a JSON object"},
		{"stories", `{`, "not a JSON object"},
	} {
		if _, err := c.CreateDraft(context.Background(), tt.kind, json.RawMessage(tt.body)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("CreateDraft(%s, %s) = %v, want %q", tt.kind, tt.body, err, tt.want)
		}
	}
	if f.Requests() != 0 {
		t.Errorf("%d requests sent", f.Requests())
	}
}

// TestToken: a wrong token is refused without appearing in the error; a
// redirect to another host goes without it.
func TestToken(t *testing.T) {
	f := advocutest.NewServer(t)
	c, _ := newClient(t, f.URL, "wrong-token-31337", 0)
	_, err := c.CreateDraft(context.Background(), "stories", json.RawMessage(`{"title":"Story"}`))
	var re *fetch.RefusedError
	if !errors.As(err, &re) || !re.TokenRefused() || strings.Contains(err.Error(), "wrong-token-31337") {
		t.Errorf("wrong token: %v", err)
	}
	var mu sync.Mutex
	var auth []string
	other := fetchtest.ServeOn(t, "127.0.0.2", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		auth = append(auth, r.Header.Get("Authorization"))
		w.WriteHeader(http.StatusCreated)
		fmt.Fprint(w, `{"id":"elsewhere"}`)
	}))
	home := fetchtest.ServeOn(t, "127.0.0.1", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	c, _ = newClient(t, home.URL+"/v1/gde", "home-token-4242", 0)
	id, err := c.CreateDraft(context.Background(), "stories", json.RawMessage(`{"title":"Story"}`))
	mu.Lock()
	defer mu.Unlock()
	if err != nil || id != "elsewhere" || len(auth) != 1 || auth[0] != "" {
		t.Errorf("redirected: id %q, %v; the other host got Authorization %q", id, err, auth)
	}
}

// TestDraftID: the id is read from "id" (a string or a number), else
// "data.id"; a 2xx without one is no error.
func TestDraftID(t *testing.T) {
	for body, want := range map[string]string{
		`{"id":"d-1","status":"draft"}`: "d-1",
		`{"id":1234}`:                   "1234",
		`{"data":{"id":"d-2"}}`:         "d-2",
		`{"data":[{"id":"x"}]}`:         "",
		`{}`:                            "",
		`created`:                       "",
	} {
		srv := fetchtest.ServeOn(t, "127.0.0.1", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusCreated)
			fmt.Fprint(w, body)
		}))
		c, _ := newClient(t, srv.URL, "tok-12345", 0)
		if id, err := c.CreateDraft(context.Background(), "stories", json.RawMessage(`{"title":"Story"}`)); id != want || err != nil {
			t.Errorf("answer %s: id %q, %v; want %q", body, id, err, want)
		}
	}
}

// TestNew: a token is required, and the base must be a URL the token may
// go to; it gets its trailing slash.
func TestNew(t *testing.T) {
	for _, tt := range []struct{ base, token, want string }{
		{"", " ", "no token"},
		{"api.advocu.com/personal-api/v1/gde/", "t0ken", "must be an http or https URL"},
		{"http://api.advocu.com/personal-api/v1/gde/", "t0ken", "refusing to send credentials over plain http://"},
		{"https://api.advocu.com/x?token=abc", "t0ken", "must not have a query"},
	} {
		if _, err := advocu.New(advocu.Config{BaseURL: tt.base, Token: tt.token}); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("New(%q) = %v, want %q", tt.base, err, tt.want)
		}
	}
	c, err := advocu.New(advocu.Config{Token: "t0ken"})
	if err != nil || c.BaseURL() != advocu.DefaultBaseURL {
		t.Errorf("New() = %v, %v", c, err)
	}
	c, _ = advocu.New(advocu.Config{Token: "t0ken", BaseURL: "https://api.advocu.com/personal-api/v1/dockercaptains"})
	if c.BaseURL() != "https://api.advocu.com/personal-api/v1/dockercaptains/" {
		t.Errorf("BaseURL() = %s", c.BaseURL())
	}
}

// TestDraftURL: the dry run's URL is where CreateDraft posts.
func TestDraftURL(t *testing.T) {
	u, err := advocu.DraftURL("", "public-speaking")
	if err != nil || u != "https://api.advocu.com/personal-api/v1/gde/activity-drafts/public-speaking" {
		t.Errorf("DraftURL = %q, %v", u, err)
	}
	if _, err := advocu.DraftURL("", "talks"); err == nil {
		t.Error("DraftURL took an unknown kind")
	}
}
