package export

import (
	"strings"

	"github.com/contriblog/contriblog/harvester"
)

// The harvester cleans text when it stores it; the encoders clean it again
// because an export is the last line of defence: curated values, old
// databases and hand-kept files all reach it. harvester.CleanText and
// PlainText return text that is already clean without copying it.

// cleanList returns the cleaned, non-empty items of list, never nil. When
// every item is already clean it returns list itself (callers only read).
func cleanList(list []string) []string {
	if list == nil {
		return []string{}
	}
	for i, s := range list {
		if s == "" || !harvester.IsClean(s) {
			return cleanFrom(list, i)
		}
	}
	return list
}

// cleanFrom copies list[:i] (known clean) and the cleaned rest.
func cleanFrom(list []string, i int) []string {
	out := make([]string, i, len(list))
	copy(out, list[:i])
	for _, s := range list[i:] {
		if s = harvester.CleanText(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// listSep is the separator of list cells (docs/log.md#csv-columns).
const listSep = ";"

// joinList is the cell of a list: cleaned items joined by ";". A ';'
// inside an item would split it in two for whoever reads the cell, so a
// URL's ';' is written %3B (the same URL to every server that matters) and
// any other item's becomes ','.
func joinList(list []string, urls bool) string {
	switch len(list) {
	case 0:
		return ""
	case 1:
		return listItem(list[0], urls)
	}
	size := 0
	for _, s := range list {
		size += len(s) + len(listSep)
	}
	var b strings.Builder
	b.Grow(size) // one allocation, unless a URL's ";" grows into "%3B"
	for _, s := range list {
		if s = listItem(s, urls); s == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(listSep)
		}
		b.WriteString(s)
	}
	return b.String()
}

func listItem(s string, url bool) string {
	s = harvester.CleanText(s)
	if !strings.Contains(s, listSep) {
		return s
	}
	if url {
		return strings.ReplaceAll(s, listSep, "%3B")
	}
	return strings.ReplaceAll(s, listSep, ",")
}
