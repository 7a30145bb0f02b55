package harvester

import (
	"sort"
	"strings"
)

// pickURLs returns a row's Activity URL and its other URLs.
//
// A listing (URLIsListing: a calendar's or a Sessionize endpoint's URL,
// stored by contriblog before issue 15) is neither: it is where the item
// was found, not where it lives, and may be a secret address. A row with
// no page of its own has an empty Activity URL (docs/deduplication.md#the-merged-row).
//
// The Activity URL is the real (non-listing, http or https) URL of the
// best-ranked member that has one (see ranked). When that URL is on a syndication host and a
// member declares a canonical link off those hosts (a dev.to cross-post
// naming the blog post, the blog itself not harvested), the declared link
// is the Activity URL: it is the person's own page.
//
// The other URLs are every other distinct link of the members (their own,
// declared, other and listing links), compared in canonical form but shown
// as the source spelled them (less tracking parameters), sorted. Every
// URL shown is cleaned by displayURL.
func pickURLs(order []int, items []item) (string, []string) {
	var main, mainKey string
	mainOwn := false
	for _, i := range order {
		if it := &items[i]; it.canon != "" {
			main, mainKey, mainOwn = displayURL(it.o.URL), it.urlKey, it.own
			break
		}
	}
	if !mainOwn {
		for _, i := range order {
			if it := &items[i]; it.decl != "" && !isRootURL(it.decl) && !isSyndicated(it.decl, it.family) {
				main, mainKey = displayURL(it.o.CanonicalURL), it.decl
				break
			}
		}
	}
	// A row has a few links: a list finds them sooner than a map.
	type link struct{ key, shown string }
	var seen []link
	add := func(u, k string) {
		u = displayURL(u)
		if u == "" || k == mainKey {
			return
		}
		for i := range seen {
			if seen[i].key == k {
				seen[i].shown = min(seen[i].shown, u)
				return
			}
		}
		seen = append(seen, link{k, u})
	}
	for _, i := range order {
		it := &items[i]
		if !it.o.URLIsListing {
			add(it.o.URL, it.urlKey)
		}
		add(it.o.CanonicalURL, firstNonEmpty(it.decl, strings.TrimSpace(it.o.CanonicalURL)))
		for _, u := range it.o.OtherURLs {
			add(u, urlKey(u))
		}
	}
	others := make([]string, 0, len(seen))
	for _, l := range seen {
		others = append(others, l.shown)
	}
	sort.Strings(others)
	return main, others
}

// urlKey is what makes two URLs the same link: the canonical form, or the
// trimmed text itself for a link without one (mailto:, a relative path).
func urlKey(u string) string {
	if c := CanonicalURL(u); c != "" {
		return c
	}
	return strings.TrimSpace(u)
}
