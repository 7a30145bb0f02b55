package harvester

import (
	"strings"
	"unicode"
	"unicode/utf8"
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
func tagRow(r *row, items []item, opts *LogOptions) {
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
		primary, additional = tagAreas(opts.Areas, strings.ToLower(strings.Join(text, "\n")))
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

// tagAreas counts each area's keyword hits in the lower-cased text.
func tagAreas(areas []Area, text string) (primary string, others []string) {
	best := 0
	hits := make([]int, len(areas))
	for i, a := range areas {
		for _, kw := range a.Keywords {
			hits[i] += countWord(text, strings.ToLower(strings.TrimSpace(kw)))
		}
		if hits[i] > best {
			best, primary = hits[i], a.Name
		}
	}
	for i, a := range areas {
		if hits[i] > 0 && a.Name != primary {
			others = append(others, a.Name)
		}
	}
	return primary, others
}

// countWord counts the occurrences of kw in text that do not start or end
// inside a word, so "go" does not match "good" but ".net" matches "(.net)".
func countWord(text, kw string) int {
	if kw == "" {
		return 0
	}
	n := 0
	for i := 0; i+len(kw) <= len(text); {
		j := strings.Index(text[i:], kw)
		if j < 0 {
			break
		}
		at, end := i+j, i+j+len(kw)
		before, _ := utf8.DecodeLastRuneInString(text[:at])
		after, _ := utf8.DecodeRuneInString(text[end:])
		if (at == 0 || !isWordRune(before) || !isWordRune(firstRune(kw))) &&
			(end == len(text) || !isWordRune(after) || !isWordRune(lastRune(kw))) {
			n++
		}
		i = at + 1
	}
	return n
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
