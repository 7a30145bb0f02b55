package program

import (
	"fmt"
	"strings"
	"time"

	"github.com/contriblog/contriblog/harvester"
)

// CountLabels are the counts' names on the MVP form, which messages use.
var CountLabels = map[string]string{
	"views":          "Number of Views",
	"sessions":       "Number of Sessions",
	"live_views":     "Livestream Views",
	"ondemand_views": "On-demand Views",
	"attendees":      "In-Person Attendees",
}

// Checker finds what a program's form would refuse in rows of the log,
// or what they lack: `contriblog check` (docs/programs.md#check has every
// problem and its severity).
type Checker struct {
	p     *Profile
	today string // YYYY-MM-DD
	since string // the window's first day; "" for no window
	// all checks rows curated as excluded too; without it, an excluded
	// row is only checked for a merge it still holds.
	all   bool
	cited map[string]bool // ShortIDs of observations a forced merge names
}

// NewChecker checks against p, with dates judged from today (YYYY-MM-DD)
// and edits (the stored curation) telling which rows hold a forced
// merge. With all, rows curated as excluded are checked as the others.
func NewChecker(p *Profile, edits []harvester.Edit, today string, all bool) (*Checker, error) {
	day, err := time.Parse(harvester.DateLayout, today)
	if err != nil {
		return nil, fmt.Errorf("check: today %q: expected a date as YYYY-MM-DD", today)
	}
	k := &Checker{p: p, today: today, all: all, cited: map[string]bool{}}
	if m := p.Limits.WindowMonths; m > 0 {
		k.since = day.AddDate(0, -m, 0).Format(harvester.DateLayout)
	}
	for _, e := range edits {
		if len(e.MergeWith)+len(e.MergeAnchors) == 0 {
			continue
		}
		k.cited[e.ID] = true
		for _, id := range e.MergeWith {
			k.cited[id] = true
		}
		for _, key := range append(append([]string(nil), e.Anchors...), e.MergeAnchors...) {
			k.cited[harvester.ShortID(key)] = true
		}
	}
	return k, nil
}

// Check returns the problems of c, in the order of its fields.
func (k *Checker) Check(c *harvester.Contribution) []harvester.Problem {
	var out []harvester.Problem
	add := func(sev, field, problem, fix string) {
		out = append(out, harvester.Problem{ID: c.ID, Severity: sev, Field: field, Problem: problem, Fix: fix})
	}
	if c.Excluded {
		if k.holdsMerge(c) {
			add(harvester.SeverityWarning, "excluded",
				"excluded, yet rows forced into it with --merge are still cited as merged: they are left out with it",
				fmt.Sprintf("`contriblog edit %s --include` to keep the merged row, or `--split` it and exclude only the part you meant", c.ID))
		}
		if !k.all {
			return out
		}
	}
	p := k.p
	e, refused := p.Place(c)
	typeRefused := e.Type == nil
	for _, r := range refused {
		if r.Field == "activity_type" {
			add(harvester.SeverityError, r.Field, r.Msg+": the row is left out of its export", r.Fix)
		}
	}
	k.date(c, add)
	k.text(c, add)
	if c.URL == "" {
		add(harvester.SeverityWarning, "url", "no Activity URL",
			fmt.Sprintf("`contriblog edit %s --url URL` if it has a page (an event without one has none)", c.ID))
	} else if l := p.Limits.URL; l > 0 && Len(c.URL) > l {
		add(harvester.SeverityError, "url", fmt.Sprintf("the Activity URL is %d characters, over the %d %s takes", Len(c.URL), l, p.Name),
			fmt.Sprintf("`contriblog edit %s --url URL` with a shorter link to it", c.ID))
	}
	if typeRefused {
		return out
	}
	t := e.Type
	if strings.TrimSpace(c.Role) == "" && len(t.Roles) > 0 {
		add(harvester.SeverityError, "role", fmt.Sprintf("no role; %s offers %s for %s", p.Name, strings.Join(t.Roles, ", "), t.Name),
			fmt.Sprintf("`contriblog edit %s --role ROLE`", c.ID))
	}
	if strings.TrimSpace(c.PrimaryArea) == "" {
		switch p.Format {
		case FormatForm:
			add(harvester.SeverityError, "primary_area", "no Primary Technology Area, which the form requires",
				fmt.Sprintf("`contriblog edit %s --area AREA`, or a keyword for it under the config's areas:", c.ID))
		case FormatAdvocu:
			add(harvester.SeverityWarning, "primary_area", "no area, so the draft has no tags",
				fmt.Sprintf("`contriblog edit %s --area TAG`, or a keyword for it under the config's areas:", c.ID))
		}
	}
	for _, r := range refused {
		if r.Field != "activity_type" {
			add(harvester.SeverityError, r.Field, r.Msg+": the row is left out of its export", r.Fix)
		}
	}
	k.counts(c, t, add)
	if t.Asks("microsoft_event") && strings.TrimSpace(c.MicrosoftEvent) == "" {
		sev, asks := harvester.SeverityWarning, "asks"
		if t.Requires("microsoft_event") {
			sev, asks = harvester.SeverityError, "requires"
		}
		add(sev, "microsoft_event", fmt.Sprintf("no Microsoft Event, which %s %s for %s", p.Name, asks, t.Name),
			fmt.Sprintf("`contriblog edit %s --microsoft-event EVENT` (%s)", c.ID, strings.Join(p.Events, ", ")))
	}
	return out
}

// date checks the row's date against the window and today.
func (k *Checker) date(c *harvester.Contribution, add func(sev, field, problem, fix string)) {
	switch {
	case c.Date == "":
		add(harvester.SeverityError, "date", "no date", fmt.Sprintf("`contriblog edit %s --date YYYY-MM-DD`", c.ID))
	case k.since != "" && c.Date < k.since:
		add(harvester.SeverityError, "date",
			fmt.Sprintf("dated %s, more than %d months before %s: %s takes nothing older than %s", c.Date, k.p.Limits.WindowMonths, k.today, k.p.Name, k.since),
			fmt.Sprintf("leave it out (`--since %s`), or `contriblog edit %s --date YYYY-MM-DD` if the date is wrong", k.since, c.ID))
	case c.Date > k.today:
		add(harvester.SeverityWarning, "date", fmt.Sprintf("dated %s, after today (%s): the form takes it once it has happened", c.Date, k.today),
			fmt.Sprintf("leave it out until then (`--until %s`), or `contriblog edit %s --date YYYY-MM-DD` if the date is wrong", k.today, c.ID))
	}
}

// text checks title and descriptions against the limits, in characters
// of the plain text the export shows.
func (k *Checker) text(c *harvester.Contribution, add func(sev, field, problem, fix string)) {
	lim := k.p.Limits
	title := harvester.PlainText(c.Title)
	switch n := Len(title); {
	case n == 0:
		add(harvester.SeverityError, "title", "no title", fmt.Sprintf("`contriblog edit %s --title TITLE`", c.ID))
	case lim.Title > 0 && n > lim.Title:
		cut := harvester.Truncate(title, lim.Title)
		add(harvester.SeverityError, "title",
			fmt.Sprintf("the title is %d characters, over the %d %s takes; cut at a word it reads %q", n, lim.Title, k.p.Name, cut),
			fmt.Sprintf("choose the words: `contriblog edit %s --title %s`", c.ID, shellQuote(strings.TrimSuffix(cut, "…"))))
	case n < lim.TitleMin:
		add(harvester.SeverityError, "title", fmt.Sprintf("the title is %d characters; %s takes at least %d", n, k.p.Name, lim.TitleMin),
			fmt.Sprintf("`contriblog edit %s --title TITLE`", c.ID))
	}
	for _, d := range []struct {
		field, label, flag, text string
		limit                    int
	}{
		{"description", "description", "--description", c.Description, lim.Description},
		{"private_description", "private description", "--private-description", c.PrivateDescription, lim.PrivateDescription},
	} {
		if n := Len(harvester.PlainText(d.text)); d.limit > 0 && n > d.limit {
			add(harvester.SeverityError, d.field, fmt.Sprintf("the %s is %d characters, over the %d %s takes", d.label, n, d.limit, k.p.Name),
				fmt.Sprintf("shorten it: `contriblog edit %s %s TEXT` with at most %d characters", c.ID, d.flag, d.limit))
		}
	}
}

// counts checks the counts t asks for: one the form requires is an
// error when unknown. The others are not reported: most rows cannot know
// them (a pull request's views), and a line for each would bury the
// errors; the export leaves their cells empty.
func (k *Checker) counts(c *harvester.Contribution, t *Type, add func(sev, field, problem, fix string)) {
	for _, n := range t.Counts {
		if !t.Requires(n.Key) {
			continue
		}
		if v, ok := t.Count(n.Key, c.Counts, c.Metrics); ok && v >= 0 {
			continue
		}
		name := n.Key
		if k.p.Format == FormatForm && CountLabels[n.Key] != "" {
			name = CountLabels[n.Key] // as the form and the export's columns say it
		}
		add(harvester.SeverityError, "counts."+n.Key, fmt.Sprintf("no %s, which %s requires for %s", name, k.p.Name, t.Name),
			fmt.Sprintf("`contriblog edit %s --set %s=N`", c.ID, n.Key))
	}
}

// holdsMerge reports whether a forced merge (--merge) names c or one of
// its observations.
func (k *Checker) holdsMerge(c *harvester.Contribution) bool {
	if k.cited[c.ID] {
		return true
	}
	for _, o := range c.Observations {
		if k.cited[harvester.ShortID(harvester.ObservationKey(o.Source, o.NativeID))] {
			return true
		}
	}
	return false
}

// shellQuote quotes s for a POSIX shell, so that a suggested command can
// be pasted as it is.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
