// Package program holds what each recognition program's form or API
// takes — its activity types and how contriblog's map onto them, the
// counts and fields each type asks for, its lists of roles, audiences,
// events and technology areas, and its limits — as data: profiles
// embedded from profiles/*.yaml, which a config may override or extend
// (docs/programs.md). Nothing about a program is a Go constant: next
// year's form is a profile change, not a release.
package program

import (
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/contriblog/contriblog/harvester"
)

// Profile is one program's form or API.
type Profile struct {
	Name  string // mvp, stars, gde: what --program and program: name
	Title string
	// Format is the shape of the program's export (docs/programs.md):
	// FormatForm (a form pasted field by field, the MVP's), FormatStars
	// (the GitHub Stars API's body) or FormatAdvocu (Advocu's activity
	// drafts). A profile that names none is a form.
	Format string
	// Source says where the profile came from, for messages: "built in",
	// or the file (and whether a config overrode the built-in one).
	Source string

	Limits Limits
	Types  []Type
	// Areas are the technology areas (MVP) or tags (Advocu) the program
	// takes, with the category each is listed under; none means any area
	// is taken as it is.
	Areas     []Area
	Audiences []string // target audiences; none means free
	Events    []string // the events a type's microsoft_event names
	// Roles maps a contriblog role the program does not list to the one
	// it does ("Speaker" is "Author" on the MVP form).
	Roles map[string]string
}

// Limits are a program's bounds, in characters (not bytes) and months; 0
// is no bound.
type Limits struct {
	Title, TitleMin    int
	Description        int
	PrivateDescription int
	URL                int
	WindowMonths       int // how far back a contribution may be dated
}

// Type is one of the program's activity types.
type Type struct {
	Name string // as the program spells it
	// From lists the contriblog activity types mapped onto this one; a
	// contriblog type in no type's From is not taken by the program.
	From  []string
	Roles []string // the roles the form offers for it; none: not asked
	// Counts are the counts the type asks for, in the profile's order,
	// each with the metrics that fill it when no one gave it.
	Counts []Count
	Fields []string // other fields it asks for: microsoft_event
	// Required are the counts and fields of Counts and Fields the form
	// refuses to go without: `check` reports one missing as an error, a
	// missing count of the others as a warning.
	Required []string
	// Kind is the API endpoint the type is sent to (Advocu's
	// content-creation, public-speaking, …), ContentType the
	// content-creation body's contentType.
	Kind, ContentType string
}

// The export formats a profile's Format names.
const (
	FormatForm   = "form"
	FormatStars  = "stars"
	FormatAdvocu = "advocu"
)

// Formats are the values of Profile.Format.
var Formats = []string{FormatForm, FormatStars, FormatAdvocu}

// Count is a count a type asks for: Key is one of harvester.CountKeys;
// From the metrics that give it, first known first, when the row has no
// count of that key.
type Count struct {
	Key  string
	From []string
}

// Area is a technology area and the category it is listed under.
type Area struct {
	Name, Category string
}

// TypeFor returns the program's type that the contriblog activity type
// maps onto (case-insensitive).
func (p *Profile) TypeFor(activityType string) (*Type, bool) {
	for i := range p.Types {
		for _, f := range p.Types[i].From {
			if strings.EqualFold(f, activityType) {
				return &p.Types[i], true
			}
		}
	}
	return nil, false
}

// Type returns the program's type named name (case-insensitive).
func (p *Profile) Type(name string) (*Type, bool) {
	for i := range p.Types {
		if strings.EqualFold(p.Types[i].Name, name) {
			return &p.Types[i], true
		}
	}
	return nil, false
}

// Area returns the program's spelling of the area name, and whether the
// program takes it: any area when it lists none.
func (p *Profile) Area(name string) (string, bool) {
	if len(p.Areas) == 0 {
		return name, true
	}
	for _, a := range p.Areas {
		if strings.EqualFold(a.Name, strings.TrimSpace(name)) {
			return a.Name, true
		}
	}
	return "", false
}

// AreaNames are the program's areas, as listed.
func (p *Profile) AreaNames() []string {
	out := make([]string, len(p.Areas))
	for i, a := range p.Areas {
		out[i] = a.Name
	}
	return out
}

// Audience returns the program's spelling of a target audience, and
// whether it takes it: any when it lists none.
func (p *Profile) Audience(a string) (string, bool) {
	return oneOf(p.Audiences, a)
}

// Event returns the program's spelling of an event, and whether it is
// one of its list: any when it lists none.
func (p *Profile) Event(e string) (string, bool) {
	return oneOf(p.Events, e)
}

// Role returns the role the program's form shows for role on a row of
// type t: role itself when t offers it (or offers no list), else its
// mapping in Roles when t offers that; ok is false when the form has no
// place for it.
func (p *Profile) Role(t *Type, role string) (string, bool) {
	role = strings.TrimSpace(role)
	if len(t.Roles) == 0 {
		return role, true
	}
	if r, ok := oneOf(t.Roles, role); ok {
		return r, true
	}
	for from, to := range p.Roles {
		if strings.EqualFold(from, role) {
			return oneOf(t.Roles, to)
		}
	}
	return "", false
}

// Count returns a row's count key for type t: the count a person gave
// (c.Counts), else the first of the count's metrics the sources
// reported; ok is false when neither knows it.
func (t *Type) Count(key string, counts, metrics map[string]int64) (int64, bool) {
	if v, ok := counts[key]; ok {
		return v, true
	}
	for _, c := range t.Counts {
		if c.Key != key {
			continue
		}
		for _, m := range c.From {
			if v, ok := metrics[m]; ok {
				return v, true
			}
		}
	}
	return 0, false
}

// Asks reports whether t asks for the count or field key.
func (t *Type) Asks(key string) bool {
	for _, c := range t.Counts {
		if c.Key == key {
			return true
		}
	}
	for _, f := range t.Fields {
		if f == key {
			return true
		}
	}
	return false
}

// Requires reports whether the form refuses t without the count or
// field key.
func (t *Type) Requires(key string) bool {
	for _, r := range t.Required {
		if r == key {
			return true
		}
	}
	return false
}

// Unmapped lists the activity types of v that no type of p takes.
func (p *Profile) Unmapped(v *harvester.Vocabulary) []string {
	var out []string
	for _, name := range v.Names() {
		if _, ok := p.TypeFor(name); !ok {
			out = append(out, name)
		}
	}
	return out
}

// Len is the length of s as the programs' forms count it: characters.
func Len(s string) int { return utf8.RuneCountInString(s) }

func oneOf(list []string, v string) (string, bool) {
	v = strings.TrimSpace(v)
	if len(list) == 0 {
		return v, true
	}
	for _, x := range list {
		if strings.EqualFold(x, v) {
			return x, true
		}
	}
	return "", false
}

// Names are the built-in programs' names, sorted.
func Names() []string {
	out := make([]string, 0, len(builtin))
	for n := range builtin {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
