package config

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/contriblog/contriblog/sources/spec"
	"github.com/contriblog/contriblog/sources/yamldoc"
)

// The keys of a source's type, read as the type's description
// (spec.Type, registered in SourceTypes) says.

// sourceType reads type; nil when it is missing or unknown (reported).
func (p *parser) sourceType(set map[string]field, n *yaml.Node, path string) *spec.Type {
	f, ok := set["type"]
	if !ok || yamldoc.Absent(f.Val) {
		p.errorf(n, yamldoc.Sub(path, "type"), "type is required: one of %s", strings.Join(p.typeNames(), ", "))
		return nil
	}
	s, ok := p.str(f.Val, yamldoc.Sub(path, "type"))
	if !ok {
		return nil
	}
	t := p.lookupType(strings.ToLower(s.value))
	if t == nil {
		p.errorf(f.Val, yamldoc.Sub(path, "type"), "unknown source type %s: expected one of %s", s.show(), strings.Join(p.typeNames(), ", "))
	}
	return t
}

// keyAllowed reports whether a source of type typ takes f's key; it
// reports the keys it does not. When the type is unknown (nil), only keys
// that no type takes are reported.
func (p *parser) keyAllowed(f field, typ *spec.Type, path string) bool {
	var own []string
	if typ != nil {
		own = typ.KeyNames()
	}
	if contains(commonKeys, f.Key) || contains(own, f.Key) {
		return true
	}
	var takers []string
	for _, t := range p.types {
		if _, ok := t.Key(f.Key); ok {
			takers = append(takers, t.Name)
		}
	}
	switch {
	case len(takers) > 0 && typ == nil:
	case len(takers) > 0:
		p.errorf(f.KeyNode, yamldoc.Sub(path, f.Key), "%q does not apply to a %s source (only to %s)", f.Key, typ.Name, strings.Join(takers, ", "))
	default:
		p.unknownKey(f, path, append(append([]string{}, commonKeys...), own...))
	}
	return false
}

// typed reads the value of a key of a source's type, as its Kind says.
func (p *parser) typed(f field, key string, k spec.Key, dir string) (any, bool) {
	switch k.Kind {
	case spec.URL:
		return p.url(f, key)
	case spec.Path:
		return p.path(f, key, dir)
	case spec.Secret:
		return p.secret(f, key)
	case spec.Size:
		return p.size(f, key)
	case spec.Duration:
		return p.duration(f, key)
	case spec.List:
		return p.checkedList(f, key, k)
	}
	v, ok := p.str(f.Val, key)
	if ok && k.Check != nil {
		if err := k.Check(v.value); err != nil {
			p.errorf(f.Val, key, "%s: %s", err.Error(), v.show())
		}
	}
	return v.value, ok
}

// checkedList reads a List key: one string or a list of them, each
// entry checked by k.Check.
func (p *parser) checkedList(f field, key string, k spec.Key) (any, bool) {
	l, ok := p.strList(f.Val, key)
	if !ok || k.Check == nil {
		return l, ok
	}
	for i, v := range l {
		if err := k.Check(v); err != nil {
			p.errorf(f.Val, yamldoc.Index(key, i), "%s: %s", err.Error(), strconv.Quote(redact(shorten(v, 120))))
		}
	}
	return l, ok
}

// secretFor names t's Secret key that is sent to the URL key urlKey; ""
// when there is none.
func secretFor(t *spec.Type, urlKey string) string {
	for _, k := range t.Keys {
		if k.Kind == spec.Secret && k.SentTo == urlKey {
			return k.Name
		}
	}
	return ""
}

// typeNames are the names of the source types, in order.
func (p *parser) typeNames() []string {
	out := make([]string, len(p.types))
	for i, t := range p.types {
		out[i] = t.Name
	}
	return out
}

// lookupType returns the source type named name, or nil.
func (p *parser) lookupType(name string) *spec.Type {
	for _, t := range p.types {
		if t.Name == name {
			return t
		}
	}
	return nil
}
