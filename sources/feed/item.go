package feed

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	ext "github.com/mmcdole/gofeed/extensions"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/sources/fetch"
)

// plan is what mapping every item of one feed shares.
type plan struct {
	cfg   Config
	base  *url.URL
	title string
	match harvester.Matcher
	// authors of the feed, for items that name none
	authors []*gofeed.Person
}

func newPlan(cfg Config, f *gofeed.Feed) *plan {
	p := &plan{cfg: cfg, title: harvester.CleanText(f.Title), authors: f.Authors}
	// Not cfg.URL itself: links resolved against it would carry its
	// credentials (user:pass@, ?token=) into the store and the export.
	p.base, _ = url.Parse(fetch.Public(cfg.URL))
	if f.Link != "" && p.base != nil {
		if u, err := p.base.Parse(f.Link); err == nil {
			p.base = u
		}
	}
	p.match = harvester.NewMatcher(cfg.Match)
	return p
}

// toObservation maps one gofeed item; dropped says why the item is
// filtered out (harvester.DroppedMatch, DroppedSince), "" when it is kept.
func (p *plan) toObservation(it *gofeed.Item, canonical string) (o harvester.Observation, dropped string) {
	o = harvester.Observation{
		Source: p.cfg.Name, Person: p.cfg.Person, ActivityType: p.cfg.Activity,
		Title:     harvester.PlainText(it.Title),
		FeedTitle: p.title,
		URL:       p.abs(it.Link),
	}
	// PlainText already trims, so an empty result means no text at all.
	o.Description = harvester.PlainText(it.Description)
	if o.Description == "" {
		o.Description = harvester.PlainText(it.Content)
	}
	if o.Title == "" {
		o.Title = harvester.Truncate(o.Description, 100)
	}
	p.links(&o, it)
	if canonical != "" {
		if c := p.abs(canonical); c != o.URL {
			o.CanonicalURL = c
		}
	}
	switch {
	case it.PublishedParsed != nil:
		o.Date = it.PublishedParsed.UTC()
	case it.UpdatedParsed != nil:
		o.Date, o.DateFallback = it.UpdatedParsed.UTC(), "updated"
	default:
		o.DateFallback = "first_seen"
	}
	o.Authors = authors(it)
	if len(o.Authors) == 0 {
		o.Authors = authors(&gofeed.Item{Authors: p.authors})
	}
	for _, c := range it.Categories {
		if c = harvester.CleanText(c); c != "" {
			o.Categories = append(o.Categories, c)
		}
	}
	p.media(&o, it)
	o.NativeID = nativeID(it, o)
	switch {
	case !p.matches(o, it):
		return o, harvester.DroppedMatch
	case !p.cfg.Since.IsZero() && !o.Date.IsZero() && o.Date.Before(p.cfg.Since):
		return o, harvester.DroppedSince
	}
	return o, ""
}

// links fills OtherURLs with every other link of the item. Items have a
// few links, most of them the item's own link again: that one is not
// resolved twice, and the links seen are kept in a list, not a map.
func (p *plan) links(o *harvester.Observation, it *gofeed.Item) {
	resolve := func(raw string) string {
		if raw == it.Link {
			return o.URL // p.abs(it.Link), by toObservation
		}
		return p.abs(raw)
	}
	if o.URL == "" && len(it.Links) > 0 {
		o.URL = p.abs(it.Links[0])
	}
	own := o.URL
	add := func(raw string) {
		u := resolve(raw)
		if u != "" && u != own && !slices.Contains(o.OtherURLs, u) {
			o.OtherURLs = append(o.OtherURLs, u)
		}
	}
	for _, l := range it.Links {
		add(l)
	}
	for _, e := range it.Enclosures {
		if e != nil {
			add(e.URL)
		}
	}
}

// abs resolves a link against the feed; only http(s) URLs are kept.
func (p *plan) abs(raw string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	if p.base != nil {
		u = p.base.ResolveReference(u)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return ""
	}
	return u.String()
}

func authors(it *gofeed.Item) []string {
	var out []string
	add := func(s string) {
		if s = harvester.CleanText(s); s == "" {
			return
		}
		for _, o := range out { // an item names an author or two
			if strings.EqualFold(o, s) {
				return
			}
		}
		out = append(out, s)
	}
	for _, a := range it.Authors {
		if a != nil {
			add(a.Name)
		}
	}
	if it.ITunesExt != nil {
		add(it.ITunesExt.Author)
	}
	if it.DublinCoreExt != nil {
		for _, c := range it.DublinCoreExt.Creator {
			add(c)
		}
	}
	return out
}

// media reads YouTube's view counts and podcast durations.
func (p *plan) media(o *harvester.Observation, it *gofeed.Item) {
	if views := mediaViews(it.Extensions); views > 0 {
		o.Metrics = map[string]int64{"views": views}
	}
	if it.ITunesExt != nil && it.ITunesExt.Duration != "" {
		o.Meta = map[string]string{"duration": harvester.CleanText(it.ITunesExt.Duration)}
	}
	if o.Description == "" {
		if d := extText(it.Extensions, "media", "group", "description"); d != "" {
			o.Description = harvester.PlainText(d)
		}
	}
}

func mediaViews(e ext.Extensions) int64 {
	for _, g := range e["media"]["group"] {
		for _, c := range g.Children["community"] {
			for _, s := range c.Children["statistics"] {
				if n, err := strconv.ParseInt(s.Attrs["views"], 10, 64); err == nil && n >= 0 {
					return n
				}
			}
		}
	}
	return 0
}

func extText(e ext.Extensions, ns, group, child string) string {
	for _, g := range e[ns][group] {
		for _, c := range g.Children[child] {
			if c.Value != "" {
				return c.Value
			}
		}
	}
	return ""
}

// nativeID is the item's stable id: GUID, else its link, else a hash of
// title and date.
func nativeID(it *gofeed.Item, o harvester.Observation) string {
	if g := strings.TrimSpace(it.GUID); g != "" {
		return harvester.CleanText(g)
	}
	if o.URL != "" {
		return o.URL
	}
	date := ""
	if !o.Date.IsZero() {
		date = o.Date.Format(time.RFC3339)
	}
	sum := sha256.Sum256([]byte(o.Title + "\x00" + date))
	return "sha256:" + hex.EncodeToString(sum[:12])
}

func (p *plan) matches(o harvester.Observation, it *gofeed.Item) bool {
	if p.match.KeepsAll() {
		return true // without reducing the content (often the whole post) to text
	}
	return p.match.Match(append([]string{o.Title, o.Description, harvester.PlainText(it.Content)}, o.Authors...)...)
}
