package github

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	gh "github.com/google/go-github/v60/github"

	"github.com/contriblog/contriblog/harvester"
)

// Roles this source sets (docs/log.md#activity-types: Contributor, Author for one's own
// repositories and releases).
const (
	roleAuthor      = "Author"
	roleContributor = "Contributor"
)

// Meta kinds.
const (
	metaPull    = "pull_request"
	metaIssue   = "issue"
	metaRelease = "release"
	metaRepo    = "repository"
)

// maxReleaseNotes bounds the release notes kept in a description and in
// the page cache.
const maxReleaseNotes = 600

// issueObservation maps one search result. Only what the user authored,
// created in the window, counts: a search (or a fake of it) may return
// anything. Whether it is a pull request is read from the item, not from
// the query that found it.
func (p *pass) issueObservation(it *gh.Issue) (harvester.Observation, bool) {
	if it == nil {
		return harvester.Observation{}, false
	}
	if !strings.EqualFold(it.GetUser().GetLogin(), p.s.cfg.User) {
		return p.drop(harvester.DroppedOtherPerson)
	}
	created := it.GetCreatedAt().Time
	id := nativeID(it.GetHTMLURL(), it.GetNodeID())
	if ok, why := p.counts(id, created); !ok {
		return p.drop(why)
	}
	owner, repo := repoOf(it.GetRepositoryURL(), it.GetHTMLURL())
	full := owner + "/" + repo
	o := p.observation(id, it.GetHTMLURL(), created)
	o.Title = it.GetTitle()
	o.Role = roleContributor
	if owner != "" && strings.EqualFold(owner, p.s.cfg.User) {
		o.Role = roleAuthor
	}
	o.Meta = map[string]string{"repository": full, "number": strconv.Itoa(it.GetNumber()), "state": it.GetState()}
	noun := "Issue"
	o.Meta["kind"] = metaIssue
	if it.IsPullRequest() {
		noun = "Pull request"
		o.Meta["kind"] = metaPull
		if m := it.GetPullRequestLinks().GetMergedAt(); !m.IsZero() {
			o.Meta["state"] = "merged"
			o.Meta["merged_at"] = m.UTC().Format(time.RFC3339)
		}
		if it.GetDraft() {
			o.Meta["draft"] = "true"
		}
	}
	if o.Title == "" {
		o.Title = fmt.Sprintf("%s #%d in %s", noun, it.GetNumber(), full)
	}
	o.Description = describeIssue(noun, it.GetNumber(), full, o.Meta)
	for _, l := range it.Labels {
		if n := l.GetName(); n != "" {
			o.Categories = append(o.Categories, n)
		}
	}
	o.Metrics = positive(map[string]int64{"comments": int64(it.GetComments()), "reactions": int64(it.GetReactions().GetTotalCount())})
	return o, true
}

// counts reports whether an item with native id and date t counts, and
// if not why (harvester.DroppedNoID, DroppedSince).
func (p *pass) counts(id string, t time.Time) (bool, string) {
	switch {
	case id == "":
		return false, harvester.DroppedNoID
	case !p.inWindow(t):
		return false, harvester.DroppedSince
	}
	return true, ""
}

// drop counts an item left out for reason (harvester.Batch.Dropped).
func (p *pass) drop(reason string) (harvester.Observation, bool) {
	if p.dropped == nil {
		p.dropped = map[string]int{}
	}
	p.dropped[reason]++
	return harvester.Observation{}, false
}

// describeIssue says what the item is, where, and how it stands.
func describeIssue(noun string, number int, repo string, meta map[string]string) string {
	where := "in"
	if noun == "Pull request" {
		where = "to"
	}
	s := fmt.Sprintf("%s #%d %s %s", noun, number, where, repo)
	switch {
	case meta["state"] == "merged":
		return s + ", merged " + meta["merged_at"][:10] + "."
	case meta["state"] == "closed" && noun == "Pull request":
		return s + ", closed without merging."
	case meta["state"] != "":
		return s + " (" + meta["state"] + ")."
	}
	return s + "."
}

// repoObservation maps a repository the user owns, if it counts: public,
// not a fork, created in the window.
func (p *pass) repoObservation(r *gh.Repository) (harvester.Observation, bool) {
	if r == nil {
		return harvester.Observation{}, false
	}
	if r.GetFork() || r.GetPrivate() || (r.GetVisibility() != "" && r.GetVisibility() != "public") {
		return p.drop(harvester.DroppedNotPublished)
	}
	if l := r.GetOwner().GetLogin(); l != "" && !strings.EqualFold(l, p.s.cfg.User) {
		return p.drop(harvester.DroppedOtherPerson)
	}
	created := r.GetCreatedAt().Time
	id := nativeID(r.GetHTMLURL(), r.GetNodeID())
	if ok, why := p.counts(id, created); !ok {
		return p.drop(why)
	}
	full := r.GetFullName()
	if full == "" {
		full = p.s.cfg.User + "/" + r.GetName()
	}
	o := p.observation(id, r.GetHTMLURL(), created)
	o.Role = roleAuthor
	o.Title = full
	if d := r.GetDescription(); d != "" {
		o.Title += ": " + d
	}
	desc := []string{strings.TrimSpace(r.GetDescription())}
	if l := r.GetLanguage(); l != "" {
		desc = append(desc, "Language: "+l+".")
		o.Categories = append(o.Categories, l)
	}
	if len(r.Topics) > 0 {
		desc = append(desc, "Topics: "+strings.Join(r.Topics, ", ")+".")
		o.Categories = append(o.Categories, r.Topics...)
	}
	o.Description = strings.TrimSpace(strings.Join(desc, " "))
	stars := int64(r.GetStargazersCount())
	o.Reach = stars
	o.Metrics = map[string]int64{"stars": stars}
	if f := r.GetForksCount(); f > 0 {
		o.Metrics["forks"] = int64(f)
	}
	o.Meta = map[string]string{"kind": metaRepo, "repository": full}
	if h := r.GetHomepage(); h != "" {
		o.Meta["homepage"] = h
	}
	return o, true
}

// releaseObservation maps a release of repository r, if it counts:
// published (not a draft), by the user, in the window.
func (p *pass) releaseObservation(r *gh.Repository, rel *gh.RepositoryRelease) (harvester.Observation, bool) {
	switch {
	case rel == nil:
		return harvester.Observation{}, false
	case rel.GetDraft():
		return p.drop(harvester.DroppedNotPublished)
	case !strings.EqualFold(rel.GetAuthor().GetLogin(), p.s.cfg.User):
		return p.drop(harvester.DroppedOtherPerson)
	}
	published := rel.GetPublishedAt().Time
	id := nativeID(rel.GetHTMLURL(), rel.GetNodeID())
	if ok, why := p.counts(id, published); !ok {
		return p.drop(why)
	}
	full := r.GetFullName()
	if full == "" {
		full = p.s.cfg.User + "/" + r.GetName()
	}
	tag, name := strings.TrimSpace(rel.GetTagName()), strings.TrimSpace(rel.GetName())
	o := p.observation(id, rel.GetHTMLURL(), published)
	o.Role = roleAuthor
	o.Title = releaseTitle(full, tag, name)
	o.Description = "Release " + firstNonEmpty(tag, name) + " of " + full + "."
	if rel.GetPrerelease() {
		o.Description = "Pre-release " + firstNonEmpty(tag, name) + " of " + full + "."
	}
	if notes := harvester.PlainText(rel.GetBody()); notes != "" {
		o.Description += " " + harvester.Truncate(notes, maxReleaseNotes)
	}
	o.Meta = map[string]string{"kind": metaRelease, "repository": full, "tag": tag}
	if rel.GetPrerelease() {
		o.Meta["prerelease"] = "true"
	}
	var downloads int64
	for _, a := range rel.Assets {
		downloads += int64(a.GetDownloadCount())
	}
	o.Metrics = positive(map[string]int64{"downloads": downloads})
	return o, true
}

// releaseTitle is "owner/repo v1.2: name", saying the tag once: a name
// that begins with the tag ("v1.2: Deployment Stacks", "v1.2 - …",
// "owner/repo v1.2 …") loses it, and a name that is only the tag adds
// nothing.
func releaseTitle(repo, tag, name string) string {
	if tag == "" {
		return strings.TrimSpace(repo + " " + name)
	}
	rest := name
	for _, prefix := range []string{repo + " " + tag, tag} {
		if len(rest) >= len(prefix) && strings.EqualFold(rest[:len(prefix)], prefix) {
			rest = rest[len(prefix):]
			break
		}
	}
	if rest != name && rest != "" && !strings.ContainsRune(" :-–—|/(", []rune(rest)[0]) {
		rest = name // "v1.20" is no "v1.2" followed by a name
	}
	rest = strings.TrimLeft(rest, " :-–—|/")
	if rest == "" {
		return repo + " " + tag
	}
	return repo + " " + tag + ": " + rest
}

// observation starts an observation with what every kind shares.
func (p *pass) observation(id, htmlURL string, date time.Time) harvester.Observation {
	return harvester.Observation{
		NativeID: id, Person: p.s.cfg.Person, ActivityType: p.s.cfg.Activity,
		URL: htmlURL, Date: date.UTC(), Authors: []string{p.s.cfg.User},
	}
}

// nativeID is an item's identity: its html_url, stable across endpoints,
// else its GraphQL node id.
func nativeID(htmlURL, nodeID string) string {
	if htmlURL != "" {
		return htmlURL
	}
	if nodeID != "" {
		return "node:" + nodeID
	}
	return ""
}

// repoOf reads owner and repository from an API repository URL
// (…/repos/OWNER/REPO, Enterprise prefixes included), else from an
// html_url (https://HOST/OWNER/REPO/…).
func repoOf(apiURL, htmlURL string) (owner, repo string) {
	if i := strings.LastIndex(apiURL, "/repos/"); i >= 0 {
		seg := strings.Split(apiURL[i+len("/repos/"):], "/")
		if len(seg) >= 2 && seg[0] != "" && seg[1] != "" {
			return seg[0], seg[1]
		}
	}
	if u, err := url.Parse(htmlURL); err == nil {
		seg := strings.Split(strings.Trim(u.Path, "/"), "/")
		if len(seg) >= 2 {
			return seg[0], seg[1]
		}
	}
	return "", ""
}

// positive drops zero counts; nil when nothing is left.
func positive(m map[string]int64) map[string]int64 {
	for k, v := range m {
		if v <= 0 {
			delete(m, k)
		}
	}
	if len(m) == 0 {
		return nil
	}
	return m
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// trimRepo keeps what the harvest reads of a repository, for the cache.
func trimRepo(r *gh.Repository) *gh.Repository {
	if r == nil {
		return nil
	}
	t := &gh.Repository{
		Name: r.Name, FullName: r.FullName, HTMLURL: r.HTMLURL, NodeID: r.NodeID, Description: r.Description,
		Fork: r.Fork, Private: r.Private, Visibility: r.Visibility, CreatedAt: r.CreatedAt,
		StargazersCount: r.StargazersCount, ForksCount: r.ForksCount, Language: r.Language,
		Topics: r.Topics, Homepage: r.Homepage,
	}
	if r.Owner != nil {
		t.Owner = &gh.User{Login: r.Owner.Login}
	}
	return t
}

// trimRelease keeps what the harvest reads of a release, for the cache.
func trimRelease(r *gh.RepositoryRelease) *gh.RepositoryRelease {
	if r == nil {
		return nil
	}
	t := &gh.RepositoryRelease{
		TagName: r.TagName, Name: r.Name, Draft: r.Draft, Prerelease: r.Prerelease,
		PublishedAt: r.PublishedAt, HTMLURL: r.HTMLURL, NodeID: r.NodeID,
	}
	if b := r.GetBody(); b != "" {
		b = harvester.Truncate(b, 2*maxReleaseNotes)
		t.Body = &b
	}
	if r.Author != nil {
		t.Author = &gh.User{Login: r.Author.Login}
	}
	for _, a := range r.Assets {
		if n := a.GetDownloadCount(); n > 0 {
			t.Assets = append(t.Assets, &gh.ReleaseAsset{DownloadCount: &n})
		}
	}
	return t
}
