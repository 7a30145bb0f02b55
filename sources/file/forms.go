package file

import (
	"math"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/sources/yamldoc"
)

// formsField reads the keys of what the programs' forms ask
// (docs/sources.md#entry-keys): private_description, microsoft_event,
// high_impact and counts. It reports whether f was one of them.
func (r *reader) formsField(o *harvester.Observation, f field, k string) bool {
	switch f.Key {
	case "private_description":
		o.PrivateDescription = harvester.PlainText(r.str(f, k))
	case "microsoft_event":
		o.MicrosoftEvent = harvester.CleanText(r.str(f, k))
	case "high_impact":
		o.HighImpact = r.boolean(f, k)
	case "counts":
		o.Counts = r.counts(f, k)
	default:
		return false
	}
	return true
}

// boolean reads true or false.
func (r *reader) boolean(f field, k string) bool {
	if f.Val.Kind == yaml.ScalarNode {
		switch strings.ToLower(strings.TrimSpace(f.Val.Value)) {
		case "true":
			return true
		case "false":
			return false
		}
	}
	r.errorf(f.Val, k, "expected true or false, got %s", describeValue(f.Val))
	return false
}

// counts reads a mapping of counts, {views: 1200, attendees: 80}: keys
// from harvester.CountKeys, whole numbers of 0 or more (0 is a count, not
// "not given"); nil when it gives none.
func (r *reader) counts(f field, k string) map[string]int64 {
	if n := yamldoc.Resolve(f.Val); n == nil || n.Kind != yaml.MappingNode {
		r.errorf(f.Val, k, "expected counts as {KEY: N, ...}, KEY one of %s; got %s",
			strings.Join(harvester.CountKeys, ", "), yamldoc.Describe(f.Val))
		return nil
	}
	fields, ok := r.mapping(f.Val, k)
	if !ok {
		return nil
	}
	var out map[string]int64
	for _, c := range fields {
		ck := key(k, c.Key)
		if !harvester.IsCountKey(c.Key) {
			r.errorf(c.KeyNode, ck, "%s", harvester.CountKeyError(c.Key).Error())
			continue
		}
		if yamldoc.Absent(c.Val) {
			continue
		}
		if c.Val.Kind != yaml.ScalarNode {
			r.errorf(c.Val, ck, "expected a whole number, got %s", yamldoc.Describe(c.Val))
			continue
		}
		if out == nil {
			out = map[string]int64{}
		}
		out[c.Key] = r.count(c, ck, math.MaxInt64)
	}
	return out
}

// describeValue is a scalar's text, quoted, or what the node is.
func describeValue(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode {
		return `"` + shorten(n.Value) + `"`
	}
	return yamldoc.Describe(n)
}
