package file

import (
	"strconv"

	"go.yaml.in/yaml/v3"
)

// field is one key of a YAML mapping and its value, aliases followed.
type field struct {
	key     string
	keyNode *yaml.Node
	val     *yaml.Node
}

// resolve follows aliases to the node they name.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 64; i++ {
		n = n.Alias
	}
	return n
}

// absent reports whether n says nothing: missing, null or an empty plain
// or quoted string (the JSON export writes "" for an empty end_date).
func absent(n *yaml.Node) bool {
	n = resolve(n)
	return n == nil || n.Kind == yaml.ScalarNode && (n.ShortTag() == "!!null" || n.Value == "")
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

// key is the key path of key inside entry path "[2]".
func key(path, k string) string { return path + "." + k }

// index is the key path of the i-th (0-based) element of a list.
func index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// mapping returns the entries of the mapping n in file order, with YAML
// merge keys (<<: *base) applied: keys written in the mapping win. It
// reports a node that is not a mapping and duplicate keys.
func (p *problems) mapping(n *yaml.Node, path string, depth int) ([]field, bool) {
	n = resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		p.errorf(n, path, "expected an entry (key: value lines), got %s", describe(n))
		return nil, false
	}
	if depth > 16 {
		p.errorf(n, path, "merge keys (<<) nested too deeply")
		return nil, false
	}
	have := map[string]*yaml.Node{}
	var out []field
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), n.Content[i+1]
		switch {
		case k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge":
			merges = append(merges, v)
		case k.Kind != yaml.ScalarNode:
			p.errorf(k, path, "a key must be a plain name, got %s", describe(k))
		case have[k.Value] != nil:
			p.errorf(k, key(path, k.Value), "duplicate key (first at line %d)", have[k.Value].Line)
		default:
			have[k.Value] = k
			out = append(out, field{key: k.Value, keyNode: k, val: resolve(v)})
		}
	}
	for _, m := range merges {
		m = resolve(m)
		srcs := []*yaml.Node{m}
		if m != nil && m.Kind == yaml.SequenceNode {
			srcs = m.Content
		}
		for _, s := range srcs {
			fields, _ := p.mapping(s, key(path, "<<"), depth+1)
			for _, f := range fields {
				if have[f.key] == nil {
					have[f.key] = f.keyNode
					out = append(out, f)
				}
			}
		}
	}
	return out, true
}
