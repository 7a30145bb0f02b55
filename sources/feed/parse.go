package feed

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/atom"
	jsonfeed "github.com/mmcdole/gofeed/json"
	"github.com/mmcdole/gofeed/rss"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/sources/fetch"
)

// Parse turns a feed document into observations, with no network. It
// parses with gofeed's format-specific parser and translates with gofeed's
// default translator, so that what the translation drops (Atom link
// relations, RSS <source>, JSON Feed external_url) can still be read.
func Parse(data []byte, cfg Config) (feedTitle string, obs []harvester.Observation, err error) {
	feedTitle, obs, _, err = parse(data, cfg)
	return feedTitle, obs, err
}

// parse is Parse that also counts the items match and since dropped, by
// reason (harvester.Batch.Dropped).
func parse(data []byte, cfg Config) (feedTitle string, obs []harvester.Observation, dropped map[string]int, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("feed parser failed on this document: %v", p)
		}
	}()
	data = bytes.TrimLeft(data, "\ufeff \t\r\n")
	if len(data) == 0 {
		return "", nil, nil, errors.New("empty body: no feed")
	}
	f, canon, err := parseDoc(data, cfg.URL)
	if err != nil {
		return "", nil, nil, err
	}
	p := newPlan(cfg, f)
	dropped = map[string]int{}
	for i, it := range f.Items {
		if it == nil {
			continue
		}
		c := ""
		if i < len(canon) {
			c = canon[i]
		}
		o, why := p.toObservation(it, c)
		if why != "" {
			dropped[why]++
			continue
		}
		obs = append(obs, o)
	}
	return harvester.CleanText(f.Title), obs, dropped, nil
}

// parseDoc detects the format and returns the translated feed plus each
// item's declared canonical URL.
func parseDoc(data []byte, base string) (*gofeed.Feed, []string, error) {
	if declaresEntities(data[:min(len(data), 64<<10)]) {
		// Go's XML decoder never expands them (no billion laughs), but
		// the items would then carry "&lol9;" as their titles.
		return nil, nil, errors.New("the document declares its own XML entities (<!ENTITY>), which no feed needs: refused")
	}
	switch gofeed.DetectFeedType(bytes.NewReader(data)) {
	case gofeed.FeedTypeRSS:
		raw, err := (&rss.Parser{}).Parse(bytes.NewReader(data))
		if err != nil {
			return nil, nil, fmt.Errorf("malformed RSS: %w", err)
		}
		// Items' images are never used; finding them parses every
		// description as an HTML document.
		hidden := hideAuthors(raw)
		f, err := (&gofeed.DefaultRSSTranslator{DisableContentImageScan: true}).Translate(raw)
		hidden.restore(f)
		canon := make([]string, len(raw.Items))
		for i, it := range raw.Items {
			if it != nil && it.Source != nil {
				canon[i] = strings.TrimSpace(it.Source.URL)
			}
		}
		return f, canon, wrap(err)
	case gofeed.FeedTypeAtom:
		raw, err := (&atom.Parser{}).Parse(bytes.NewReader(data))
		if err != nil {
			return nil, nil, fmt.Errorf("malformed Atom: %w", err)
		}
		f, err := (&gofeed.DefaultAtomTranslator{}).Translate(raw)
		canon := make([]string, len(raw.Entries))
		for i, e := range raw.Entries {
			canon[i] = atomCanonical(e)
		}
		return f, canon, wrap(err)
	case gofeed.FeedTypeJSON:
		raw, err := (&jsonfeed.Parser{}).Parse(bytes.NewReader(data))
		if err != nil && !jsonFeedVersion.Match(data) {
			// Some other JSON document (an API's answer), not a broken feed.
			return nil, nil, notAFeed(data, base)
		}
		if err != nil {
			return nil, nil, fmt.Errorf("malformed JSON Feed: %w", err)
		}
		if !strings.Contains(raw.Version, "jsonfeed.org") && len(raw.Items) == 0 {
			return nil, nil, notAFeed(data, base)
		}
		f, err := (&gofeed.DefaultJSONTranslator{}).Translate(raw)
		canon := make([]string, len(raw.Items))
		for i, it := range raw.Items {
			if it != nil {
				canon[i] = strings.TrimSpace(it.ExternalURL)
			}
		}
		return f, canon, wrap(err)
	}
	return nil, nil, notAFeed(data, base)
}

// declaresEntities reports whether head matches entityDecl. The regexp
// needs "<!ENTITY", in any case, and its lazy parts keep every byte of a
// document in play: on a 64 KiB feed that has none it cost more than
// parsing the feed, so documents without the word skip it.
func declaresEntities(head []byte) bool {
	const word = "<!entity"
	for i := 0; ; {
		j := bytes.Index(head[i:], []byte("<!"))
		if j < 0 {
			return false
		}
		i += j
		if len(head)-i >= len(word) && bytes.EqualFold(head[i:i+len(word)], []byte(word)) {
			return entityDecl.Match(head)
		}
		i += 2
	}
}

func wrap(err error) error {
	if err != nil {
		return fmt.Errorf("translate feed: %w", err)
	}
	return nil
}

func atomCanonical(e *atom.Entry) string {
	if e == nil {
		return ""
	}
	for _, rel := range []string{"related", "via"} {
		for _, l := range e.Links {
			if l != nil && strings.EqualFold(l.Rel, rel) && l.Href != "" {
				return strings.TrimSpace(l.Href)
			}
		}
	}
	return ""
}

var (
	htmlStart = regexp.MustCompile(`(?is)^(<!--.*?-->\s*)*(<!doctype\s+html|<html|<head|<body)`)
	altLink   = regexp.MustCompile(`(?is)<link\b[^>]*>`)
	attr      = regexp.MustCompile(`(?is)\b(rel|type|href)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)`)
	// entityDecl is an internal DTD subset that declares entities.
	entityDecl      = regexp.MustCompile(`(?is)^[^<]*(<\?.*?\?>\s*)?(<!--.*?-->\s*)*<!DOCTYPE[^\[>]*\[[^\]]*<!ENTITY`)
	jsonFeedVersion = regexp.MustCompile(`"version"\s*:\s*"https?://jsonfeed\.org/`)
)

// notAFeed explains what the document is instead, pointing at the feed an
// HTML page advertises (resolved against base, the page's URL, and
// without its credentials).
func notAFeed(data []byte, base string) error {
	head := data[:min(len(data), 64<<10)]
	if htmlStart.Match(head) {
		if href := alternateFeed(head); href != "" {
			if b, err := url.Parse(fetch.Public(base)); err == nil && base != "" {
				if ref, err := b.Parse(href); err == nil {
					href = fetch.Public(ref.String())
				}
			}
			return fmt.Errorf("this is an HTML page, not a feed; the page names its feed: try url: %s", href)
		}
		return errors.New("this is an HTML page, not a feed, and it names no feed (<link rel=\"alternate\">)")
	}
	if data[0] == '{' || data[0] == '[' {
		return errors.New("this is JSON but not a JSON Feed (no \"version\": \"https://jsonfeed.org/version/1…\")")
	}
	return errors.New("not an RSS, Atom or JSON feed")
}

func alternateFeed(head []byte) string {
	for _, tag := range altLink.FindAll(head, -1) {
		vals := map[string]string{}
		for _, m := range attr.FindAllSubmatch(tag, -1) {
			vals[strings.ToLower(string(m[1]))] = strings.Trim(string(m[2]), `"'`)
		}
		t := strings.ToLower(vals["type"])
		if strings.Contains(strings.ToLower(vals["rel"]), "alternate") &&
			(strings.Contains(t, "rss") || strings.Contains(t, "atom") || strings.Contains(t, "feed+json")) {
			return vals["href"]
		}
	}
	return ""
}
