package harvester

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

var day0 = time.Date(2025, 3, 10, 18, 0, 0, 0, time.UTC)

func obsAt(src, id, typ, title, url string, at time.Time) Observation {
	return Observation{Source: src, NativeID: id, ActivityType: typ, Title: title, URL: url,
		Person: "Priya Raman", Date: at, FirstSeen: at, LastSeen: at}
}

func blogObs(src, id, title, url string, days int) Observation {
	return obsAt(src, id, TypeBlog, title, url, day0.AddDate(0, 0, days))
}

func talkObs(src, id, title, url string, days int) Observation {
	return obsAt(src, id, TypeThirdParty, title, url, day0.AddDate(0, 0, days))
}

// groupsOf renders a log as its clusters of "source/id", for comparison.
func groupsOf(log []Contribution) []string {
	var out []string
	for _, c := range log {
		var ids []string
		for _, r := range c.Observations {
			ids = append(ids, r.Source+"/"+r.NativeID)
		}
		out = append(out, strings.Join(ids, "+"))
	}
	sort.Strings(out)
	return out
}

// corpusObs is a log's worth of observations with duplicates of every
// kind, for order-independence tests and benchmarks.
func corpusObs(n int) []Observation {
	var obs []Observation
	for i := 0; len(obs) < n; i++ {
		d := i % 700
		title := fmt.Sprintf("Post number %d about cloud things", i)
		blog := blogObs("blog", fmt.Sprint(i), title, fmt.Sprintf("https://priya.dev/p/%d", i), d)
		blog.FirstSeen = day0.Add(time.Duration(i%13) * time.Hour)
		devto := blogObs("devto", fmt.Sprint(i), title+" | DEV", fmt.Sprintf("https://dev.to/p/%d", i), d+1)
		devto.CanonicalURL, devto.FeedTitle = blog.URL, "DEV"
		medium := blogObs("medium", fmt.Sprint(i), title, fmt.Sprintf("https://medium.com/@p/%d?source=rss-1", i), d+3)
		talk := talkObs("cal", fmt.Sprint(i), "Summit: Talk "+title, "https://cal.example/events", d)
		sz := talkObs("sz", fmt.Sprint(i), "Talk "+title, fmt.Sprintf("https://sessionize.com/s/%d", i), d)
		pr := obsAt("gh", fmt.Sprint(i), TypeOpenSource, "Fix typo in docs", fmt.Sprintf("https://github.com/a/b/pull/%d", i), day0)
		obs = append(obs, blog, devto, medium, talk, sz, pr)
	}
	return obs[:n]
}

func BenchmarkBuildLog50k(b *testing.B) {
	obs := corpusObs(50000)
	opts := LogOptions{Location: time.UTC, Areas: []Area{{"Azure", []string{"azure", "cloud"}}, {"Security", []string{"zero trust"}}}}
	b.ReportAllocs()
	for b.Loop() {
		BuildLog(obs, nil, opts)
	}
}

// feedObs is what a cold harvest of n/50 blogs of 50 posts each stores:
// no duplicates, every post its own row (the bench command's feeds).
func feedObs(n int) []Observation {
	obs := make([]Observation, 0, n)
	for i := 0; len(obs) < n; i++ {
		feed, post := i/50, i%50
		o := blogObs(fmt.Sprintf("feed-%d", feed), fmt.Sprintf("blog%d-post%d", feed, post),
			fmt.Sprintf("Post %d of blog %d: azure identity conditional access bicep", post, feed),
			fmt.Sprintf("https://blog%d.example.com/posts/%d/", feed, post), (post*6)%300)
		o.FeedTitle = fmt.Sprintf("Blog %d", feed)
		o.Authors = []string{fmt.Sprintf("Author %d", feed)}
		o.Categories = []string{"azure", "bicep"}
		o.FirstSeen, o.LastSeen = day0, day0
		obs = append(obs, o)
	}
	return obs
}

func BenchmarkBuildLogFeeds50k(b *testing.B) {
	obs := feedObs(50000)
	b.ReportAllocs()
	for b.Loop() {
		BuildLog(obs, nil, LogOptions{Location: time.UTC})
	}
}

func TestSortInParallel(t *testing.T) {
	for _, n := range []int{0, 1, 100, 4095, 4096, 50001} {
		s := make([]int, n)
		for i := range s {
			s[i] = (i * 7919) % 1013 // many equal values
		}
		want := slices.Clone(s)
		slices.Sort(want)
		if got := sortInParallel(s, func(a, b int) int { return a - b }); !slices.Equal(got, want) {
			t.Errorf("n=%d: not sorted", n)
		}
	}
}
