package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// feedServer serves n generated RSS feeds of m items at /feed/I.xml, with
// ETag and Last-Modified so that a warm harvest is answered 304.
type feedServer struct {
	feeds   [][]byte
	etags   []string
	modTime time.Time
	hits    atomic.Int64
	notMod  atomic.Int64
}

func newFeedServer(n, m int, now time.Time) *feedServer {
	s := &feedServer{modTime: now.Add(-time.Hour).UTC().Truncate(time.Second)}
	for i := 0; i < n; i++ {
		b := genFeed(i, m, now)
		sum := sha256.Sum256(b)
		s.feeds = append(s.feeds, b)
		s.etags = append(s.etags, `"`+hex.EncodeToString(sum[:8])+`"`)
	}
	return s
}

func (s *feedServer) size() int {
	total := 0
	for _, f := range s.feeds {
		total += len(f)
	}
	return total
}

func (s *feedServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.hits.Add(1)
	name := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/feed/"), ".xml")
	i, err := strconv.Atoi(name)
	if err != nil || i < 0 || i >= len(s.feeds) {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("ETag", s.etags[i])
	w.Header().Set("Last-Modified", s.modTime.Format(http.TimeFormat))
	if r.Header.Get("If-None-Match") == s.etags[i] {
		s.notMod.Add(1)
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	w.Write(s.feeds[i])
}

// words make item text that looks like prose and does not compress to
// nothing.
var words = strings.Fields(`azure identity conditional access bicep terraform kubernetes
	cluster policy tenant governance landing zone module pipeline deployment secret vault
	network gateway firewall monitoring dashboard query kusto workbook function container
	registry image build release review pull request issue community meetup talk session`)

// genFeed is feed i: m items of 1.0-1.5 KB each, dated over the last 300 days.
func genFeed(i, m int, now time.Time) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Blog %d</title><link>https://blog%d.example.com/</link><description>Generated blog %d</description>
`, i, i, i)
	for j := 0; j < m; j++ {
		seed := i*7919 + j*104729
		fmt.Fprintf(&b, "<item><title>Post %d of blog %d: %s</title>\n", j, i, phrase(seed, 6))
		fmt.Fprintf(&b, "<link>https://blog%d.example.com/posts/%d/</link>\n<guid isPermaLink=\"false\">blog%d-post%d</guid>\n", i, j, i, j)
		fmt.Fprintf(&b, "<pubDate>%s</pubDate>\n<dc:creator>Author %d</dc:creator>\n", now.AddDate(0, 0, -(j*6)%300).Add(-time.Duration(i)*time.Minute).Format(time.RFC1123Z), i)
		fmt.Fprintf(&b, "<category>%s</category><category>%s</category>\n", words[seed%len(words)], words[(seed/3)%len(words)])
		first, second := description(seed)
		fmt.Fprintf(&b, "<description><![CDATA[<p>%s</p><p>%s</p>]]></description></item>\n", first, second)
	}
	b.WriteString("</channel></rss>\n")
	return []byte(b.String())
}

// description is an item's two paragraphs: 75 to 133 words, so that with
// its title, link, guid, date, author and categories an item is 1.0 to
// 1.5 KB and 1,000 feeds of 50 items are about 63 MB.
func description(seed int) (string, string) {
	return phrase(seed+1, 55+seed%40), phrase(seed+2, 20+seed%20)
}

func phrase(seed, n int) string {
	out := make([]string, n)
	for k := range out {
		seed = seed*1103515245 + 12345
		if seed < 0 {
			seed = -seed
		}
		out[k] = words[(seed>>8)%len(words)]
	}
	return strings.Join(out, " ")
}
