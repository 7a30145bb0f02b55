package config

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/sources/fetch"
	"github.com/contriblog/contriblog/sources/spec"
	"github.com/contriblog/contriblog/sources/yamldoc"
)

// commonKeys are accepted by every source type; each type adds its own
// (spec.Type.Keys).
var commonKeys = []string{"name", "type", "person", "schedule", "enabled", "activity",
	"match", "areas", "timezone", "priority", "target_audience"}

var sourceNameRe = regexp.MustCompile(`^[a-z0-9-]+$`)

// sources reads the sources list; names must be unique.
func (p *parser) sources(f field, cfg *Config) []Source {
	items, _ := p.list(f.Val, "sources")
	lines := map[string]int{} // name -> line of its first source
	var out []Source
	for i, it := range items {
		path := yamldoc.Index("sources", i)
		s, ok := p.source(it, path, cfg)
		if !ok {
			continue
		}
		if first, dup := lines[s.Name]; dup && s.Name != "" {
			p.errorf(it, yamldoc.Sub(path, "name"), "duplicate source name %q (first at line %d)", s.Name, first)
		} else {
			lines[s.Name] = s.Line
		}
		out = append(out, s)
	}
	return out
}

// source reads one entry of sources.
func (p *parser) source(n *yaml.Node, path string, cfg *Config) (Source, bool) {
	fields, ok := p.mapping(n, path)
	if !ok {
		return Source{}, false
	}
	s := Source{Line: n.Line, Person: cfg.Person, Enabled: true, Timezone: cfg.Timezone}
	set := map[string]field{}
	for _, f := range fields {
		set[f.Key] = f
	}
	if s.Spec = p.sourceType(set, n, path); s.Spec != nil {
		s.Type, s.Values = s.Spec.Name, spec.Values{}
	}
	for _, f := range fields {
		if f.Key == "type" || !p.keyAllowed(f, s.Spec, path) || yamldoc.Absent(f.Val) {
			continue
		}
		p.sourceField(&s, f, yamldoc.Sub(path, f.Key), cfg)
	}
	p.sourceDefaults(&s, set, n, path, cfg.Vocabulary)
	p.plainHTTPSecret(s, set, path)
	return s, true
}

// plainHTTPSecret warns about a secret (a github token, the user:password
// of a url) bound for plain http:// on another machine: fetch refuses to
// send it, so the source will fail on every pass. A URL key that a Secret
// key is SentTo is checked for that secret; any other for its user-info.
func (p *parser) plainHTTPSecret(s Source, set map[string]field, path string) {
	if s.Spec == nil {
		return
	}
	for _, k := range s.Spec.Keys {
		if k.Kind != spec.URL {
			continue
		}
		secret, what := secretFor(s.Spec, k.Name), "the user:password in the URL"
		if secret != "" {
			what = "the " + secret
			if s.Values.String(secret) == "" {
				continue
			}
		}
		raw := s.Values.String(k.Name)
		u, err := url.Parse(raw)
		if raw == "" || err != nil || fetch.SecretAllowed(u) || (secret == "" && u.User == nil) {
			continue
		}
		f := set[k.Name]
		host := u.Host
		if strings.Contains(f.Val.Value, "${") {
			host = "a host (value from the environment not shown)"
		}
		p.warnf(f.Val, yamldoc.Sub(path, k.Name), "plain http:// to %s, which is not this machine: contriblog will not send %s over it, so this source will fail; use https://", host, what)
	}
}

// sourceField reads one key of a source into s.
func (p *parser) sourceField(s *Source, f field, key string, cfg *Config) {
	switch f.Key {
	case "name":
		if v, ok := p.str(f.Val, key); ok {
			if !sourceNameRe.MatchString(v.value) {
				p.errorf(f.Val, key, "a source name is lowercase letters, digits and -, got %s", v.show())
			}
			s.Name = v.value
		}
	case "person":
		v, _ := p.str(f.Val, key)
		s.Person = v.value
	case "schedule":
		s.Schedule, _ = p.schedule(f, key)
	case "enabled":
		if v, ok := p.boolean(f.Val, key); ok {
			s.Enabled = v
		}
	case "activity":
		s.Activity = p.activity(f, key, cfg.Vocabulary)
	case "match":
		s.Match, _ = p.strList(f.Val, key)
	case "areas":
		s.Areas, _ = p.strList(f.Val, key)
	case "target_audience":
		s.TargetAudience = p.audience(f, key)
	case "timezone":
		if loc, _, ok := p.location(f, key); ok {
			s.Timezone = loc
		}
	default:
		p.typeField(s, f, key, cfg)
	}
}

// typeField reads the keys sourceField leaves: priority, and the keys of
// the source's type, each as its Kind says.
func (p *parser) typeField(s *Source, f field, key string, cfg *Config) {
	if f.Key == "priority" {
		if v, ok := p.integer(f.Val, key); ok {
			if v < math.MinInt32 || v > math.MaxInt32 {
				p.errorf(f.Val, key, "priority %d is out of range", v)
			}
			s.Priority = int(v)
		}
		return
	}
	k, _ := s.Spec.Key(f.Key) // keyAllowed let through only the type's keys
	// A key given as an unset ${VAR} is left out of Values and recorded
	// in s.Unset; sourceDefaults still sees the key as given.
	p.unset = &s.Unset
	defer func() { p.unset = nil }()
	if v, ok := p.typed(f, key, k, cfg.Dir); ok {
		s.Values[k.Name] = v
	}
}

// audience reads target_audience: a list of strings (one string is a list
// of one). A mapping, a nested list, a number or a true/false is a
// mistake: it says what an audience is.
func (p *parser) audience(f field, key string) []string {
	const want = "a list of audiences such as [Developers, IT Pros]"
	n := yamldoc.Resolve(f.Val)
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		items = n.Content
	} else if n.Kind != yaml.ScalarNode {
		p.errorf(n, key, "target_audience is %s, got %s", want, yamldoc.Describe(n))
		return nil
	}
	var out []string
	for i, it := range items {
		it = yamldoc.Resolve(it)
		ik := key
		if n.Kind == yaml.SequenceNode {
			ik = yamldoc.Index(key, i)
		}
		if it == nil || it.Kind != yaml.ScalarNode || (it.ShortTag() != "!!str" && it.ShortTag() != "!!null") {
			p.errorf(it, ik, "target_audience is %s; this entry is %s (quote it if it is a name)", want, yamldoc.Describe(it))
			continue
		}
		if s, ok := p.str(it, ik); ok {
			out = appendNew(out, s.value)
		} else if yamldoc.Absent(it) {
			p.errorf(it, ik, "empty entry in target_audience")
		}
	}
	return out
}

// appendNew appends v unless list has it, ignoring case.
func appendNew(list []string, v string) []string {
	for _, have := range list {
		if strings.EqualFold(have, v) {
			return list
		}
	}
	return append(list, v)
}

// activity resolves a source's activity against the vocabulary, so that
// it is spelled as the vocabulary spells it.
func (p *parser) activity(f field, key string, vocab *harvester.Vocabulary) string {
	v, ok := p.str(f.Val, key)
	if !ok {
		return ""
	}
	name, err := vocab.Resolve(v.value)
	if err != nil {
		p.errorf(f.Val, key, "unknown activity type %s; known types: %s (add others under activity_types:)", v.show(), strings.Join(vocab.Names(), ", "))
		return ""
	}
	return name
}

// sourceDefaults checks the required keys and fills the type's defaults.
func (p *parser) sourceDefaults(s *Source, set map[string]field, n *yaml.Node, path string, vocab *harvester.Vocabulary) {
	if f, ok := set["name"]; !ok || yamldoc.Absent(f.Val) {
		p.errorf(n, yamldoc.Sub(path, "name"), "name is required (lowercase letters, digits and -)")
	}
	if s.Spec == nil {
		return
	}
	for _, k := range s.Spec.Keys {
		f, ok := set[k.Name]
		absent := !ok || yamldoc.Absent(f.Val)
		if absent && k.Required {
			p.errorf(n, yamldoc.Sub(path, k.Name), "%s is required for a %s source", k.Name, s.Type)
		}
		if absent && k.Default != nil {
			s.Values[k.Name] = k.Default
		}
	}
	if f, ok := set["activity"]; (!ok || yamldoc.Absent(f.Val)) && s.Spec.Activity != "" {
		// Through the vocabulary, which activity_types may have respelled.
		s.Activity, _ = vocab.Resolve(s.Spec.Activity)
	}
}

// UnsetVar is a ${NAME} in one of a source's own keys (url, token, …)
// whose variable is not set, or is empty.
type UnsetVar struct {
	Name string // the variable
	Key  string // the key path, as "sources[2].token"
	Line int
}

// ErrUnsetVariable is matched (errors.Is) by UnsetError's error.
var ErrUnsetVariable = errors.New("environment variable not set")

// UnsetError is nil when every ${VAR} of the source's own keys is set;
// else it names each unset variable with its key and line in file: the
// error of harvesting the source. It matches ErrUnsetVariable. Commands
// that contact no source run all the same
// (docs/configuration.md#environment-variables).
func (s Source) UnsetError(file string) error {
	if len(s.Unset) == 0 {
		return nil
	}
	return &unsetError{file: file, vars: s.Unset}
}

type unsetError struct {
	file string
	vars []UnsetVar
}

func (e *unsetError) Error() string {
	msgs := make([]string, len(e.vars))
	for i, u := range e.vars {
		msgs[i] = fmt.Sprintf("environment variable %s is not set (%s at %s:%d)", u.Name, u.Key, e.file, u.Line)
	}
	return strings.Join(msgs, "; ") + ": set it, or comment out the key"
}

func (e *unsetError) Is(target error) bool { return target == ErrUnsetVariable }

// UnsetVars returns one *Error per unset ${VAR} of any source's own
// keys, joined: what `validate` reports unless --no-env.
func (c *Config) UnsetVars() error {
	var errs []error
	for _, s := range c.Sources {
		for _, u := range s.Unset {
			errs = append(errs, &Error{File: c.Path, Line: u.Line, Key: u.Key,
				Msg: unsetMessage(u.Name) + fmt.Sprintf(": source %s fails until it is", s.Name)})
		}
	}
	return errors.Join(errs...)
}

// String describes the source for messages: name, type and line. It
// never includes the token.
func (s Source) String() string {
	return fmt.Sprintf("%s (%s, line %d)", s.Name, s.Type, s.Line)
}
