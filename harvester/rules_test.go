package harvester

import (
	"reflect"
	"testing"
	"time"
)

// Modifiers for the rule tables.
func listing(o Observation) Observation { o.URLIsListing = true; return o }
func declares(o Observation, u string) Observation {
	o.CanonicalURL = u
	return o
}
func withFeed(o Observation, f string) Observation { o.FeedTitle = f; return o }
func withOthers(o Observation, u ...string) Observation {
	o.OtherURLs = u
	return o
}
func withPerson(o Observation, p string) Observation { o.Person = p; return o }
func withType(o Observation, typ string) Observation {
	o.ActivityType = typ
	return o
}
func allDay(o Observation) Observation {
	o.AllDay = true
	o.Date = time.Date(o.Date.Year(), o.Date.Month(), o.Date.Day(), 0, 0, 0, 0, time.UTC)
	return o
}
func undated(o Observation) Observation { o.Date = time.Time{}; return o }

func videoObs(src, id, title, url string, days int) Observation {
	return obsAt(src, id, TypeVideo, title, url, day0.AddDate(0, 0, days))
}

func podcastObs(src, id, title, url string, days int) Observation {
	return obsAt(src, id, TypePodcast, title, url, day0.AddDate(0, 0, days))
}

func prObs(id, title, url string) Observation {
	return obsAt("gh", id, TypeOpenSource, title, url, day0)
}

type ruleCase struct {
	name string
	obs  []Observation
	want []string // groups, as groupsOf renders them
}

func runRuleCases(t *testing.T, tests []ruleCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := groupsOf(BuildLog(tt.obs, nil, LogOptions{Location: time.UTC}))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("groups = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRuleSameURL(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"variants of one URL, titles and dates apart", []Observation{
			blogObs("blog", "1", "Hello", "http://www.example.com/hello/?utm_source=rss", 0),
			blogObs("feedly", "x", "Hi", "https://EXAMPLE.com:443/hello#top", 30)},
			[]string{"blog/1+feedly/x"}},
		{"Medium's ?source=rss", []Observation{
			blogObs("medium", "1", "A title", "https://medium.com/@p/a-1f2e?source=rss-8f3------2", 0),
			blogObs("file", "2", "Another title", "https://medium.com/@p/a-1f2e", 0)},
			[]string{"file/2+medium/1"}},
		{"across families: a session's recording is the video", []Observation{
			talkObs("sz", "1", "Zero Trust in Practice", "https://youtu.be/abc123", 0),
			videoObs("yt", "v", "Cloud Summit: Zero Trust (recording)", "https://www.youtube.com/watch?v=abc123", 5)},
			[]string{"sz/1+yt/v"}},
		{"not across persons", []Observation{
			blogObs("a", "1", "Co-written post", "https://example.com/post", 0),
			withPerson(blogObs("b", "2", "Co-written post", "https://example.com/post", 0), "Sam Lee")},
			[]string{"a/1", "b/2"}},
		{"not a listing URL", []Observation{
			listing(talkObs("cal", "1", "Talk one about things", "https://example.com/cal", 0)),
			talkObs("sz", "2", "Talk two about stuff", "https://example.com/cal", 0)},
			[]string{"cal/1", "sz/2"}},
		{"not a URL two items of one source share", []Observation{
			talkObs("sz", "1", "Talk one about things", "https://live.example/room-a", 0),
			talkObs("sz", "2", "Talk two about stuff", "https://live.example/room-a", 0),
			talkObs("cal", "3", "Talk three here now", "https://live.example/room-a", 0)},
			[]string{"cal/3", "sz/1", "sz/2"}},
		{"one source listing one post under two GUIDs", []Observation{
			blogObs("blog", "?p=12", "Zero Trust in Practice", "https://priya.dev/zt", 0),
			blogObs("blog", "https://priya.dev/zt", "Zero Trust in Practice", "https://priya.dev/zt/", 0)},
			[]string{"blog/?p=12+blog/https://priya.dev/zt"}},
		{"a monthly meetup series sharing the group page", []Observation{
			talkObs("cal", "jan", "Cloud Native User Group night", "https://meetup.example/cngroup", 0),
			talkObs("cal", "feb", "Cloud Native User Group night", "https://meetup.example/cngroup", 28)},
			[]string{"cal/feb", "cal/jan"}},
		{"not a home page", []Observation{
			blogObs("a", "1", "First post here", "https://priya.dev/", 0),
			blogObs("b", "2", "Second post there", "https://www.priya.dev", 40)},
			[]string{"a/1", "b/2"}},
		{"not an event page shared by talks on different days", []Observation{
			talkObs("cal", "1", "Zero Trust in Practice", "https://cloudsummit.example/2025", 0),
			talkObs("file", "2", "Workshop: Bicep from zero", "https://cloudsummit.example/2025", 1)},
			[]string{"cal/1", "file/2"}},
		{"one event page, one day: the same talk", []Observation{
			talkObs("cal", "1", "Speaking at Cloud Summit", "https://cloudsummit.example/2025/s/42", 0),
			talkObs("meetup", "2", "Zero Trust in Practice", "https://cloudsummit.example/2025/s/42", 0)},
			[]string{"cal/1+meetup/2"}},
	})
}

func TestRuleOtherURLs(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"one episode in two podcast feeds shares its audio", []Observation{
			withOthers(podcastObs("show", "e12", "Ep. 12: Priya on zero trust", "https://show.example/12", 0), "https://cdn.example/e12.mp3"),
			withOthers(podcastObs("guest", "x", "Guesting on The Show", "https://guest.example/show-12", 1), "https://cdn.example/e12.mp3")},
			[]string{"guest/x+show/e12"}},
		{"another item's own URL in the same family", []Observation{
			withOthers(videoObs("file", "1", "Livestream: Bicep", "https://priya.dev/live", 0), "https://youtu.be/vid1"),
			videoObs("yt", "vid1", "Bicep modules live", "https://www.youtube.com/watch?v=vid1", 0)},
			[]string{"file/1+yt/vid1"}},
		{"not across families: a post linking its video", []Observation{
			withOthers(blogObs("blog", "1", "Bicep modules, written up", "https://priya.dev/bicep", 0), "https://youtu.be/vid1"),
			videoObs("yt", "vid1", "Bicep modules live", "https://www.youtube.com/watch?v=vid1", 0)},
			[]string{"blog/1", "yt/vid1"}},
		{"not a page every item of a source links (a channel)", []Observation{
			withOthers(videoObs("yt", "1", "First video here", "https://youtube.com/watch?v=1", 0), "https://youtube.com/@priya"),
			withOthers(videoObs("yt", "2", "Second video there", "https://youtube.com/watch?v=2", 20), "https://youtube.com/@priya"),
			withOthers(videoObs("file", "3", "Third video somewhere", "https://priya.dev/v3", 40), "https://youtube.com/@priya")},
			[]string{"file/3", "yt/1", "yt/2"}},
	})
}

func TestRuleDeclaredCanonical(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"a cross-post names the original", []Observation{
			blogObs("blog", "1", "Zero Trust", "https://priya.dev/zero-trust", 0),
			declares(blogObs("devto", "9", "Zero Trust (repost)", "https://dev.to/priya/zero-trust-1a2b", 40), "https://priya.dev/zero-trust/")},
			[]string{"blog/1+devto/9"}},
		{"two cross-posts of an original not harvested", []Observation{
			declares(blogObs("devto", "9", "A", "https://dev.to/p/a", 0), "https://priya.dev/a"),
			declares(blogObs("medium", "7", "B", "https://medium.com/@p/a", 3), "http://priya.dev/a?utm_medium=devto")},
			[]string{"devto/9+medium/7"}},
		{"not a canonical link every entry of a feed declares", []Observation{
			declares(blogObs("devto", "1", "First post here", "https://dev.to/p/1", 0), "https://priya.dev/blog"),
			declares(blogObs("devto", "2", "Second post there", "https://dev.to/p/2", 9), "https://priya.dev/blog"),
			blogObs("blog", "3", "The blog index", "https://priya.dev/blog", 0)},
			[]string{"blog/3", "devto/1", "devto/2"}},
		{"chains with other rules", []Observation{
			blogObs("blog", "1", "Zero Trust in Practice", "https://priya.dev/zt", 0),
			declares(blogObs("devto", "2", "Other words here", "https://dev.to/p/zt", 1), "https://priya.dev/zt"),
			blogObs("medium", "3", "Other words here", "https://medium.com/@p/zt", 2)},
			[]string{"blog/1+devto/2+medium/3"}},
	})
}

func TestRuleSameWork(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"same title within a week, feed suffix dropped", []Observation{
			withFeed(blogObs("blog", "1", "Zero Trust in Practice | Priya's Blog", "https://priya.dev/zt", 0), "Priya's Blog"),
			blogObs("hashnode", "2", "Zero-Trust in practice", "https://p.hashnode.dev/zt", 6)},
			[]string{"blog/1+hashnode/2"}},
		{"seven days apart", []Observation{
			blogObs("blog", "1", "Zero Trust in Practice", "https://priya.dev/zt", 0),
			blogObs("hashnode", "2", "Zero Trust in Practice", "https://p.hashnode.dev/zt", 7)},
			[]string{"blog/1+hashnode/2"}},
		{"eight days apart", []Observation{
			blogObs("blog", "1", "Zero Trust in Practice", "https://priya.dev/zt", 0),
			blogObs("hashnode", "2", "Zero Trust in Practice", "https://p.hashnode.dev/zt", 8)},
			[]string{"blog/1", "hashnode/2"}},
		{"Blog and Article are one family", []Observation{
			blogObs("blog", "1", "Zero Trust in Practice", "https://priya.dev/zt", 0),
			withType(blogObs("mag", "2", "Zero Trust in Practice", "https://mag.example/zt", 2), TypeArticle)},
			[]string{"blog/1+mag/2"}},
		{"video and podcast are one family", []Observation{
			videoObs("yt", "1", "Zero Trust in Practice with Priya", "https://youtube.com/watch?v=1", 0),
			podcastObs("pod", "2", "Zero trust in practice, with Priya", "https://pod.example/2", 1)},
			[]string{"pod/2+yt/1"}},
		{"the same talk listed twice on its day", []Observation{
			talkObs("cal", "1", "Zero Trust in Practice", "", 0),
			talkObs("sz", "2", "Zero Trust in Practice", "https://sessionize.com/s/2", 0)},
			[]string{"cal/1+sz/2"}},
		{"all-day dates compare by day", []Observation{
			allDay(blogObs("file", "1", "Zero Trust in Practice", "", 7)),
			blogObs("blog", "2", "Zero Trust in Practice", "https://priya.dev/zt", 0)},
			[]string{"blog/2+file/1"}},
		{"chains across a month of weekly re-posts", []Observation{
			blogObs("a", "1", "Zero Trust in Practice", "https://a.example/1", 0),
			blogObs("b", "2", "Zero Trust in Practice", "https://b.example/2", 6),
			blogObs("c", "3", "Zero Trust in Practice", "https://c.example/3", 12)},
			[]string{"a/1+b/2+c/3"}},
	})
}

func TestRuleSameTalkInTwoListings(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"one title contains the other", []Observation{
			talkObs("cal", "1", "Cloud Summit 2025: Zero Trust in Practice", "https://cloudsummit.example", 0),
			talkObs("sz", "2", "Zero Trust in Practice", "https://sessionize.com/s/2", 0)},
			[]string{"cal/1+sz/2"}},
		{"own calendar, group calendar and Sessionize", []Observation{
			listing(talkObs("mycal", "1", "Talk: Zero Trust in Practice (Cloud Native NL)", "https://priya.dev/cal.ics", 0)),
			listing(talkObs("meetup", "2", "Cloud Native NL March: Zero Trust in Practice", "https://meetup.com/cnnl/events/ical", 0)),
			listing(talkObs("sz", "3", "Zero Trust in Practice", "https://sessionize.com/api/v2/x/view/All", 0))},
			[]string{"meetup/2+mycal/1+sz/3"}},
		{"panel of a Microsoft event and a user-group listing", []Observation{
			withType(talkObs("ms", "1", "Panel: the future of identity security", "https://events.example/p", 0), TypeMicrosoft),
			withType(talkObs("ug", "2", "The future of identity security", "https://ug.example/e", 0), TypeUserGroup)},
			[]string{"ms/1+ug/2"}},
	})
}

func TestNotOneContribution(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"the same talk at two events on two dates", []Observation{
			talkObs("meetup", "1", "Zero Trust in Practice", "https://meetup.com/a/events/1", 0),
			talkObs("sz", "2", "Zero Trust in Practice", "https://sessionize.com/s/2", 3)},
			[]string{"meetup/1", "sz/2"}},
		{"the same talk months apart", []Observation{
			talkObs("cal", "1", "Zero Trust in Practice", "https://a.example/e1", 0),
			talkObs("sz", "2", "Zero Trust in Practice", "https://b.example/e2", 60)},
			[]string{"cal/1", "sz/2"}},
		{"a contained title on another day", []Observation{
			talkObs("cal", "1", "Cloud Summit 2025: Zero Trust in Practice", "https://cloudsummit.example", 0),
			talkObs("sz", "2", "Zero Trust in Practice", "https://sessionize.com/s/2", 1)},
			[]string{"cal/1", "sz/2"}},
		{"a contained title of two words", []Observation{
			talkObs("cal", "1", "Cloud Summit: Zero Trust", "https://cloudsummit.example", 0),
			talkObs("sz", "2", "Zero Trust", "https://sessionize.com/s/2", 0)},
			[]string{"cal/1", "sz/2"}},
		{"a contained title inside a word", []Observation{
			talkObs("cal", "1", "Nonzero trust in practices", "https://cloudsummit.example", 0),
			talkObs("sz", "2", "zero trust in practice", "https://sessionize.com/s/2", 0)},
			[]string{"cal/1", "sz/2"}},
		{"two sessions of one calendar on one day", []Observation{
			talkObs("cal", "1", "Workshop: Zero Trust in Practice", "", 0),
			talkObs("cal", "2", "Zero Trust in Practice", "", 0)},
			[]string{"cal/1", "cal/2"}},
		{"a contained title outside speaking", []Observation{
			blogObs("blog", "1", "Cloud Summit recap: Zero Trust in Practice", "https://priya.dev/recap", 0),
			blogObs("devto", "2", "Zero Trust in Practice", "https://dev.to/p/zt", 0)},
			[]string{"blog/1", "devto/2"}},
		{"two posts with one title months apart", []Observation{
			blogObs("blog", "1", "Zero Trust in Practice", "https://priya.dev/zt", 0),
			blogObs("hashnode", "2", "Zero Trust in Practice", "https://p.hashnode.dev/zt", 90)},
			[]string{"blog/1", "hashnode/2"}},
		{"a pull request and the issue it fixes", []Observation{
			prObs("issue", "Crash on empty config file", "https://github.com/a/b/issues/1"),
			prObs("pr", "Crash on empty config file", "https://github.com/a/b/pull/2")},
			[]string{"gh/issue", "gh/pr"}},
		{"one source's items with one title", []Observation{
			prObs("pr1", "Fix typo in the README file", "https://github.com/a/b/pull/1"),
			prObs("pr2", "Fix typo in the README file", "https://github.com/a/c/pull/2")},
			[]string{"gh/pr1", "gh/pr2"}},
		{"vague titles", []Observation{
			videoObs("yt", "1", "Episode 12", "https://youtube.com/watch?v=1", 0),
			podcastObs("pod", "2", "Episode 12", "https://pod.example/12", 0),
			talkObs("sz", "3", "Untitled session", "", 0),
			talkObs("cal", "4", "Untitled session", "", 0)},
			[]string{"cal/4", "pod/2", "sz/3", "yt/1"}},
		{"another family", []Observation{
			blogObs("a", "1", "Zero Trust in Practice", "https://a.example/1", 0),
			talkObs("b", "2", "Zero Trust in Practice", "https://b.example/2", 0)},
			[]string{"a/1", "b/2"}},
		{"another person", []Observation{
			blogObs("a", "1", "Zero Trust in Practice", "https://a.example/1", 0),
			withPerson(blogObs("b", "2", "Zero Trust in Practice", "https://b.example/2", 0), "Sam Lee")},
			[]string{"a/1", "b/2"}},
		{"undated", []Observation{
			undated(blogObs("a", "1", "Zero Trust in Practice", "https://a.example/1", 0)),
			undated(blogObs("b", "2", "Zero Trust in Practice", "https://b.example/2", 0))},
			[]string{"a/1", "b/2"}},
	})
}

func TestRuleSeenAgain(t *testing.T) {
	old := blogObs("blog", "1", "Draft title", "https://priya.dev/zt", 0)
	newer := old
	newer.Title, newer.LastSeen = "Zero Trust in Practice", old.LastSeen.Add(time.Hour)
	for _, obs := range [][]Observation{{old, newer}, {newer, old}} {
		log := BuildLog(obs, nil, LogOptions{Location: time.UTC})
		if len(log) != 1 || len(log[0].Observations) != 1 || log[0].Title != newer.Title {
			t.Errorf("log = %+v, want one row titled %q", log, newer.Title)
		}
	}
}
