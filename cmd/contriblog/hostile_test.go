package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

// hostileCase is one source that misbehaves, and the words its error must
// carry in the harvest's output and in `contriblog sources`.
type hostileCase struct {
	name string // source name
	yaml string // the source's config entry, after "  - name: NAME\n"
	want []string
}

// TestHostileSources runs one harvest over a good feed and a source for
// every way the internet goes wrong: the good feed's posts are stored,
// every hostile source fails with an error that says what went wrong, the
// pass exits 1, nothing panics and nothing in the export is invalid UTF-8.
//
// The slow cases (a server that drips a byte every 2 s, one that never
// answers) run into the fetch client's default timeouts, 30 s total and
// 15 s for headers: neither the config nor the environment offers a way
// to shorten them, so they are skipped with -short.
func TestHostileSources(t *testing.T) {
	dir := t.TempDir()
	good := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, goodFeed)
	})
	htmlURL := serve(t, body("text/html", htmlPage))
	cases := []hostileCase{
		{"endless", feedAt(serve(t, endlessBody)), []string{"too large", "16 MiB"}},
		{"huge", feedAt(serve(t, hugeFeed)), []string{"too large", "16 MiB"}},
		{"gzip-bomb", feedAt(serve(t, gzipBomb(t))), []string{"too large", "16 MiB"}},
		{"html", feedAt(htmlURL), []string{"HTML page", "try url: " + htmlURL + "/blog/feed.xml"}},
		{"malformed", feedAt(serve(t, body("application/rss+xml", malformedXML))), []string{"malformed RSS"}},
		{"bad-utf8", feedAt(serve(t, body("application/rss+xml", badUTF8Feed))), []string{"UTF-8"}},
		{"entity-bomb", feedAt(serve(t, body("application/rss+xml", entityBomb))), []string{"declares its own XML entities"}},
		{"empty", feedAt(serve(t, body("application/rss+xml", ""))), []string{"empty body"}},
		{"not-found", feedAt(serve(t, http.NotFound)), []string{"404 Not Found"}},
		{"server-error", feedAt(serve(t, status(500, ""))), []string{"500 Internal Server Error"}},
		{"rate-limited", feedAt(serve(t, status(429, "120"))), []string{"429 Too Many Requests", "retry after 2m0s"}},
		{"redirect-loop", feedAt(serve(t, redirectLoop)), []string{"stopped after 5 redirects"}},
		{"json", feedAt(serve(t, body("application/json", `{"hello": "world", "items": 3}`))), []string{"JSON but not a JSON Feed"}},
		{"ics-truncated", "    type: ics\n    url: " + serve(t, body("text/calendar", truncatedICS)) + "/cal.ics\n",
			[]string{"truncated calendar", "ends inside an event"}},
		{"sessionize-truncated", "    type: sessionize\n    speaker: Test Person\n    url: " +
			serve(t, body("application/json", truncatedSessionize)) + "/view/All\n", []string{"truncated Sessionize JSON"}},
		{"refused", feedAt(closedPort(t)), []string{"connection refused"}},
		{"manual", "    type: file\n    path: ./manual.yaml\n", []string{"hand-kept file rejected", "manual.yaml"}},
	}
	dnsHost := strings.Repeat("x", 64) + ".invalid"
	if dnsFailureIsLocal(t, dnsHost) {
		// A first label longer than 63 bytes is no domain name: resolvers
		// refuse it without sending a query, so no network is touched.
		cases = append(cases, hostileCase{"dns", feedAt("http://" + dnsHost),
			[]string{"cannot resolve host", "no such host"}})
	}
	if !testing.Short() {
		cases = append(cases,
			hostileCase{"drip", feedAt(serve(t, drip)), []string{"timed out after 30s"}},
			hostileCase{"silent", feedAt(silentServer(t)), []string{"no answer from 127.0.0.1:", "within 15s"}},
		)
	}
	os.WriteFile(filepath.Join(dir, "manual.yaml"), []byte("- title: Mentoring\n  date: 2026-02-30\n  activity_type: Mentorship/Coaching\n- title: [unclosed\n"), 0o600)
	var cfg strings.Builder
	cfg.WriteString("person: Test Person\ndatabase: ./data/contriblog.db\nsince: 2020-01-01\ntimezone: UTC\nsources:\n")
	cfg.WriteString("  - name: good\n    type: feed\n    url: " + good + "/feed.xml\n")
	for _, c := range cases {
		cfg.WriteString("  - name: " + c.name + "\n" + c.yaml)
	}
	cfgPath := filepath.Join(dir, "contriblog.yaml")
	if err := os.WriteFile(cfgPath, []byte(cfg.String()), 0o600); err != nil {
		t.Fatal(err)
	}

	start := time.Now()
	code, out, stderr := run(t, nil, "-c", cfgPath, "harvest")
	t.Logf("harvest took %s", time.Since(start).Round(time.Millisecond))
	if code != 1 {
		t.Errorf("harvest exit %d, want 1 (some sources failed)", code)
	}
	noPanic(t, "harvest", out+stderr)
	if !regexp.MustCompile(`(?m)^good\s+3\s+0\s+0\s+3 of 3\s+ok$`).MatchString(out) {
		t.Errorf("the good feed's line is not 3 new, ok:\n%s", out)
	}
	for _, c := range cases {
		checkLine(t, "harvest", out, c)
	}

	code, srcOut, stderr := run(t, nil, "-c", cfgPath, "sources")
	if code != 0 {
		t.Errorf("sources exit %d\n%s", code, stderr)
	}
	noPanic(t, "sources", srcOut+stderr)
	for _, c := range cases {
		checkLine(t, "sources", srcOut, c)
	}

	for _, format := range []string{"csv", "json", "md"} {
		code, exp, stderr := run(t, nil, "-c", cfgPath, "export", "--format", format)
		if code != 0 {
			t.Fatalf("export %s exit %d\n%s", format, code, stderr)
		}
		if !utf8.ValidString(exp) {
			t.Errorf("export %s holds invalid UTF-8", format)
		}
		for _, title := range []string{"First good post", "Second good post", "Third good post"} {
			if !strings.Contains(exp, title) {
				t.Errorf("export %s lacks %q", format, title)
			}
		}
		if strings.Contains(exp, "lol") || strings.Contains(exp, "bad.example") {
			t.Errorf("export %s holds an item of a failed source", format)
		}
	}
	if t.Failed() {
		t.Logf("harvest output:\n%s\nsources:\n%s", out, srcOut)
	}
}

// checkLine finds the line that starts with c.name in out and checks that
// it carries every wanted word.
func checkLine(t *testing.T, what, out string, c hostileCase) {
	t.Helper()
	// harvest's table says "error (below)", and the error is the line
	// "NAME: …" under it; sources' table has it in its cell.
	line := strings.Join(regexp.MustCompile(`(?m)^`+regexp.QuoteMeta(c.name)+`(\s|: ).*(\n  .*)*`).FindAllString(out, -1), "\n")
	if line == "" {
		t.Errorf("%s: no line for %s", what, c.name)
		return
	}
	if !strings.Contains(line, "error") && what == "harvest" {
		t.Errorf("%s: %s did not fail: %s", what, c.name, line)
	}
	for _, w := range c.want {
		if !strings.Contains(line, w) {
			t.Errorf("%s: the line of %s lacks %q: %s", what, c.name, w, line)
		}
	}
}

func noPanic(t *testing.T, what, out string) {
	t.Helper()
	if strings.Contains(out, "panic") || strings.Contains(out, "goroutine ") {
		t.Errorf("%s output mentions a panic:\n%s", what, out)
	}
}

// serve starts an httptest server for h and returns its URL; it is closed
// (its connections first, so that hanging handlers return) when the test
// ends.
func serve(t *testing.T, h http.HandlerFunc) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		srv.CloseClientConnections()
		srv.Close()
	})
	return srv.URL
}

func feedAt(base string) string { return "    type: feed\n    url: " + base + "/feed.xml\n" }

func body(contentType, s string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		io.WriteString(w, s)
	}
}

func status(code int, retryAfter string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		w.WriteHeader(code)
	}
}

func redirectLoop(w http.ResponseWriter, r *http.Request) {
	next := "/a"
	if r.URL.Path == "/a" {
		next = "/b"
	}
	http.Redirect(w, r, next, http.StatusFound)
}

// endlessBody sends bytes until the client hangs up.
func endlessBody(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/rss+xml")
	io.WriteString(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Endless</title>`)
	chunk := bytes.Repeat([]byte("<!-- endless --> "), 4096)
	for {
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
}

// hugeFeed is a well-formed 64 MiB feed, generated as it is sent.
func hugeFeed(w http.ResponseWriter, r *http.Request) {
	const head = `<?xml version="1.0"?><rss version="2.0"><channel><title>Huge</title>`
	const item = `<item><title>Post</title><link>https://example.org/p</link><description>` +
		`Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.</description></item>` + "\n"
	const foot = `</channel></rss>`
	n := (64<<20 - len(head) - len(foot)) / len(item)
	w.Header().Set("Content-Type", "application/rss+xml")
	w.Header().Set("Content-Length", strconv.Itoa(len(head)+n*len(item)+len(foot)))
	io.WriteString(w, head)
	batch := strings.Repeat(item, 1000)
	for i := 0; i < n; i += 1000 {
		s := batch
		if n-i < 1000 {
			s = strings.Repeat(item, n-i)
		}
		if _, err := io.WriteString(w, s); err != nil {
			return
		}
	}
	io.WriteString(w, foot)
}

// gzipBomb serves 256 MiB of feed that gzip squeezes to a few hundred KiB.
func gzipBomb(t *testing.T) http.HandlerFunc {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	io.WriteString(zw, `<?xml version="1.0"?><rss version="2.0"><channel><title>`)
	zeros := make([]byte, 1<<20)
	for i := range zeros {
		zeros[i] = 'a'
	}
	for i := 0; i < 256; i++ {
		zw.Write(zeros)
	}
	zw.Close()
	t.Logf("gzip bomb: %d bytes inflating to 256 MiB", buf.Len())
	bomb := buf.Bytes()
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(bomb)
	}
}

// drip sends the headers, then a byte every 2 s, for ever.
func drip(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/rss+xml")
	w.WriteHeader(http.StatusOK)
	for _, c := range []byte(strings.Repeat("<rss version=\"2.0\">", 100)) {
		if _, err := w.Write([]byte{c}); err != nil {
			return
		}
		w.(http.Flusher).Flush()
		select {
		case <-time.After(2 * time.Second):
		case <-r.Context().Done():
			return
		}
	}
}

// silentServer accepts connections, reads the requests and never answers.
func silentServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			go io.Copy(io.Discard, c)
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return "http://" + ln.Addr().String()
}

// closedPort is the URL of a loopback port nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	return "http://" + freeAddr(t)
}

// dnsFailureIsLocal reports whether the DNS case can run without touching
// the network: not when a proxy is configured, which would be sent the
// request, and only when Go's resolver refuses host without a query.
func dnsFailureIsLocal(t *testing.T, host string) bool {
	for _, k := range []string{"HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"} {
		if os.Getenv(k) != "" {
			t.Logf("DNS case skipped: %s is set, the request would go to the proxy", k)
			return false
		}
	}
	queried := false
	r := &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, address string) (net.Conn, error) {
		queried = true
		return nil, errors.New("no DNS in this test")
	}}
	_, err := r.LookupHost(context.Background(), host)
	if queried || err == nil {
		t.Logf("DNS case skipped: the resolver would send a query for %s", host)
		return false
	}
	return true
}

const goodFeed = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Good blog</title><link>https://good.example/</link>
<item><title>First good post</title><link>https://good.example/1</link><guid>g1</guid><pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate><description>One</description></item>
<item><title>Second good post</title><link>https://good.example/2</link><guid>g2</guid><pubDate>Tue, 07 Apr 2026 10:00:00 GMT</pubDate><description>Two</description></item>
<item><title>Third good post</title><link>https://good.example/3</link><guid>g3</guid><pubDate>Wed, 06 May 2026 10:00:00 GMT</pubDate><description>Three</description></item>
</channel></rss>`

const htmlPage = `<!DOCTYPE html>
<html><head><title>My blog</title>
<link rel="stylesheet" href="/style.css">
<link rel="alternate" type="application/rss+xml" title="My blog" href="/blog/feed.xml">
</head><body><h1>My blog</h1></body></html>`

// malformedXML is beyond repair: gofeed's lenient parser salvages
// mismatched and unclosed tags, but not a stray "<<".
const malformedXML = `<?xml version="1.0"?>
<rss version="2.0"><channel><title>Broken</title>
<item><title>One</title><link>https://bad.example/1</link></item><<item>
</channel></rss>`

// badUTF8Feed declares UTF-8 and carries Latin-1 bytes and a lone
// continuation byte.
const badUTF8Feed = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>Caf\xe9</title>" +
	"<item><title>Na\xefve \x80 post</title><link>https://bad.example/utf8</link><guid>u1</guid><pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate></item>" +
	"</channel></rss>"

var entityBomb = func() string {
	var b strings.Builder
	b.WriteString("<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n<!ENTITY lol \"lol\">\n")
	prev := "lol"
	for i := 1; i <= 9; i++ {
		name := fmt.Sprintf("lol%d", i)
		b.WriteString("<!ENTITY " + name + " \"" + strings.Repeat("&"+prev+";", 10) + "\">\n")
		prev = name
	}
	b.WriteString("]>\n<rss version=\"2.0\"><channel><title>&lol9;</title><item><title>&lol9;</title><guid>b1</guid></item></channel></rss>")
	return b.String()
}()

const truncatedICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" +
	"BEGIN:VEVENT\r\nUID:one@test\r\nDTSTART:20260310T180000Z\r\nSUMMARY:Test Person on Bicep\r\nEND:VEVENT\r\n" +
	"BEGIN:VEVENT\r\nUID:two@test\r\nDTSTART:20260410T180000Z\r\nSUMMARY:Test Person on Ter"

const truncatedSessionize = `{"sessions":[{"id":"1","title":"Zero Trust","startsAt":"2026-03-10T10:00:00","speakers":["s1"]}],` +
	`"speakers":[{"id":"s1","fullName":"Test Person","sessions":[1]}],"rooms":[{"id":1,"na`
