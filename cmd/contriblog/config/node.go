package config

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// field is one key of a YAML mapping and its value, aliases followed.
type field struct {
	key     string
	keyNode *yaml.Node
	val     *yaml.Node
}

// parser reads the YAML tree, expanding ${VAR} in every scalar it reads
// and recording every problem instead of stopping at the first.
type parser struct {
	problems
	getenv func(string) string
	now    time.Time
}

// scalar is a scalar value as read: after ${VAR} expansion, with what was
// written and whether any of it came from the environment.
type scalar struct {
	value   string
	raw     string
	fromEnv bool
	node    *yaml.Node
}

// show quotes the value for a message. A value that came from the
// environment is never shown: the message quotes what was written.
func (s scalar) show() string {
	if s.fromEnv {
		return fmt.Sprintf("%q (value from the environment not shown)", shorten(s.raw, 80))
	}
	return strconv.Quote(redact(shorten(s.value, 120)))
}

var userinfoRe = regexp.MustCompile(`//[^/@?#\s]*@`)

// redact hides the user-info part of anything that looks like a URL, so a
// password in a URL never reaches a message.
func redact(s string) string { return userinfoRe.ReplaceAllString(s, "//***@") }

// resolve follows aliases to the node they name.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 64; i++ {
		n = n.Alias
	}
	return n
}

// absent reports whether n says nothing: missing, null, or a string of
// nothing but white space. An absent optional key takes its default; an
// absent required key is missing.
func absent(n *yaml.Node) bool {
	n = resolve(n)
	return n == nil || n.Kind == yaml.ScalarNode && (n.ShortTag() == "!!null" || strings.TrimSpace(n.Value) == "")
}

// describe names the YAML type of n for "expected X, got Y" messages.
func describe(n *yaml.Node) string {
	switch n = resolve(n); {
	case n == nil:
		return "nothing"
	case n.Kind == yaml.MappingNode:
		return "a mapping"
	case n.Kind == yaml.SequenceNode:
		return "a list"
	case n.Kind != yaml.ScalarNode:
		return "something that is not a value"
	}
	switch n.ShortTag() {
	case "!!null":
		return "nothing"
	case "!!bool":
		return "a boolean"
	case "!!int", "!!float":
		return "a number"
	case "!!timestamp":
		return "a date"
	}
	return "a string"
}

// sub is the key path of key inside path: "sources[2]" + "url".
func sub(path, key string) string {
	if !plainKeyRe.MatchString(key) {
		return path + "[" + strconv.Quote(key) + "]"
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

var plainKeyRe = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// index is the key path of the i-th element (0-based) of the list at path.
func index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// mapping returns the entries of the mapping n in file order, with YAML
// merge keys (<<: *defaults) applied: keys written in the mapping win over
// merged ones. It reports a node that is not a mapping and duplicate keys.
func (p *parser) mapping(n *yaml.Node, path string) ([]field, bool) {
	return p.mappingDepth(n, path, 0)
}

func (p *parser) mappingDepth(n *yaml.Node, path string, depth int) ([]field, bool) {
	n = resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		p.errorf(n, path, "expected a mapping (key: value lines), got %s", describe(n))
		return nil, false
	}
	if depth > 16 {
		p.errorf(n, path, "merge keys (<<) nested too deeply")
		return nil, false
	}
	written := map[string]*yaml.Node{}
	var out []field
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
			merges = append(merges, v)
			continue
		}
		if k.Kind != yaml.ScalarNode {
			p.errorf(k, path, "a key must be a plain name, got %s", describe(k))
			continue
		}
		if first, dup := written[k.Value]; dup {
			p.errorf(k, sub(path, k.Value), "duplicate key (first at line %d)", first.Line)
			continue
		}
		written[k.Value] = k
		out = append(out, field{key: k.Value, keyNode: k, val: resolve(v)})
	}
	for _, m := range merges {
		out = p.merge(out, written, m, path, depth)
	}
	return out, true
}

// merge appends the entries of a merge key's value (a mapping or a list of
// mappings; the first one that has a key wins) that out does not have yet.
func (p *parser) merge(out []field, have map[string]*yaml.Node, m *yaml.Node, path string, depth int) []field {
	m = resolve(m)
	srcs := []*yaml.Node{m}
	if m != nil && m.Kind == yaml.SequenceNode {
		srcs = m.Content
	}
	for _, s := range srcs {
		fields, ok := p.mappingDepth(s, sub(path, "<<"), depth+1)
		if !ok {
			continue
		}
		for _, f := range fields {
			if _, dup := have[f.key]; !dup {
				have[f.key] = f.keyNode
				out = append(out, f)
			}
		}
	}
	return out
}

// list returns the elements of the list n, aliases followed.
func (p *parser) list(n *yaml.Node, path string) ([]*yaml.Node, bool) {
	n = resolve(n)
	if n == nil || n.Kind != yaml.SequenceNode {
		p.errorf(n, path, "expected a list, got %s", describe(n))
		return nil, false
	}
	out := make([]*yaml.Node, len(n.Content))
	for i, c := range n.Content {
		out[i] = resolve(c)
	}
	return out, true
}

// scalar reads n as a scalar with ${VAR} expanded. It returns false, with
// nothing recorded, when n is absent; and false, with an error recorded,
// when n is not a scalar or its expansion failed. want names the
// expected type for the error ("a string").
func (p *parser) scalar(n *yaml.Node, path, want string) (scalar, bool) {
	n = resolve(n)
	if absent(n) {
		return scalar{}, false
	}
	if n.Kind != yaml.ScalarNode {
		p.errorf(n, path, "expected %s, got %s", want, describe(n))
		return scalar{}, false
	}
	val, vars, probs := expand(n.Value, p.getenv)
	for _, msg := range probs {
		p.errorf(n, path, "%s", msg)
	}
	if len(probs) > 0 {
		return scalar{}, false
	}
	return scalar{value: val, raw: n.Value, fromEnv: len(vars) > 0, node: n}, true
}

// str reads a string; leading and trailing white space is dropped.
func (p *parser) str(n *yaml.Node, path string) (scalar, bool) {
	s, ok := p.scalar(n, path, "a string")
	s.value = strings.TrimSpace(s.value)
	return s, ok && s.value != ""
}

// strList reads a list of non-empty strings; a single string is a list of
// one.
func (p *parser) strList(n *yaml.Node, path string) ([]string, bool) {
	n = resolve(n)
	if absent(n) {
		return nil, false
	}
	if n.Kind == yaml.ScalarNode {
		s, ok := p.str(n, path)
		if !ok {
			return nil, false
		}
		return []string{s.value}, true
	}
	items, ok := p.list(n, path)
	if !ok {
		return nil, false
	}
	out := make([]string, 0, len(items))
	for i, it := range items {
		ip := index(path, i)
		if it.Kind != yaml.ScalarNode {
			p.errorf(it, ip, "expected a string, got %s", describe(it))
			continue
		}
		s, ok := p.scalar(it, ip, "a string")
		if v := strings.TrimSpace(s.value); ok && v != "" {
			out = append(out, v)
		} else if ok || absent(it) {
			p.errorf(it, ip, "empty entry")
		}
	}
	return out, true
}

// boolean reads true/false (yes/no and on/off are accepted too).
func (p *parser) boolean(n *yaml.Node, path string) (bool, bool) {
	s, ok := p.scalar(n, path, "true or false")
	if !ok {
		return false, false
	}
	switch strings.ToLower(strings.TrimSpace(s.value)) {
	case "true", "yes", "on":
		return true, true
	case "false", "no", "off":
		return false, true
	}
	p.errorf(n, path, "expected true or false, got %s", s.show())
	return false, false
}

// integer reads a whole number (decimal, or 0x/0o/0b, _ allowed).
func (p *parser) integer(n *yaml.Node, path string) (int64, bool) {
	s, ok := p.scalar(n, path, "a whole number")
	if !ok {
		return 0, false
	}
	v, err := strconv.ParseInt(strings.TrimSpace(s.value), 0, 64)
	if err != nil {
		p.errorf(n, path, "expected a whole number, got %s", s.show())
		return 0, false
	}
	return v, true
}
