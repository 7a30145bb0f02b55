package portal

import (
	"fmt"
	"time"

	"github.com/contriblog/contriblog/harvester"
)

// sameWorkDays is how far apart an entry's date and a row's may be for
// the title rule, as for rule 3 of the de-duplication.
const sameWorkDays = 7

// Match is one entry found in the log.
type Match struct {
	Entry int    // index into the entries
	Row   int    // index into the rows
	How   string // "url", "title and date" or "title"
}

// Doubt is an entry that more than one row could be: reported, never
// guessed.
type Doubt struct {
	Entry int
	Rows  []int
	Why   string
}

// Result is what Matches found.
type Result struct {
	Matched []Match
	Doubts  []Doubt
	// Duplicates are entries that matched a row another entry matched
	// first: the same activity entered twice in the portal.
	Duplicates []Match
	// UnmatchedEntries are entries no row is: in the portal, not in the
	// log. UnmatchedRows are rows no entry is: what is left to enter.
	UnmatchedEntries []int
	UnmatchedRows    []int
}

// Matches finds each entry's row: the same canonical URL first (any link
// of the row), else the same normalised title dated at most 7 days apart,
// else the same title alone when one row has it. More than one candidate
// at the first rule that finds any is a doubt. Rows are compared in the
// order given; the result does not depend on the entries' order but for
// which of two entries of one row is the duplicate (the later one).
func Matches(entries []Entry, rows []harvester.Contribution) Result {
	byURL := map[string][]int{}
	byTitle := map[string][]int{}
	for i := range rows {
		seen := map[string]bool{}
		for _, u := range rowLinks(&rows[i]) {
			if c := harvester.CanonicalURL(u); c != "" && !seen[c] {
				seen[c] = true
				byURL[c] = append(byURL[c], i)
			}
		}
		if t := harvester.NormalizeTitle(rows[i].Title, ""); t != "" {
			byTitle[t] = append(byTitle[t], i)
		}
	}
	var res Result
	taken := map[int]int{} // row -> entry that matched it
	for e := range entries {
		en := &entries[e]
		rowsFor, how := []int(nil), ""
		if c := harvester.CanonicalURL(en.URL); c != "" && len(byURL[c]) > 0 {
			rowsFor, how = byURL[c], "url"
		}
		title := harvester.NormalizeTitle(en.Title, "")
		if how == "" && title != "" && en.Date != "" {
			for _, r := range byTitle[title] {
				if within(rows[r].Date, en.Date, sameWorkDays) {
					rowsFor = append(rowsFor, r)
				}
			}
			if len(rowsFor) > 0 {
				how = "title and date"
			}
		}
		if how == "" && title != "" && len(byTitle[title]) > 0 {
			rowsFor, how = byTitle[title], "title"
		}
		switch {
		case how == "":
			res.UnmatchedEntries = append(res.UnmatchedEntries, e)
		case len(rowsFor) > 1:
			res.Doubts = append(res.Doubts, Doubt{Entry: e, Rows: rowsFor,
				Why: fmt.Sprintf("%d rows have the same %s", len(rowsFor), how)})
		default:
			m := Match{Entry: e, Row: rowsFor[0], How: how}
			if _, dup := taken[m.Row]; dup {
				res.Duplicates = append(res.Duplicates, m)
				continue
			}
			taken[m.Row] = e
			res.Matched = append(res.Matched, m)
		}
	}
	doubted := map[int]bool{}
	for _, d := range res.Doubts {
		for _, r := range d.Rows {
			doubted[r] = true
		}
	}
	for i := range rows {
		if _, ok := taken[i]; !ok && !doubted[i] {
			res.UnmatchedRows = append(res.UnmatchedRows, i)
		}
	}
	return res
}

// rowLinks are every link of a row: its URL, Other URLs and each of its
// observations' own.
func rowLinks(c *harvester.Contribution) []string {
	out := append([]string{c.URL}, c.OtherURLs...)
	for _, r := range c.Observations {
		out = append(out, r.URL)
	}
	return out
}

// within reports whether two YYYY-MM-DD days are at most n days apart.
func within(a, b string, n int) bool {
	ta, err1 := time.Parse(harvester.DateLayout, a)
	tb, err2 := time.Parse(harvester.DateLayout, b)
	if err1 != nil || err2 != nil {
		return false
	}
	d := ta.Sub(tb)
	if d < 0 {
		d = -d
	}
	return d <= time.Duration(n)*24*time.Hour
}
