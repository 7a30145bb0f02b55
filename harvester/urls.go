package harvester

import "strings"

// urlUse is one item's use of a URL: as its own link or declared canonical
// (primary), or as one of its other links (an enclosure, a recording).
type urlUse struct {
	item    int
	primary bool
}

// urlEdges joins items that name one URL (rules 1 and 2). The item's own
// URL and its declared canonical link identify it across every activity
// family: a dev.to cross-post declaring the blog post's URL is that post.
// Its other links (enclosures, recordings, alternates) identify it only
// within its family: a podcast episode listed by two feeds shares the
// audio file, while a talk's recording is not the talk's blog write-up.
//
// A URL is no identity at all when it names more than one item
// (namesOneItem): a home page, a page several items of one source share,
// an event page shared by talks on different days.
func urlEdges(items []item, es *edgeSet) {
	type personURL struct{ person, url string }
	uses := make(map[personURL][]urlUse, len(items))
	for i := range items {
		it := &items[i]
		for _, u := range it.primaryURLs() {
			k := personURL{it.person, u}
			uses[k] = append(uses[k], urlUse{i, true})
		}
		for _, u := range it.otherURLs() {
			k := personURL{it.person, u}
			uses[k] = append(uses[k], urlUse{i, false})
		}
	}
	for _, us := range uses {
		if len(us) < 2 || !namesOneItem(items, us) {
			continue
		}
		first := -1
		byFamily := map[string]int{}
		for _, u := range us {
			if u.primary {
				if first >= 0 {
					es.add(first, u.item)
				} else {
					first = u.item
				}
			}
			f := items[u.item].family
			if j, ok := byFamily[f]; ok {
				es.add(j, u.item)
			} else {
				byFamily[f] = u.item
			}
		}
	}
}

// primaryURLs are the canonical forms of the item's own URL (unless it is
// a listing) and of its declared canonical link.
func (it *item) primaryURLs() []string {
	a := it.canon != "" && !isRootURL(it.canon)
	b := it.decl != "" && it.decl != it.canon && !isRootURL(it.decl)
	switch {
	case a && b:
		return []string{it.canon, it.decl}
	case a:
		return []string{it.canon}
	case b:
		return []string{it.decl}
	}
	return nil
}

// otherURLs are the canonical forms of the item's other links that are
// not already among its primary URLs.
func (it *item) otherURLs() []string {
	var out []string
	for _, raw := range it.o.OtherURLs {
		u := CanonicalURL(raw)
		if u != "" && !isRootURL(u) && u != it.canon && u != it.decl && !contains(out, u) {
			out = append(out, u)
		}
	}
	return out
}

// namesOneItem says whether the items using one URL can be one
// contribution. Items of one source sharing the URL must be the same item
// listed twice (same title, same day: a feed that changed its GUIDs);
// otherwise the URL is a page the source's items share (a calendar, an
// event, a live stream, a channel) and identifies none of them. Talks on
// different days sharing a URL share an event or series page.
func namesOneItem(items []item, us []urlUse) bool {
	bySource := map[string]int{}
	talkDay := ""
	for _, u := range us {
		it := &items[u.item]
		if j, ok := bySource[it.o.Source]; ok && j != u.item {
			if o := &items[j]; o.title != it.title || o.day != it.day {
				return false
			}
		} else {
			bySource[it.o.Source] = u.item
		}
		if it.speaking && it.day != "" {
			if talkDay != "" && it.day != talkDay {
				return false
			}
			talkDay = it.day
		}
	}
	return true
}

// isRootURL reports whether a canonical URL is a site's home page, which
// names a site, not one item.
func isRootURL(canon string) bool {
	rest := strings.TrimPrefix(canon, "https://")
	return !strings.ContainsAny(rest, "/?")
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
