package program

import (
	"embed"
	"errors"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/sources/yamldoc"
)

//go:embed profiles/*.yaml
var profileFiles embed.FS

// builtin are the embedded profiles by name.
var builtin = map[string]*Profile{}

func init() {
	entries, err := profileFiles.ReadDir("profiles")
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		file := path.Join("profiles", e.Name())
		data, err := profileFiles.ReadFile(file)
		if err != nil {
			panic(err)
		}
		p, err := Parse(data, "built-in "+e.Name(), nil)
		if err != nil {
			// The profiles are tested; a broken one must not ship.
			panic(err)
		}
		p.Source = "built in"
		builtin[p.Name] = p
	}
}

// Builtin returns a copy of the built-in profile name.
func Builtin(name string) (*Profile, bool) {
	p, ok := builtin[strings.ToLower(strings.TrimSpace(name))]
	if !ok {
		return nil, false
	}
	return p.clone(), true
}

// BuiltinYAML is the embedded file of the built-in profile name: what a
// person copies to start a profile of their own.
func BuiltinYAML(name string) ([]byte, bool) {
	data, err := profileFiles.ReadFile(path.Join("profiles", name+".yaml"))
	return data, err == nil
}

// Parse reads a profile from YAML written in file (for messages). With
// base, it overrides base (ParseNode).
func Parse(data []byte, file string, base *Profile) (*Profile, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line, msg := yamldoc.SyntaxError(err)
		return nil, &Problem{File: file, Line: line, Msg: msg}
	}
	if len(doc.Content) == 0 {
		return nil, &Problem{File: file, Msg: "empty profile"}
	}
	return ParseNode(doc.Content[0], file, "", base)
}

// ParseNode reads a profile from the YAML mapping n of file, whose key
// path there is at (a config's programs.mvp, or "" for a file of its
// own). With base (the built-in profile of the same name), n overrides
// it: each top-level key n has replaces base's, but limits, which n's
// replace one by one, and types, which n's replace one by one (same
// name) or join. Every problem is reported, each as "file:line: key:
// message".
func ParseNode(n *yaml.Node, file, at string, base *Profile) (*Profile, error) {
	r := &reader{file: file}
	p := &Profile{}
	if base != nil {
		p = base.clone()
	}
	fields, ok := yamldoc.Mapping(n, at, r.report)
	if !ok {
		return nil, r.err()
	}
	for _, f := range fields {
		k := yamldoc.Sub(at, f.Key)
		switch f.Key {
		case "name":
			p.Name = strings.ToLower(r.str(f.Val, k))
			if !nameRe.MatchString(p.Name) {
				r.report(f.Val, k, "%q: a program's name is lower-case letters, digits and -", p.Name)
			}
		case "title":
			p.Title = r.str(f.Val, k)
		case "format":
			p.Format = strings.ToLower(r.str(f.Val, k))
			if !slices.Contains(Formats, p.Format) {
				r.report(f.Val, k, "%q: formats: %s", p.Format, strings.Join(Formats, ", "))
			}
		case "limits":
			p.Limits = r.limits(f.Val, k, p.Limits)
		case "audiences":
			p.Audiences = r.strs(f.Val, k)
		case "events":
			p.Events = r.strs(f.Val, k)
		case "roles":
			p.Roles = r.roles(f.Val, k)
		case "areas":
			p.Areas = r.areas(f.Val, k)
		case "types":
			p.Types = r.types(f.Val, k, p.Types, base != nil)
		case "file":
			// The config's programs.NAME.file, read by the caller.
		default:
			r.unknown(f, k, profileKeys)
		}
	}
	if p.Name == "" {
		r.report(n, at, "a profile needs a name")
	}
	if len(p.Types) == 0 {
		r.report(n, at, "a profile needs at least one type")
	}
	if p.Format == "" {
		p.Format = FormatForm
	}
	r.mappedOnce(n, at, p)
	if err := r.err(); err != nil {
		return nil, err
	}
	if base == nil {
		p.Source = file
	} else {
		p.Source = "built in, overridden by " + file
	}
	return p, nil
}

var (
	nameRe      = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	profileKeys = []string{"name", "title", "format", "limits", "audiences", "events", "roles", "areas", "types", "file"}
	typeKeys    = []string{"name", "from", "roles", "counts", "fields", "required", "kind", "content_type"}
	limitKeys   = []string{"title", "title_min", "description", "private_description", "url", "window_months"}
	// typeFields are the fields a type may ask for besides its counts.
	typeFields = []string{"microsoft_event"}
)

// Problem is one problem in a profile: the file, the line (0 when it has
// none), the key path and what is wrong. Parse and ParseNode return them
// joined (errors.Join), so that a config can report each at its place.
type Problem struct {
	File string
	Line int
	Key  string
	Msg  string
}

// Error formats the problem as "file:line: key: msg".
func (p *Problem) Error() string { return yamldoc.Location(p.File, p.Line, p.Key, p.Msg) }

// reader collects a profile's problems.
type reader struct {
	file     string
	problems []error
}

func (r *reader) report(n *yaml.Node, key, format string, args ...any) {
	line := 0
	if n = yamldoc.Resolve(n); n != nil {
		line = n.Line
	}
	r.problems = append(r.problems, &Problem{File: r.file, Line: line, Key: key, Msg: fmt.Sprintf(format, args...)})
}

func (r *reader) err() error { return errors.Join(r.problems...) }

func (r *reader) unknown(f yamldoc.Field, key string, valid []string) {
	if s := harvester.SuggestName(f.Key, valid); s != "" {
		r.report(f.KeyNode, key, "unknown key (did you mean %q?)", s)
		return
	}
	r.report(f.KeyNode, key, "unknown key; known: %s", strings.Join(valid, ", "))
}

func (r *reader) str(n *yaml.Node, key string) string {
	n = yamldoc.Resolve(n)
	if n == nil || n.Kind != yaml.ScalarNode {
		r.report(n, key, "expected text, got %s", yamldoc.Describe(n))
		return ""
	}
	return strings.TrimSpace(n.Value)
}

// strs reads a list of text, or one text as a list of one.
func (r *reader) strs(n *yaml.Node, key string) []string {
	n = yamldoc.Resolve(n)
	if yamldoc.Absent(n) {
		return nil
	}
	if n.Kind == yaml.ScalarNode {
		return []string{strings.TrimSpace(n.Value)}
	}
	if n.Kind != yaml.SequenceNode {
		r.report(n, key, "expected a list, got %s", yamldoc.Describe(n))
		return nil
	}
	out := make([]string, 0, len(n.Content))
	for i, e := range n.Content {
		if s := r.str(e, yamldoc.Index(key, i)); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (r *reader) count(n *yaml.Node, key string) int {
	s := r.str(n, key)
	v, err := strconv.Atoi(s)
	if err != nil || v < 0 {
		r.report(n, key, "%q: expected a whole number, 0 or more", s)
		return 0
	}
	return v
}

func (r *reader) limits(n *yaml.Node, key string, l Limits) Limits {
	fields, ok := yamldoc.Mapping(n, key, r.report)
	if !ok {
		return l
	}
	for _, f := range fields {
		k := yamldoc.Sub(key, f.Key)
		switch f.Key {
		case "title":
			l.Title = r.count(f.Val, k)
		case "title_min":
			l.TitleMin = r.count(f.Val, k)
		case "description":
			l.Description = r.count(f.Val, k)
		case "private_description":
			l.PrivateDescription = r.count(f.Val, k)
		case "url":
			l.URL = r.count(f.Val, k)
		case "window_months":
			l.WindowMonths = r.count(f.Val, k)
		default:
			r.unknown(f, k, limitKeys)
		}
	}
	return l
}

func (r *reader) roles(n *yaml.Node, key string) map[string]string {
	fields, ok := yamldoc.Mapping(n, key, r.report)
	if !ok {
		return nil
	}
	out := make(map[string]string, len(fields))
	for _, f := range fields {
		out[f.Key] = r.str(f.Val, yamldoc.Sub(key, f.Key))
	}
	return out
}

// areas reads a list of areas, or a mapping of categories to lists.
func (r *reader) areas(n *yaml.Node, key string) []Area {
	n = yamldoc.Resolve(n)
	if yamldoc.Absent(n) {
		return nil
	}
	var out []Area
	add := func(name, category string, at *yaml.Node, k string) {
		for _, a := range out {
			if strings.EqualFold(a.Name, name) {
				r.report(at, k, "area %q is listed twice", name)
				return
			}
		}
		out = append(out, Area{Name: name, Category: category})
	}
	if n.Kind == yaml.SequenceNode {
		for i, a := range r.strs(n, key) {
			add(a, "", n.Content[i], yamldoc.Index(key, i))
		}
		return out
	}
	fields, ok := yamldoc.Mapping(n, key, r.report)
	if !ok {
		return nil
	}
	for _, f := range fields {
		k := yamldoc.Sub(key, f.Key)
		for _, a := range r.strs(f.Val, k) {
			add(a, f.Key, f.Val, k)
		}
	}
	return out
}

// types reads the type list; with merge, each replaces the type of the
// same name in have, or joins them.
func (r *reader) types(n *yaml.Node, key string, have []Type, merge bool) []Type {
	n = yamldoc.Resolve(n)
	if n == nil || n.Kind != yaml.SequenceNode {
		r.report(n, key, "expected a list of types, got %s", yamldoc.Describe(n))
		return have
	}
	var out []Type
	if merge {
		out = slices.Clone(have)
	}
	seen := map[string]bool{}
	for i, e := range n.Content {
		k := yamldoc.Index(key, i)
		t, ok := r.typ(e, k)
		if !ok {
			continue
		}
		lower := strings.ToLower(t.Name)
		if seen[lower] {
			r.report(e, k, "type %q is listed twice", t.Name)
			continue
		}
		seen[lower] = true
		if j := slices.IndexFunc(out, func(x Type) bool { return strings.EqualFold(x.Name, t.Name) }); j >= 0 {
			out[j] = t
		} else {
			out = append(out, t)
		}
	}
	return out
}

func (r *reader) typ(n *yaml.Node, key string) (Type, bool) {
	var t Type
	fields, ok := yamldoc.Mapping(n, key, r.report)
	if !ok {
		return t, false
	}
	var reqAt *yaml.Node // where required: is, checked once counts and fields are read
	var reqKey string
	for _, f := range fields {
		k := yamldoc.Sub(key, f.Key)
		switch f.Key {
		case "name":
			t.Name = r.str(f.Val, k)
		case "from":
			t.From = r.strs(f.Val, k)
		case "roles":
			t.Roles = r.strs(f.Val, k)
		case "fields":
			t.Fields = r.strs(f.Val, k)
			for _, x := range t.Fields {
				if !slices.Contains(typeFields, x) {
					r.report(f.Val, k, "unknown field %q; known: %s", x, strings.Join(typeFields, ", "))
				}
			}
		case "counts":
			t.Counts = r.counts(f.Val, k)
		case "required":
			t.Required = r.strs(f.Val, k)
			reqAt, reqKey = f.Val, k
		case "kind":
			t.Kind = r.str(f.Val, k)
		case "content_type":
			t.ContentType = r.str(f.Val, k)
		default:
			r.unknown(f, k, typeKeys)
		}
	}
	if t.Name == "" {
		r.report(n, key, "a type needs a name")
		return t, false
	}
	if reqAt != nil {
		r.required(reqAt, reqKey, &t)
	}
	return t, true
}

// required reports a required key that t neither counts nor asks as a
// field: the form cannot require what the type does not ask.
func (r *reader) required(n *yaml.Node, key string, t *Type) {
	for _, x := range t.Required {
		if !t.Asks(x) {
			r.report(n, key, "%q is neither a count nor a field of the type %q", x, t.Name)
		}
	}
}

// counts reads a mapping of count keys to the metrics that give them.
func (r *reader) counts(n *yaml.Node, key string) []Count {
	fields, ok := yamldoc.Mapping(n, key, r.report)
	if !ok {
		return nil
	}
	out := make([]Count, 0, len(fields))
	for _, f := range fields {
		k := yamldoc.Sub(key, f.Key)
		if !slices.Contains(harvester.CountKeys, f.Key) {
			if s := harvester.SuggestName(f.Key, harvester.CountKeys); s != "" {
				r.report(f.KeyNode, k, "unknown count (did you mean %q?)", s)
			} else {
				r.report(f.KeyNode, k, "unknown count; known: %s", strings.Join(harvester.CountKeys, ", "))
			}
			continue
		}
		out = append(out, Count{Key: f.Key, From: r.strs(f.Val, k)})
	}
	return out
}

// mappedOnce reports a contriblog type that two of p's types take: which
// one a row goes to would be a guess.
func (r *reader) mappedOnce(n *yaml.Node, at string, p *Profile) {
	owner := map[string]string{}
	for _, t := range p.Types {
		for _, f := range t.From {
			lower := strings.ToLower(f)
			if o, ok := owner[lower]; ok && o != t.Name {
				r.report(n, yamldoc.Sub(at, "types"), "activity type %q is mapped onto both %q and %q", f, o, t.Name)
			}
			owner[lower] = t.Name
		}
	}
}

// clone is a deep copy of p.
func (p *Profile) clone() *Profile {
	c := *p
	c.Types = make([]Type, len(p.Types))
	for i, t := range p.Types {
		t.From, t.Roles, t.Fields = slices.Clone(t.From), slices.Clone(t.Roles), slices.Clone(t.Fields)
		t.Required = slices.Clone(t.Required)
		t.Counts = slices.Clone(t.Counts)
		for j := range t.Counts {
			t.Counts[j].From = slices.Clone(t.Counts[j].From)
		}
		c.Types[i] = t
	}
	c.Areas = slices.Clone(p.Areas)
	c.Audiences, c.Events = slices.Clone(p.Audiences), slices.Clone(p.Events)
	if p.Roles != nil {
		c.Roles = make(map[string]string, len(p.Roles))
		for k, v := range p.Roles {
			c.Roles[k] = v
		}
	}
	return &c
}
