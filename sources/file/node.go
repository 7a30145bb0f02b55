package file

import (
	"go.yaml.in/yaml/v3"

	"github.com/contriblog/contriblog/sources/yamldoc"
)

// field is one key of a YAML mapping and its value, aliases followed.
type field = yamldoc.Field

// mapping returns the entries of the mapping n in file order, with YAML
// merge keys (<<: *base) applied: keys written in the mapping win. It
// reports a node that is not a mapping and duplicate keys.
func (p *problems) mapping(n *yaml.Node, path string) ([]field, bool) {
	if m := yamldoc.Resolve(n); m == nil || m.Kind != yaml.MappingNode {
		p.errorf(n, path, "expected an entry (key: value lines), got %s", yamldoc.Describe(n))
		return nil, false
	}
	return yamldoc.Mapping(n, path, p.errorf)
}

// key is the key path of key inside entry path "[2]".
func key(path, k string) string { return yamldoc.Sub(path, k) }
