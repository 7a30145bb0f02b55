package feed

import (
	"strings"

	"github.com/mmcdole/gofeed"
	ext "github.com/mmcdole/gofeed/extensions"
	"github.com/mmcdole/gofeed/rss"
)

// plainAuthors lets gofeed's RSS translator skip the authors it would
// only copy. It finds an item's author by trying up to four regular
// expressions on the first author text the item has ("Name", "mail
// (Name)", "Name (mail)", "mail"), which cost more than the rest of the
// item's translation; text with no '@', '(' or ')' can only be a name,
// which the expressions give back unchanged. Such items are handed to the
// translator without their author fields; restore puts them back, on the
// RSS items and on the translated ones, with the author the translator
// would have found.
type plainAuthors struct {
	items []hiddenAuthor
}

// hiddenAuthor is one item's author fields as they were, and the author
// the translator would have found in them.
type hiddenAuthor struct {
	item   *rss.Item
	name   string
	author string // the item's own <author>
	dc     *ext.DublinCoreExtension
	itunes *ext.ITunesItemExtension
}

// hideAuthors hides the plain authors of f's items from the translator.
func hideAuthors(f *rss.Feed) *plainAuthors {
	h := &plainAuthors{items: make([]hiddenAuthor, len(f.Items))}
	for i, it := range f.Items {
		if it == nil {
			continue
		}
		text, ok := rssAuthorText(it)
		if !ok || strings.ContainsAny(text, "@()") {
			continue // the translator's own way
		}
		h.items[i] = hiddenAuthor{item: it, name: text, author: it.Author, dc: it.DublinCoreExt, itunes: it.ITunesExt}
		it.Author = ""
		if dc := it.DublinCoreExt; dc != nil && (dc.Author != nil || dc.Creator != nil) {
			c := *dc
			c.Author, c.Creator = nil, nil
			it.DublinCoreExt = &c
		}
		if itunes := it.ITunesExt; itunes != nil && itunes.Author != "" {
			c := *itunes
			c.Author = ""
			it.ITunesExt = &c
		}
	}
	return h
}

// restore undoes hideAuthors on the RSS items and gives the translated
// items (in the RSS items' order) their authors.
func (h *plainAuthors) restore(translated *gofeed.Feed) {
	for i, hid := range h.items {
		if hid.item == nil {
			continue
		}
		hid.item.Author, hid.item.DublinCoreExt, hid.item.ITunesExt = hid.author, hid.dc, hid.itunes
		if translated != nil && i < len(translated.Items) && translated.Items[i] != nil {
			t := translated.Items[i]
			t.DublinCoreExt, t.ITunesExt = hid.dc, hid.itunes
			t.Author = &gofeed.Person{Name: hid.name}
			t.Authors = []*gofeed.Person{t.Author}
		}
	}
}

// rssAuthorText is the text gofeed's translator reads an item's author
// from, in its order; ok is false when it reads none of these fields.
func rssAuthorText(it *rss.Item) (text string, ok bool) {
	dc, itunes := it.DublinCoreExt, it.ITunesExt
	switch {
	case it.Author != "":
		return it.Author, true
	case dc != nil && dc.Author != nil:
		return firstString(dc.Author), true
	case dc != nil && dc.Creator != nil:
		return firstString(dc.Creator), true
	case itunes != nil && itunes.Author != "":
		return itunes.Author, true
	}
	return "", false
}

func firstString(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}
