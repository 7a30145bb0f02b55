package stackexchange

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/sources/stackexchange/setest"
)

// now is the tests' clock at the start of each test.
var now = time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)

// clock is a fake clock that sleeping moves on, shared by the source and
// the fake API (which enforces backoffs by it).
type clock struct {
	mu     sync.Mutex
	t      time.Time
	sleeps []time.Duration
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	c.t = c.t.Add(d)
	return ctx.Err()
}

func (c *clock) advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// runner harvests a source pass after pass, keeping what a store keeps:
// observations by native id (never deleted) and the state's Data.
type runner struct {
	t     *testing.T
	src   *Source
	state harvester.SourceState
	obs   map[string]harvester.Observation
}

func (r *runner) pass() (*harvester.Batch, error) {
	r.t.Helper()
	b, err := r.src.Harvest(context.Background(), r.state)
	if b != nil {
		for _, o := range b.Observations {
			r.obs[o.NativeID] = o
		}
		if b.Data != nil {
			r.state.Data = b.Data
		}
	}
	return b, err
}

// setup serves f and returns a runner of a source on it; edit changes
// the source's config.
func setup(t *testing.T, f *setest.Fake, c *clock, edit func(*Config)) *runner {
	t.Helper()
	f.Now = c.Now
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	cfg := Config{Name: "so", Person: "Priya Raman", User: "4211", BaseURL: srv.URL, Group: GroupAnswer,
		Since: now.AddDate(-1, 0, 0), Now: c.Now, Sleep: c.Sleep}
	if edit != nil {
		edit(&cfg)
	}
	src, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &runner{t: t, src: src, state: harvester.SourceState{Name: "so"}, obs: map[string]harvester.Observation{}}
}

// answers makes n answers, one every hours hours back from start, on
// questions 1..q in turn; every third is accepted.
func answers(n int, start time.Time, hours int, firstID int64, q int64) []setest.Answer {
	out := make([]setest.Answer, n)
	for i := range out {
		out[i] = setest.Answer{ID: firstID + int64(i), QuestionID: int64(i)%q + 1, Score: int64(i % 7),
			Accepted: i%3 == 0, Created: start.Add(-time.Duration(i*hours) * time.Hour)}
	}
	return out
}

func questions(q int64) []setest.Question {
	out := make([]setest.Question, q)
	for i := range out {
		out[i] = setest.Question{ID: int64(i) + 1, Title: fmt.Sprintf("How do I use <T> & generics %d?", i+1), Views: int64(100 * (i + 1))}
	}
	return out
}

// requests are the fake's requests of one method.
func requests(f *setest.Fake, method string) []url.Values {
	var out []url.Values
	f.Do(func(f *setest.Fake) {
		for _, r := range f.Requests {
			u, _ := url.Parse(r)
			if strings.Contains(u.Path, "/"+method) {
				out = append(out, u.Query())
			}
		}
	})
	return out
}

// TestPagesGzipAndBackoff: 250 answers in three pages, gzip with and
// without Content-Encoding, and a backoff on page two that the next call
// of that method waits out (with the injected sleep) while the fake
// would refuse a call made too soon.
func TestPagesGzipAndBackoff(t *testing.T) {
	for _, plain := range []bool{false, true} {
		t.Run(fmt.Sprintf("plain=%v", plain), func(t *testing.T) {
			c := &clock{t: now}
			f := &setest.Fake{User: 4211, Answers: answers(250, now.Add(-time.Hour), 20, 1000, 60), Questions: questions(60),
				Backoff: map[string]int64{"answers:2": 10}, PlainGzip: plain}
			r := setup(t, f, c, nil)
			b, err := r.pass()
			if err != nil {
				t.Fatal(err)
			}
			if len(b.Observations) != 250 {
				t.Fatalf("%d observations, want 250", len(b.Observations))
			}
			if got := requests(f, "answers"); len(got) != 3 || got[2].Get("page") != "3" || got[0].Get("pagesize") != "100" ||
				got[0].Get("sort") != "creation" || got[0].Get("order") != "desc" || got[0].Get("fromdate") != fmt.Sprint(now.AddDate(-1, 0, 0).Unix()) {
				t.Errorf("answer requests: %v", got)
			}
			if got := requests(f, "questions"); len(got) != 1 {
				t.Errorf("question requests: %v, want one call for 60 ids", got)
			}
			if !slices.Equal(c.sleeps, []time.Duration{10 * time.Second}) {
				t.Errorf("slept %v, want the 10s backoff of page 2", c.sleeps)
			}
			o := r.obs["1000"]
			want := harvester.Observation{Source: "so", NativeID: "1000", Person: "Priya Raman", ActivityType: harvester.TypeOnlineSupport,
				Title: "How do I use <T> & generics 1?", URL: "https://stackoverflow.com/a/1000", Date: now.Add(-time.Hour)}
			if o.Title != want.Title || o.URL != want.URL || !o.Date.Equal(want.Date) || o.ActivityType != want.ActivityType || o.Person != want.Person {
				t.Errorf("observation\n got %+v\nwant %+v", o, want)
			}
			if o.Metrics["accepted"] != 1 || o.Metrics["views"] != 100 || o.Metrics["score"] != 0 {
				t.Errorf("metrics %v", o.Metrics)
			}
			if r.obs["1001"].Metrics["accepted"] != 0 || r.obs["1001"].Metrics["score"] != 1 {
				t.Errorf("metrics of 1001: %v", r.obs["1001"].Metrics)
			}
			if b.Data[keyNewest] != fmt.Sprint(now.Add(-time.Hour).Unix()) {
				t.Errorf("Data %v", b.Data)
			}
		})
	}
}

// TestBackoffBeyondBudget: a backoff longer than max_wait stops the pass
// with a clear error; what was read is kept, the state is not advanced.
func TestBackoffBeyondBudget(t *testing.T) {
	c := &clock{t: now}
	f := &setest.Fake{User: 4211, Answers: answers(250, now.Add(-time.Hour), 20, 1000, 60), Questions: questions(60),
		Backoff: map[string]int64{"answers:2": 600}}
	r := setup(t, f, c, func(cfg *Config) { cfg.MaxWait = time.Minute })
	b, err := r.pass()
	var be *BackoffError
	if !errors.As(err, &be) || !strings.Contains(err.Error(), "asked to wait 10m0s before calling answers again, beyond max_wait 1m0s") {
		t.Fatalf("err = %v", err)
	}
	if len(c.sleeps) != 0 || len(requests(f, "answers")) != 2 {
		t.Errorf("slept %v, %d answer requests", c.sleeps, len(requests(f, "answers")))
	}
	if len(b.Observations) != 200 || b.Data != nil {
		t.Errorf("%d observations, Data %v; want the 200 read and no Data", len(b.Observations), b.Data)
	}
	// Within the pass's deadline or not: a deadline sooner than the
	// backoff stops too.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	r2 := setup(t, &setest.Fake{User: 4211, Answers: answers(250, now, 1, 1, 5), Questions: questions(5), Backoff: map[string]int64{"answers:1": 60}}, &clock{t: now}, nil)
	if _, err := r2.src.Harvest(ctx, r2.state); err == nil || !strings.Contains(err.Error(), "beyond the pass's deadline") {
		t.Errorf("err = %v", err)
	}
}

// TestQuotaRunsOutOnALaterPass: the first pass reads everything; on the
// second the quota reaches 0 after the first page: the pass stops without
// another call, keeps that page, says when the quota resets, and the next
// day's pass starts again from the same point.
func TestQuotaRunsOutOnALaterPass(t *testing.T) {
	c := &clock{t: now}
	f := &setest.Fake{User: 4211, Answers: answers(50, now.AddDate(0, 0, -40), 24, 1000, 10), Questions: questions(10), QuotaMax: 10}
	r := setup(t, f, c, nil)
	if _, err := r.pass(); err != nil {
		t.Fatal(err)
	}
	newest := r.state.Data[keyNewest]
	// 150 new answers in the last days: two pages, and the quota has one
	// call left.
	f.Do(func(f *setest.Fake) {
		f.Answers = append(f.Answers, answers(150, now.Add(-time.Minute), 1, 5000, 10)...)
		f.QuotaUsed = f.QuotaMax - 1
		f.Requests = nil
	})
	b, err := r.pass()
	var qe *QuotaError
	if !errors.As(err, &qe) {
		t.Fatalf("err = %v, want a QuotaError", err)
	}
	want := "the daily quota of 10 requests is used up; it resets at 2026-11-23 00:00 UTC (in 15h0m0s)"
	if !strings.Contains(err.Error(), want) {
		t.Errorf("err = %v\nwant it to say %q", err, want)
	}
	if n := len(requests(f, "")); n != 1 {
		t.Errorf("%d requests after the quota ran out, want only the one that used it", n)
	}
	if b == nil || len(b.Observations) != 0 || b.Data != nil {
		t.Errorf("batch %+v: the questions could not be asked, so nothing is shown yet and the state stays", b)
	}
	if r.state.Data[keyNewest] != newest {
		t.Errorf("newest moved to %s", r.state.Data[keyNewest])
	}
	// The next day: a fresh quota; the same new answers are read.
	c.advance(24 * time.Hour)
	f.Do(func(f *setest.Fake) { f.QuotaUsed = 0 })
	if _, err := r.pass(); err != nil {
		t.Fatal(err)
	}
	if _, ok := r.obs["5149"]; !ok {
		t.Error("the answers the stopped pass missed were not read the next day")
	}
	// A pass that starts with no quota left is told so by the API.
	f.Do(func(f *setest.Fake) { f.QuotaUsed = f.QuotaMax })
	_, err = r.pass()
	var ae *APIError
	if !errors.As(err, &ae) || ae.Name != "throttle_violation" || !strings.HasPrefix(err.Error(), "stack exchange: throttle_violation (502): too many requests from this IP, more requests available in ") {
		t.Errorf("err = %v", err)
	}
}

// TestErrorResponses: an error envelope is reported in the API's words,
// whatever the HTTP status; a body that is no envelope by its status.
func TestErrorResponses(t *testing.T) {
	for _, tc := range []struct {
		e    setest.APIError
		want string
	}{
		{setest.APIError{Status: 400, ID: 502, Name: "throttle_violation", Message: "too many requests from this IP, more requests available in 73 seconds"},
			"stack exchange: throttle_violation (502): too many requests from this IP, more requests available in 73 seconds"},
		{setest.APIError{Status: 503, ID: 503, Name: "temporarily_unavailable", Message: "the method is unavailable"},
			"stack exchange: temporarily_unavailable (503): the method is unavailable"},
		{setest.APIError{Status: 400, ID: 403, Name: "access_denied", Message: "bad \x1b[31mkey"},
			"stack exchange: access_denied (403): bad [31mkey"},
	} {
		f := &setest.Fake{User: 4211, Errors: []setest.APIError{tc.e}}
		r := setup(t, f, &clock{t: now}, nil)
		b, err := r.pass()
		if err == nil || err.Error() != tc.want {
			t.Errorf("err = %v\nwant %s", err, tc.want)
		}
		if len(b.Observations) != 0 || b.Data != nil {
			t.Errorf("batch %+v", b)
		}
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "<html>bad gateway</html>", http.StatusBadGateway)
	}))
	defer srv.Close()
	s, err := New(Config{Name: "so", User: "1", BaseURL: srv.URL + "/2.3", Key: "sekritkey123"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Harvest(context.Background(), harvester.SourceState{})
	if err == nil || !strings.Contains(err.Error(), "502 Bad Gateway") || strings.Contains(err.Error(), "sekritkey123") {
		t.Errorf("err = %v", err)
	}
}

// TestNoAnswers: a user without answers is no error: nothing kept.
func TestNoAnswers(t *testing.T) {
	for _, group := range []string{GroupAnswer, GroupMonth} {
		r := setup(t, &setest.Fake{User: 4211}, &clock{t: now}, func(c *Config) { c.Group = group })
		b, err := r.pass()
		if err != nil || len(b.Observations) != 0 || b.Data == nil {
			t.Errorf("%s: batch %+v, err %v", group, b, err)
		}
	}
}

// TestDeletedAnswer: an answer gone from the API stays in the store in
// answer mode; in month mode its month is counted as the API has it now.
func TestDeletedAnswer(t *testing.T) {
	c := &clock{t: now}
	as := answers(3, now.Add(-time.Hour), 1, 1000, 3) // all on 22 November
	f := &setest.Fake{User: 4211, Answers: as, Questions: questions(3)}
	ra := setup(t, f, c, nil)
	rm := setup(t, f, c, func(c *Config) { c.Group = GroupMonth; c.Name = "som" })
	for _, r := range []*runner{ra, rm} {
		if _, err := r.pass(); err != nil {
			t.Fatal(err)
		}
	}
	if got := rm.obs["2026-11"]; got.Quantity != 3 {
		t.Fatalf("month before: %+v", got)
	}
	f.Do(func(f *setest.Fake) { f.Answers = f.Answers[1:] })
	for _, r := range []*runner{ra, rm} {
		if _, err := r.pass(); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok := ra.obs["1000"]; !ok || len(ra.obs) != 3 {
		t.Errorf("answer mode: %d observations; the deleted one must stay", len(ra.obs))
	}
	if got := rm.obs["2026-11"]; got.Quantity != 2 || got.Title != "2 answers on Stack Overflow, 0 accepted" || len(got.OtherURLs) != 2 {
		t.Errorf("month after: %+v", got)
	}
}

// TestMonthsAcrossZones: an answer at 23:30 UTC on 31 March is April's in
// Amsterdam and March's in UTC; months are counted whole, dated on their
// first day (or since), titled with the site's name.
func TestMonthsAcrossZones(t *testing.T) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Skip(err)
	}
	late := time.Date(2026, 3, 31, 23, 30, 0, 0, time.UTC)
	f := &setest.Fake{Site: "superuser", User: 4211, Questions: questions(3), Answers: []setest.Answer{
		{ID: 1, QuestionID: 1, Score: 5, Accepted: true, Created: late},
		{ID: 2, QuestionID: 2, Score: 1, Created: time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)},
		{ID: 3, QuestionID: 2, Score: 2, Accepted: true, Created: time.Date(2026, 3, 11, 12, 0, 0, 0, time.UTC)},
		{ID: 4, QuestionID: 3, Score: -1, Created: time.Date(2026, 4, 2, 12, 0, 0, 0, time.UTC)},
		{ID: 5, QuestionID: 3, Score: 1, Created: time.Date(2025, 11, 25, 12, 0, 0, 0, time.UTC)}, // before since's month end
	}}
	for _, tc := range []struct {
		loc              *time.Location
		march, april     int
		marchAccepted    int64
		marchViews       int64
		marchURLs, first int
	}{
		{ams, 2, 2, 1, 200, 2, 1},
		{time.UTC, 3, 1, 2, 300, 3, 2},
	} {
		r := setup(t, f, &clock{t: now}, func(c *Config) {
			c.Group, c.Site, c.Location = GroupMonth, "superuser", tc.loc
			c.Since = time.Date(2025, 11, 22, 0, 0, 0, 0, tc.loc)
		})
		if _, err := r.pass(); err != nil {
			t.Fatal(err)
		}
		m, a := r.obs["2026-03"], r.obs["2026-04"]
		if m.Quantity != tc.march || a.Quantity != tc.april || m.Metrics["accepted"] != tc.marchAccepted || m.Metrics["views"] != tc.marchViews {
			t.Errorf("%s: March %+v\nApril %+v", tc.loc, m, a)
		}
		if !m.Date.Equal(time.Date(2026, 3, 1, 0, 0, 0, 0, tc.loc)) || m.URL != "https://superuser.com/users/4211?tab=answers" ||
			len(m.OtherURLs) != tc.marchURLs || m.OtherURLs[0] != "https://superuser.com/a/2" {
			t.Errorf("%s: March %+v", tc.loc, m)
		}
		want := fmt.Sprintf("%d answers on Super User, %d accepted", tc.march, tc.marchAccepted)
		if m.Title != want {
			t.Errorf("%s: title %q, want %q", tc.loc, m.Title, want)
		}
		// November is cut by since (the 22nd): dated on since, not the 1st.
		if nov := r.obs["2025-11"]; nov.Quantity != 1 || !nov.Date.Equal(time.Date(2025, 11, 22, 0, 0, 0, 0, tc.loc)) || nov.Title != "1 answer on Super User, 0 accepted" {
			t.Errorf("%s: November %+v", tc.loc, nov)
		}
	}
}

// TestRepeatPassRebuildsMonths: a repeat pass asks only from the first
// day of the month 30 days back, and counts each month it touches whole;
// older months are left as stored.
func TestRepeatPassRebuildsMonths(t *testing.T) {
	c := &clock{t: now}
	f := &setest.Fake{User: 4211, Answers: answers(60, now.Add(-time.Hour), 24*5, 1000, 10), Questions: questions(10)}
	r := setup(t, f, c, func(c *Config) { c.Group = GroupMonth })
	if _, err := r.pass(); err != nil {
		t.Fatal(err)
	}
	before := len(r.obs)
	if before < 9 {
		t.Fatalf("%d months", before)
	}
	oct := r.obs["2026-10"]
	f.Do(func(f *setest.Fake) {
		f.Requests = nil
		f.Answers = append(f.Answers, setest.Answer{ID: 9000, QuestionID: 1, Accepted: true, Created: now.Add(-time.Minute)},
			setest.Answer{ID: 9001, QuestionID: 2, Created: time.Date(2026, 10, 25, 10, 0, 0, 0, time.UTC)})
	})
	b, err := r.pass()
	if err != nil {
		t.Fatal(err)
	}
	got := requests(f, "answers")
	if len(got) != 1 || got[0].Get("fromdate") != fmt.Sprint(time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC).Unix()) {
		t.Errorf("repeat pass asked %v, want fromdate = 1 October", got)
	}
	var ids []string
	for _, o := range b.Observations {
		ids = append(ids, o.NativeID)
	}
	if !slices.Equal(ids, []string{"2026-10", "2026-11"}) {
		t.Errorf("repeat pass rebuilt %v, want October and November", ids)
	}
	if r.obs["2026-10"].Quantity != oct.Quantity+1 {
		t.Errorf("October %d, was %d: the new answer of 25 October must count", r.obs["2026-10"].Quantity, oct.Quantity)
	}
	if len(r.obs) != before {
		t.Errorf("%d months, was %d", len(r.obs), before)
	}
}

// TestRefreshIsBounded: a repeat pass reads all new answers but at most
// three pages of answers it has seen.
func TestRefreshIsBounded(t *testing.T) {
	c := &clock{t: now}
	f := &setest.Fake{User: 4211, Answers: answers(700, now.Add(-time.Hour), 1, 1000, 10), Questions: questions(10)}
	r := setup(t, f, c, nil)
	if _, err := r.pass(); err != nil {
		t.Fatal(err)
	}
	f.Do(func(f *setest.Fake) {
		f.Requests = nil
		f.Answers = append(f.Answers, answers(150, now.Add(-time.Minute), 0, 9000, 10)...)
	})
	if _, err := r.pass(); err != nil {
		t.Fatal(err)
	}
	if n := len(requests(f, "answers")); n != 5 {
		t.Errorf("%d answer pages, want 2 of new answers and 3 of refresh", n)
	}
	if _, ok := r.obs["9149"]; !ok || r.state.Data[keyNewest] != fmt.Sprint(now.Add(-time.Minute).Unix()) {
		t.Errorf("new answers not read, Data %v", r.state.Data)
	}
}

// TestUserAndKey: a user that is no number says where to find it; the key
// is sent, never shown, and never sent over plain http to another host.
func TestUserAndKey(t *testing.T) {
	for _, u := range []string{"priya", "-3", "0", "12x", ""} {
		_, err := New(Config{User: u})
		if err == nil || !strings.Contains(err.Error(), "https://stackoverflow.com/users/ID/") {
			t.Errorf("user %q: %v", u, err)
		}
	}
	if _, err := New(Config{User: "1", Group: "week"}); err == nil || !strings.Contains(err.Error(), "group") {
		t.Errorf("group week: %v", err)
	}
	f := &setest.Fake{User: 4211, Key: "k3y-from-env((", Answers: answers(2, now, 1, 1, 1), Questions: questions(1)}
	r := setup(t, f, &clock{t: now}, func(c *Config) { c.Key = "k3y-from-env((" })
	if _, err := r.pass(); err != nil {
		t.Fatal(err)
	}
	s, _ := New(Config{User: "1", Key: "k3y-from-env((", BaseURL: "http://api.example.com/2.3"})
	_, err := s.Harvest(context.Background(), harvester.SourceState{})
	if err == nil || !strings.Contains(err.Error(), "refusing to send credentials over plain http:// to api.example.com") || strings.Contains(err.Error(), "k3y") {
		t.Errorf("err = %v", err)
	}
}

// TestHostile: strings where numbers belong, numbers past int64, negative
// views, has_more forever: a clear error, never a panic.
func TestHostile(t *testing.T) {
	for _, tc := range []struct{ name, answers, questions, want string }{
		{"string score", `{"items":[{"answer_id":1,"question_id":1,"score":"12","creation_date":1763800000}],"has_more":false}`, "",
			"answers, page 1: items: json: cannot unmarshal string"},
		{"2^63 date", `{"items":[{"answer_id":1,"question_id":1,"score":1,"creation_date":9223372036854775808}],"has_more":false}`, "",
			"answers, page 1: items: json: cannot unmarshal number 9223372036854775808"},
		{"negative views", `{"items":[{"answer_id":1,"question_id":7,"score":1,"creation_date":1763800000}],"has_more":false}`,
			`{"items":[{"question_id":7,"title":"t","view_count":-5}],"has_more":false}`, "question 7: view_count -5 is not a count"},
		{"has_more forever", `{"items":[],"has_more":true}`, "", "answers, page 1: empty, yet has_more"},
		{"not json", `<html>`, "", "not the API's JSON"},
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.Contains(r.URL.Path, "/questions/") {
				fmt.Fprint(w, tc.questions)
				return
			}
			fmt.Fprint(w, tc.answers)
		}))
		s, err := New(Config{Name: "so", User: "1", BaseURL: srv.URL, Group: GroupMonth})
		if err != nil {
			t.Fatal(err)
		}
		b, err := s.Harvest(context.Background(), harvester.SourceState{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v\nwant %q", tc.name, err, tc.want)
		}
		if b != nil && len(b.Observations) != 0 {
			t.Errorf("%s: %d observations", tc.name, len(b.Observations))
		}
		srv.Close()
	}
}

// TestAnswerFieldsOfAFilter: an answer that comes with its own title and
// link (a filter that asks for them) keeps them; an answer without an id
// or with an impossible date is dropped and counted.
func TestAnswerFieldsOfAFilter(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "/questions/") {
			fmt.Fprint(w, `{"items":[{"question_id":7,"title":"from the question","view_count":12}],"has_more":false,"quota_max":300,"quota_remaining":290}`)
			return
		}
		fmt.Fprint(w, `{"items":[
			{"answer_id":1,"question_id":7,"score":1,"creation_date":1763800000,"title":"Why &amp; how","link":"https://stackoverflow.com/questions/7/why/1#1"},
			{"answer_id":0,"question_id":7,"score":1,"creation_date":1763800000},
			{"answer_id":2,"question_id":7,"score":1,"creation_date":4611686018427387904},
			{"answer_id":1,"question_id":7,"score":1,"creation_date":1763800000}],"has_more":false,"quota_max":300,"quota_remaining":291}`)
	}))
	defer srv.Close()
	s, err := New(Config{Name: "so", User: "1", BaseURL: srv.URL, Group: GroupAnswer})
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Harvest(context.Background(), harvester.SourceState{})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Observations) != 1 || b.Observations[0].Title != "Why & how" || b.Observations[0].URL != "https://stackoverflow.com/questions/7/why/1#1" ||
		b.Observations[0].Metrics["views"] != 12 {
		t.Errorf("%+v", b.Observations)
	}
	if b.Dropped[harvester.DroppedNoID] != 1 || b.Dropped[droppedNoDate] != 1 || b.Dropped[harvester.DroppedRepeated] != 1 {
		t.Errorf("dropped %v", b.Dropped)
	}
}

// TestRefreshReadsFreshMonthsWhole: in month mode the bound on pages of
// answers seen before does not cut a month that has a new answer: 450
// answers this month already seen and one new one make the month 451.
func TestRefreshReadsFreshMonthsWhole(t *testing.T) {
	c := &clock{t: now}
	start := time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
	f := &setest.Fake{User: 4211, Answers: answers(450, start, 0, 1000, 10), Questions: questions(10)}
	f.Answers = append(f.Answers, answers(300, time.Date(2026, 10, 20, 0, 0, 0, 0, time.UTC), 0, 5000, 10)...)
	r := setup(t, f, c, func(c *Config) { c.Group = GroupMonth })
	if _, err := r.pass(); err != nil {
		t.Fatal(err)
	}
	f.Do(func(f *setest.Fake) {
		f.Requests = nil
		f.Answers = append(f.Answers, setest.Answer{ID: 9000, QuestionID: 1, Created: now.Add(-time.Minute)})
	})
	b, err := r.pass()
	if err != nil {
		t.Fatal(err)
	}
	if got := r.obs["2026-11"].Quantity; got != 451 {
		t.Errorf("November: %d answers, want 451", got)
	}
	// November read whole (5 pages, the fifth ending in October), then 2
	// more of October: 3 pages past November, October not whole, so it is
	// left as stored.
	if n := len(requests(f, "answers")); n != 7 || len(b.Observations) != 1 || r.obs["2026-10"].Quantity != 300 {
		t.Errorf("%d pages, %d rows, October %d", n, len(b.Observations), r.obs["2026-10"].Quantity)
	}
}
