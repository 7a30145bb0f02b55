package harvester

import (
	"strings"
)

// tagRow sets the row's technology areas (issue 5 item 8). Areas written
// by hand (file source) win: the best member's primary area and every
// member's additional ones. Without them, the config's areas tag the row
// by keyword over its title (curated or not), description and categories:
// the area with most keyword hits is primary (ties: config order), the
// other matched ones additional. Each member source's own `areas` are
// added to the additional ones. A curated primary area (`edit --area`)
// replaces whatever else would be primary, curated additional areas
// (`edit --additional-area`) every other additional one.
func tagRow(r *row, items []item, opts *LogOptions, t *tagger) {
	c := &r.c
	var primary string
	for _, i := range r.members {
		primary = firstNonEmpty(primary, strings.TrimSpace(items[i].o.PrimaryArea))
	}
	additional := handKept(r.members, items, func(o *Observation) []string { return o.AdditionalAreas })
	if primary == "" && len(additional) == 0 && len(opts.Areas) > 0 {
		text := []string{c.Title, c.Description}
		for _, i := range r.members {
			text = append(text, items[i].o.Categories...)
		}
		primary, additional = t.tag(strings.ToLower(strings.Join(text, "\n")))
	}
	for _, s := range c.Sources {
		additional = appendFold(additional, opts.SourceAreas[s]...)
	}
	if r.curated("primary_area") {
		primary = c.PrimaryArea
	}
	if r.curated("additional_areas") {
		// `edit --additional-area` replaces every other source of them,
		// and none of them is promoted to primary.
		additional = c.AdditionalAreas
	} else if primary == "" && len(additional) > 0 {
		primary, additional = additional[0], additional[1:]
	}
	c.PrimaryArea, c.AdditionalAreas = primary, removeFold(additional, primary)
}

// tagger tags text with the config's areas: their keywords compiled once
// per build of the log, not once per row.
type tagger struct {
	areas    []Area
	keywords [][]keyword // per area
}

func newTagger(areas []Area) *tagger {
	t := &tagger{areas: areas, keywords: make([][]keyword, len(areas))}
	for i, a := range areas {
		for _, kw := range a.Keywords {
			if k, ok := compileKeyword(kw); ok {
				t.keywords[i] = append(t.keywords[i], k)
			}
		}
	}
	return t
}

// tagAreas tags the lower-cased text with areas (see tagger.tag).
func tagAreas(areas []Area, text string) (primary string, others []string) {
	return newTagger(areas).tag(text)
}

// tag counts each area's keyword hits in the lower-cased text: the area
// with the most is primary (ties: config order), the others that matched
// are the others, in config order.
func (t *tagger) tag(text string) (primary string, others []string) {
	best := 0
	var small [16]int
	hits := small[:0]
	if len(t.areas) > len(small) {
		hits = make([]int, 0, len(t.areas))
	}
	for i, a := range t.areas {
		n := 0
		for k := range t.keywords[i] {
			n += t.keywords[i][k].count(text)
		}
		hits = append(hits, n)
		if n > best {
			best, primary = n, a.Name
		}
	}
	for i, a := range t.areas {
		if hits[i] > 0 && a.Name != primary {
			others = append(others, a.Name)
		}
	}
	return primary, others
}
