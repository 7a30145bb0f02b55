package program

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/contriblog/contriblog/harvester"
)

// Entry is a row of the log as the program takes it: the program's type,
// and the row's role, areas, audiences and event in the program's
// spelling. Place makes it.
type Entry struct {
	Type            *Type
	Role            string
	PrimaryArea     string
	AdditionalAreas []string
	Audiences       []string
	Event           string // only for a type that asks for microsoft_event
}

// Refusal is a value of a row that the program does not take: its
// export leaves the row out rather than guess (docs/programs.md), and
// `check` reports it as an error.
type Refusal struct {
	Field string // the Contribution's JSON key: activity_type, role, primary_area, …
	Value string
	Msg   string // what is wrong, in words: `"Kubernetes" is not an area of …`
	Fix   string // what to do
}

// Place maps c onto p. A value p does not list — a type no type of p
// takes, a role the type does not offer and p.Roles does not map, an
// area, audience or event not in p's lists — is never guessed: it is a
// Refusal, and the entry is not to be used. A value c lacks (no role,
// no area) is no refusal: the entry leaves it empty, and `check` says so.
func (p *Profile) Place(c *harvester.Contribution) (Entry, []Refusal) {
	var e Entry
	var out []Refusal
	t, ok := p.TypeFor(c.ActivityType)
	if !ok {
		return e, []Refusal{{Field: "activity_type", Value: c.ActivityType,
			Msg: fmt.Sprintf("the type %q is not one %s takes", c.ActivityType, p.Title),
			Fix: fmt.Sprintf("give the row a type %s takes (`contriblog edit %s --type TYPE`; `contriblog programs %s` lists them), or map the type in a profile of your own", p.Name, c.ID, p.Name)}}
	}
	e.Type = t
	if role := strings.TrimSpace(c.Role); role != "" {
		if r, ok := p.Role(t, role); ok {
			e.Role = r
		} else {
			out = append(out, Refusal{Field: "role", Value: role,
				Msg: fmt.Sprintf("the role %q is not one %s offers for %s (%s)", role, p.Name, t.Name, strings.Join(t.Roles, ", ")),
				Fix: fmt.Sprintf("`contriblog edit %s --role ROLE` with one of them, or map it under roles: in a profile of your own", c.ID)})
		}
	}
	if a := strings.TrimSpace(c.PrimaryArea); a != "" {
		if name, ok := p.Area(a); ok {
			e.PrimaryArea = name
		} else {
			out = append(out, p.areaRefusal(c, "primary_area", a))
		}
	}
	for _, a := range c.AdditionalAreas {
		if a = strings.TrimSpace(a); a == "" {
			continue
		}
		if name, ok := p.Area(a); ok {
			e.AdditionalAreas = append(e.AdditionalAreas, name)
		} else {
			out = append(out, p.areaRefusal(c, "additional_areas", a))
		}
	}
	for _, a := range c.TargetAudience {
		if a = strings.TrimSpace(a); a == "" {
			continue
		}
		if name, ok := p.Audience(a); ok {
			e.Audiences = append(e.Audiences, name)
		} else {
			out = append(out, Refusal{Field: "target_audience", Value: a,
				Msg: fmt.Sprintf("the audience %q is not one of %s's (%s)", a, p.Name, strings.Join(p.Audiences, ", ")),
				Fix: fmt.Sprintf("`contriblog edit %s --audience AUDIENCE` (repeatable) with theirs", c.ID)})
		}
	}
	if ev := strings.TrimSpace(c.MicrosoftEvent); ev != "" && t.Asks("microsoft_event") {
		if name, ok := p.Event(ev); ok {
			e.Event = name
		} else {
			out = append(out, Refusal{Field: "microsoft_event", Value: ev,
				Msg: fmt.Sprintf("the event %q is not one of %s's (%s)", ev, p.Name, strings.Join(p.Events, ", ")),
				Fix: fmt.Sprintf("`contriblog edit %s --microsoft-event EVENT` with one of them (Other for any other)", c.ID)})
		}
	}
	return e, out
}

// areaRefusal refuses the area a of c's field, suggesting the program's
// nearest area.
func (p *Profile) areaRefusal(c *harvester.Contribution, field, a string) Refusal {
	r := Refusal{Field: field, Value: a, Msg: fmt.Sprintf("%q is not an area of %s", a, p.Title)}
	flag := "--area"
	if field == "additional_areas" {
		flag = "--additional-area"
	}
	if s := p.NearestArea(a); s != "" {
		r.Msg += fmt.Sprintf(" (did you mean %q?)", s)
		r.Fix = fmt.Sprintf("rename it in the config's areas: to %q, or `contriblog edit %s %s %q`", s, c.ID, flag, s)
	} else {
		r.Fix = fmt.Sprintf("use one of its areas (`contriblog programs %s`): in the config's areas:, or `contriblog edit %s %s AREA`", p.Name, c.ID, flag)
	}
	return r
}

// NearestArea is the area of p's list that name most likely means: the
// same words once "&" and "and", case, spaces and punctuation are set
// aside ("Identity and Access"), else a typo of one; "" when none is
// near or p lists none.
func (p *Profile) NearestArea(name string) string {
	names := p.AreaNames()
	key := func(s string) string {
		s = strings.ReplaceAll(strings.ToLower(s), "&", " and ")
		return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r)
		}), " ")
	}
	k := key(name)
	for _, n := range names {
		if key(n) == k {
			return n
		}
	}
	return harvester.SuggestName(name, names)
}
