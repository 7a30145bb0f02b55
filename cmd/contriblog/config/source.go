package config

import (
	"fmt"
	"math"
	"net/url"
	"regexp"
	"strings"

	"github.com/contriblog/contriblog/sources/yamldoc"

	"go.yaml.in/yaml/v3"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/sources/fetch"
)

// SourceTypes are the values of a source's type, in contract order.
var SourceTypes = []string{"feed", "github", "ics", "sessionize", "file"}

// commonKeys are accepted by every source type.
var commonKeys = []string{"name", "type", "person", "schedule", "enabled", "activity",
	"match", "areas", "timezone", "priority"}

// typeKeys are the keys each source type accepts besides commonKeys.
var typeKeys = map[string][]string{
	"feed":       {"url", "max_bytes"},
	"github":     {"user", "token", "base_url", "max_wait", "max_bytes"},
	"ics":        {"url", "max_bytes"},
	"sessionize": {"url", "speaker", "event", "max_bytes"},
	"file":       {"path"},
}

// requiredKeys are the keys each source type cannot do without.
var requiredKeys = map[string][]string{
	"feed":       {"url"},
	"github":     {"user"},
	"ics":        {"url"},
	"sessionize": {"url", "speaker"},
	"file":       {"path"},
}

// defaultActivity is each type's activity when the source names none.
var defaultActivity = map[string]string{
	"feed":       harvester.TypeBlog,
	"github":     harvester.TypeOpenSource,
	"ics":        harvester.TypeThirdParty,
	"sessionize": harvester.TypeThirdParty,
	"file":       "",
}

var (
	sourceNameRe = regexp.MustCompile(`^[a-z0-9-]+$`)
	githubUserRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$`)
)

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
	s.Type = p.sourceType(set, n, path)
	for _, f := range fields {
		if f.Key == "type" || !p.keyAllowed(f, s.Type, path) || yamldoc.Absent(f.Val) {
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
// send it, so the source will fail on every pass.
func (p *parser) plainHTTPSecret(s Source, set map[string]field, path string) {
	key, raw, what := "url", s.URL, "the user:password in the URL"
	if s.Type == "github" {
		key, raw, what = "base_url", s.BaseURL, "the token"
		if s.Token == "" {
			return
		}
	}
	u, err := url.Parse(raw)
	if raw == "" || err != nil || fetch.SecretAllowed(u) || (s.Type != "github" && u.User == nil) {
		return
	}
	f := set[key]
	host := u.Host
	if strings.Contains(f.Val.Value, "${") {
		host = "a host (value from the environment not shown)"
	}
	p.warnf(f.Val, yamldoc.Sub(path, key), "plain http:// to %s, which is not this machine: contriblog will not send %s over it, so this source will fail; use https://", host, what)
}

// sourceType reads type; "" when it is missing or unknown (reported).
func (p *parser) sourceType(set map[string]field, n *yaml.Node, path string) string {
	f, ok := set["type"]
	if !ok || yamldoc.Absent(f.Val) {
		p.errorf(n, yamldoc.Sub(path, "type"), "type is required: one of %s", strings.Join(SourceTypes, ", "))
		return ""
	}
	s, ok := p.str(f.Val, yamldoc.Sub(path, "type"))
	if !ok {
		return ""
	}
	t := strings.ToLower(s.value)
	if !contains(SourceTypes, t) {
		p.errorf(f.Val, yamldoc.Sub(path, "type"), "unknown source type %s: expected one of %s", s.show(), strings.Join(SourceTypes, ", "))
		return ""
	}
	return t
}

// keyAllowed reports whether a source of type typ takes f's key; it
// reports the keys it does not. When the type is unknown, only keys that
// no type takes are reported.
func (p *parser) keyAllowed(f field, typ, path string) bool {
	if contains(commonKeys, f.Key) || contains(typeKeys[typ], f.Key) {
		return true
	}
	var takers []string
	for _, t := range SourceTypes {
		if contains(typeKeys[t], f.Key) {
			takers = append(takers, t)
		}
	}
	switch {
	case len(takers) > 0 && typ == "":
	case len(takers) > 0:
		p.errorf(f.KeyNode, yamldoc.Sub(path, f.Key), "%q does not apply to a %s source (only to %s)", f.Key, typ, strings.Join(takers, ", "))
	default:
		p.unknownKey(f, path, append(append([]string{}, commonKeys...), typeKeys[typ]...))
	}
	return false
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
	case "timezone":
		if loc, _, ok := p.location(f, key); ok {
			s.Timezone = loc
		}
	default:
		p.typeField(s, f, key, cfg)
	}
}

// typeField reads the keys sourceField leaves: priority, and those that
// only some source types take.
func (p *parser) typeField(s *Source, f field, key string, cfg *Config) {
	switch f.Key {
	case "priority":
		if v, ok := p.integer(f.Val, key); ok {
			if v < math.MinInt32 || v > math.MaxInt32 {
				p.errorf(f.Val, key, "priority %d is out of range", v)
			}
			s.Priority = int(v)
		}
	case "max_bytes":
		s.MaxBytes, _ = p.size(f, key)
	case "url":
		s.URL, _ = p.url(f, key)
	case "base_url":
		s.BaseURL, _ = p.url(f, key)
	case "path":
		s.Path, _ = p.path(f, key, cfg.Dir)
	case "user":
		if v, ok := p.str(f.Val, key); ok {
			if !githubUserRe.MatchString(v.value) {
				p.errorf(f.Val, key, "not a GitHub user name: %s", v.show())
			}
			s.User = v.value
		}
	case "token":
		s.Token, _ = p.secret(f, key)
	case "max_wait":
		s.MaxWait, _ = p.duration(f, key)
	case "speaker":
		v, _ := p.str(f.Val, key)
		s.Speaker = v.value
	case "event":
		v, _ := p.str(f.Val, key)
		s.Event = v.value
	}
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
	if s.Type == "" {
		return
	}
	for _, k := range requiredKeys[s.Type] {
		if f, ok := set[k]; !ok || yamldoc.Absent(f.Val) {
			p.errorf(n, yamldoc.Sub(path, k), "%s is required for a %s source", k, s.Type)
		}
	}
	if f, ok := set["activity"]; (!ok || yamldoc.Absent(f.Val)) && defaultActivity[s.Type] != "" {
		// Through the vocabulary, which activity_types may have respelled.
		s.Activity, _ = vocab.Resolve(defaultActivity[s.Type])
	}
	if s.Type != "file" && s.MaxBytes == 0 {
		s.MaxBytes = DefaultMaxBytes
	}
	if s.Type == "github" {
		if f, ok := set["max_wait"]; !ok || yamldoc.Absent(f.Val) {
			s.MaxWait = DefaultMaxWait
		}
	}
}

// String describes the source for messages: name, type and line. It
// never includes the token.
func (s Source) String() string {
	return fmt.Sprintf("%s (%s, line %d)", s.Name, s.Type, s.Line)
}
