package fetch_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/contriblog/contriblog/sources/fetch"
)

const sendToken = "send-SECRET-token-9876"

// script is a server that answers each request with the next of its
// steps (the last one repeats), recording the bodies it got.
type script struct {
	mu     sync.Mutex
	steps  []step
	bodies []string
	auth   []string
}

type step struct {
	status     int
	retryAfter string
	body       string
	drop       bool // close the connection without answering
}

func (s *script) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.bodies = append(s.bodies, string(b))
	s.auth = append(s.auth, r.Header.Get("Authorization"))
	st := s.steps[min(len(s.bodies), len(s.steps))-1]
	s.mu.Unlock()
	if st.drop {
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close()
		return
	}
	if st.retryAfter != "" {
		w.Header().Set("Retry-After", st.retryAfter)
	}
	w.WriteHeader(st.status)
	io.WriteString(w, st.body)
}

func (s *script) sent() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.bodies...)
}

// sleeps records the waits of a Retry without waiting.
type sleeps struct {
	mu  sync.Mutex
	got []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.got = append(s.got, d)
	return ctx.Err()
}

var sendNow = time.Date(2026, 11, 5, 10, 0, 0, 0, time.UTC)

func newRetry(sl *sleeps, maxWait time.Duration) fetch.Retry {
	return fetch.Retry{MaxWait: maxWait, Sleep: sl.sleep, Now: func() time.Time { return sendNow }}
}

// authClient is the shared client with the token added for base's origin.
func authClient(base string) *http.Client {
	u, _ := url.Parse(base)
	hc := fetch.New(fetch.Options{}).HTTPClient()
	hc.Transport = fetch.WithCredentials(hc.Transport, u, http.Header{"Authorization": {"Bearer " + sendToken}})
	return hc
}

func builder(method, u, body string) func() (*http.Request, error) {
	return func() (*http.Request, error) {
		return http.NewRequest(method, u, strings.NewReader(body))
	}
}

// TestRetryDo: 429 and 5xx are retried with backoff or as Retry-After
// asks, the body sent again whole each time; other answers come back at
// once; past MaxWait, a *GiveUpError says after how long and what the
// last answer was.
func TestRetryDo(t *testing.T) {
	date := sendNow.Add(7 * time.Second).Format(http.TimeFormat)
	tests := []struct {
		name     string
		steps    []step
		maxWait  time.Duration
		status   int // the answer Do returns; 0: an error
		waits    []time.Duration
		giveUp   []string // words of the *GiveUpError
		attempts int
	}{
		{"ok at once", []step{{status: 200}}, 0, 200, nil, nil, 1},
		{"5xx then ok", []step{{status: 503}, {status: 502}, {status: 201}}, 0, 201,
			[]time.Duration{time.Second, 2 * time.Second}, nil, 3},
		{"429 seconds", []step{{status: 429, retryAfter: "5"}, {status: 200}}, 0, 200,
			[]time.Duration{5 * time.Second}, nil, 2},
		{"429 date", []step{{status: 429, retryAfter: date}, {status: 200}}, 0, 200,
			[]time.Duration{7 * time.Second}, nil, 2},
		{"429 shorter than backoff", []step{{status: 500}, {status: 500}, {status: 429, retryAfter: "1"}, {status: 200}}, 0, 200,
			[]time.Duration{time.Second, 2 * time.Second, 4 * time.Second}, nil, 4},
		{"refused: no retry", []step{{status: 422, body: `{"field":"title"}`}}, 0, 422, nil, nil, 1},
		{"not found: no retry", []step{{status: 404}}, 0, 404, nil, nil, 1},
		{"500 past max wait", []step{{status: 500}}, 10 * time.Second, 0,
			[]time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 3 * time.Second},
			[]string{"gave up after 5 attempts and 10s of waiting (max wait 10s)", "last answer 500 Internal Server Error"}, 5},
		{"Retry-After beyond max wait", []step{{status: 429, retryAfter: "600"}}, time.Minute, 0, nil,
			[]string{"gave up after 1 attempt and 0s of waiting (max wait 1m0s)", "last answer 429 Too Many Requests, which asked to wait 10m0s more"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &script{steps: tt.steps}
			srv := httptest.NewServer(s)
			defer srv.Close()
			sl := &sleeps{}
			resp, err := newRetry(sl, tt.maxWait).Do(context.Background(), authClient(srv.URL),
				builder(http.MethodPut, srv.URL+"/x", `{"title":"T"}`))
			if tt.status != 0 {
				if err != nil {
					t.Fatalf("Do: %v", err)
				}
				resp.Body.Close()
				if resp.StatusCode != tt.status {
					t.Errorf("status = %d, want %d", resp.StatusCode, tt.status)
				}
			} else {
				var gu *fetch.GiveUpError
				if !errors.As(err, &gu) {
					t.Fatalf("Do = %v, want a *GiveUpError", err)
				}
				for _, w := range tt.giveUp {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not say %q", err, w)
					}
				}
				if gu.Attempts != tt.attempts || gu.Method != "PUT" || !strings.HasSuffix(gu.URL, "/x") {
					t.Errorf("GiveUpError = %+v", gu)
				}
			}
			if got := s.sent(); len(got) != tt.attempts || strings.Count(strings.Join(got, ""), `{"title":"T"}`) != tt.attempts {
				t.Errorf("server got %q, want the body %d times", got, tt.attempts)
			}
			if !equalDurations(sl.got, tt.waits) {
				t.Errorf("waits = %v, want %v", sl.got, tt.waits)
			}
			if err != nil && strings.Contains(err.Error(), sendToken) {
				t.Errorf("error holds the token: %v", err)
			}
		})
	}
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestRetryLostAnswer: a connection closed after the request went out is
// retried for a PUT (sending it again does no harm) and not for a POST,
// whose error wraps ErrMaybeSent: the server may have acted on it.
func TestRetryLostAnswer(t *testing.T) {
	for _, tt := range []struct {
		method   string
		attempts int
		maybe    bool
	}{{http.MethodPut, 2, false}, {http.MethodPost, 1, true}} {
		t.Run(tt.method, func(t *testing.T) {
			s := &script{steps: []step{{drop: true}, {status: 200}}}
			srv := httptest.NewServer(s)
			defer srv.Close()
			sl := &sleeps{}
			resp, err := newRetry(sl, 0).Do(context.Background(), authClient(srv.URL), builder(tt.method, srv.URL, "{}"))
			if tt.maybe {
				if !errors.Is(err, fetch.ErrMaybeSent) || !strings.Contains(err.Error(), "POST "+srv.URL) {
					t.Fatalf("Do = %v, want ErrMaybeSent naming the request", err)
				}
				if strings.Contains(err.Error(), sendToken) {
					t.Errorf("error holds the token: %v", err)
				}
			} else if err != nil || resp.StatusCode != 200 {
				t.Fatalf("Do = %v, %v; want the retry's 200", resp, err)
			}
			if got := len(s.sent()); got != tt.attempts {
				t.Errorf("server got %d requests, want %d", got, tt.attempts)
			}
		})
	}
}

// TestRetryUnreachable: a POST that found nobody to connect to never
// left, so it is retried; past MaxWait the *GiveUpError holds the last
// failure.
func TestRetryUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Skip(err)
	}
	addr := l.Addr().String()
	l.Close()
	sl := &sleeps{}
	_, err = newRetry(sl, 3*time.Second).Do(context.Background(), authClient("http://"+addr), builder(http.MethodPost, "http://"+addr+"/d", "{}"))
	var gu *fetch.GiveUpError
	if !errors.As(err, &gu) || gu.Attempts != 3 || !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("Do = %v, want a *GiveUpError after 3 attempts wrapping ECONNREFUSED", err)
	}
	if !strings.Contains(err.Error(), "connection refused by "+addr) {
		t.Errorf("error %q does not say the connection was refused", err)
	}
}

// TestRetryPermanent: a refused secret, an error of build and a cancelled
// context stop Do at once.
func TestRetryPermanent(t *testing.T) {
	sl := &sleeps{}
	r := newRetry(sl, 0)
	hc := authClient("http://api.example.com")
	_, err := r.Do(context.Background(), hc, builder(http.MethodPut, "http://api.example.com/x", "{}"))
	var ie *fetch.InsecureError
	if !errors.As(err, &ie) || len(sl.got) != 0 {
		t.Errorf("token over plain http: Do = %v after %d waits, want an *InsecureError at once", err, len(sl.got))
	}
	boom := errors.New("boom")
	if _, err := r.Do(context.Background(), hc, func() (*http.Request, error) { return nil, boom }); !errors.Is(err, boom) {
		t.Errorf("build error: Do = %v", err)
	}
	srv := httptest.NewServer(&script{steps: []step{{status: 503}}})
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	r.Sleep = func(context.Context, time.Duration) error { cancel(); return ctx.Err() }
	if _, err := r.Do(ctx, authClient(srv.URL), builder(http.MethodPut, srv.URL, "{}")); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled while waiting: Do = %v", err)
	}
}

// TestRetryToken: the token goes to the API's origin on every attempt,
// and appears in no error and no log line, even when the server echoes
// it back.
func TestRetryToken(t *testing.T) {
	s := &script{steps: []step{{status: 500, body: "bad token " + sendToken}}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	var logs bytes.Buffer
	sl := &sleeps{}
	r := newRetry(sl, 5*time.Second)
	r.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	_, err := r.Do(context.Background(), authClient(srv.URL), builder(http.MethodPut, srv.URL+"/x?access_token="+sendToken, "{}"))
	if err == nil || strings.Contains(err.Error(), sendToken) || strings.Contains(logs.String(), sendToken) {
		t.Fatalf("the token leaked:\nerror: %v\nlogs: %s", err, logs.String())
	}
	for i, a := range s.auth {
		if a != "Bearer "+sendToken {
			t.Errorf("attempt %d: Authorization = %q", i+1, a)
		}
	}
}

// TestReadRefusal: the field and the message are found in the error
// bodies APIs give; secrets are cut out; 401 and 403 say the token was
// refused.
func TestReadRefusal(t *testing.T) {
	fields := []string{"type", "title", "description", "url", "date", "metrics.readers"}
	tests := []struct {
		name, ctype, body string
		status            int
		field, msg        string
	}{
		{"errors list", "application/json", `{"errors":[{"field":"title","message":"Title is required"}]}`, 422, "title", "Title is required"},
		{"message", "application/json", `{"message":"url must be an http(s) URL"}`, 400, "url", "url must be an http(s) URL"},
		{"error string", "application/json", `{"error":"Invalid date"}`, 400, "", "Invalid date"},
		{"error object", "application/json", `{"error":{"field":"date","message":"not RFC 3339"}}`, 400, "date", "not RFC 3339"},
		{"field at top", "application/json", `{"field":"type","message":"unknown type TALK"}`, 422, "type", "unknown type TALK"},
		{"errors by field", "application/json", `{"message":"Validation failed","errors":{"url":["is too long"]}}`, 422, "url", "is too long"},
		{"nest message list", "application/json", `{"statusCode":400,"message":["title must be longer than or equal to 3 characters"],"error":"Bad Request"}`, 400, "title", "title must be longer than or equal to 3 characters"},
		{"zod path", "application/json", `{"issues":[{"path":["metrics","readers"],"message":"Number must be greater than or equal to 1"}]}`, 400, "metrics.readers", "Number must be greater than or equal to 1"},
		{"json api pointer", "application/vnd.api+json", `{"errors":[{"source":{"pointer":"/data/attributes/description"},"detail":"too long"}]}`, 422, "description", "too long"},
		{"problem invalid-params", "application/problem+json", `{"title":"Bad","invalid-params":[{"name":"date","reason":"must be a date"}]}`, 400, "date", "must be a date"},
		{"error class name is no field", "application/json", `{"name":"ValidationError","message":"bad"}`, 400, "", "bad"},
		{"plain text", "text/plain", "quota exceeded\nsecond line", 400, "", "quota exceeded"},
		{"html", "text/html", "<html><body>Bad gateway</body></html>", 400, "", ""},
		{"echoed token", "application/json", `{"message":"token ` + sendToken + ` is not valid"}`, 401, "", "token *** is not valid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := &http.Response{StatusCode: tt.status, Header: http.Header{"Content-Type": {tt.ctype}},
				Body: io.NopCloser(strings.NewReader(tt.body))}
			e := fetch.ReadRefusal(resp, fields, sendToken)
			if e.Field != tt.field || e.Message != tt.msg || e.Status != tt.status {
				t.Errorf("ReadRefusal = %+v, want field %q message %q", e, tt.field, tt.msg)
			}
			if strings.Contains(e.Error(), sendToken) {
				t.Errorf("error holds the token: %v", e)
			}
			if tt.field != "" && !strings.Contains(e.Error(), "field "+tt.field) {
				t.Errorf("error %q does not name the field", e)
			}
			if got := strings.Contains(e.Error(), "the token was refused"); got != e.TokenRefused() || got != (tt.status == 401) {
				t.Errorf("status %d: error %q, TokenRefused %v", tt.status, e, e.TokenRefused())
			}
		})
	}
	long := &http.Response{StatusCode: 400, Body: io.NopCloser(strings.NewReader(`{"message":"` + strings.Repeat("é", 1000) + `"}`))}
	if e := fetch.ReadRefusal(long, nil); len([]rune(e.Message)) != 301 {
		t.Errorf("a long message is kept at %d characters", len([]rune(e.Message)))
	}
}

// TestRetryInterrupted: a POST stopped while the server had it may have
// been acted on: the error wraps both context.Canceled and ErrMaybeSent.
func TestRetryInterrupted(t *testing.T) {
	got := make(chan struct{})
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(got)
		<-release
	}))
	defer srv.Close()
	defer close(release)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-got; cancel() }()
	_, err := newRetry(&sleeps{}, 0).Do(ctx, authClient(srv.URL), builder(http.MethodPost, srv.URL, "{}"))
	if !errors.Is(err, context.Canceled) || !errors.Is(err, fetch.ErrMaybeSent) {
		t.Fatalf("Do = %v, want Canceled and ErrMaybeSent", err)
	}
}

// FuzzReadRefusal: whatever an API answers, reading its refusal does not
// panic, keeps the message short and one line, and cuts the secret out.
func FuzzReadRefusal(f *testing.F) {
	for _, seed := range []string{`{"errors":[{"field":"title","message":"x"}]}`, `{"message":["a","b"]}`,
		`{"errors":{"url":["bad"]}}`, `{"error":{"error":{"error":{}}}}`, `[[[[[[[[[["x"]]]]]]]]]]`, "plain\ntext", `{"path":[1,"a"]}`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		body = strings.ReplaceAll(body, "TOKEN", sendToken)
		resp := &http.Response{StatusCode: 400, Body: io.NopCloser(strings.NewReader(body))}
		e := fetch.ReadRefusal(resp, []string{"title", "url"}, sendToken)
		msg := e.Error()
		if strings.Contains(msg, sendToken) || strings.ContainsAny(msg, "\n\r") || len([]rune(e.Message)) > 301 {
			t.Errorf("ReadRefusal(%q) = %q", body, msg)
		}
	})
}
