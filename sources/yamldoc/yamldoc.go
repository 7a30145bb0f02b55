// Package yamldoc reads YAML that a person wrote: the config file and the
// hand-kept contributions file. Both want the same things from a
// go.yaml.in/yaml/v3 node tree: aliases and merge keys resolved, a
// mapping's entries in file order with duplicate keys reported, values
// described for "expected X, got Y" messages, key paths such as
// sources[2].url, typo suggestions for unknown keys, and the parser's
// own errors turned into file:line messages.
package yamldoc

import (
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Field is one entry of a mapping: its key and its value, aliases
// followed.
type Field struct {
	Key     string
	KeyNode *yaml.Node
	Val     *yaml.Node
}

// Reporter records a problem at node n (nil when there is none) under the
// key path path.
type Reporter func(n *yaml.Node, path, format string, args ...any)

// maxAliasHops bounds alias chains; yaml/v3 refuses cycles already.
const maxAliasHops = 64

// Resolve follows aliases to the node they name.
func Resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < maxAliasHops; i++ {
		n = n.Alias
	}
	return n
}

// Absent reports whether n says nothing: missing, null, or an empty plain
// or quoted string (the JSON export writes "" for an empty end_date).
func Absent(n *yaml.Node) bool {
	n = Resolve(n)
	return n == nil || n.Kind == yaml.ScalarNode && (n.ShortTag() == "!!null" || n.Value == "")
}

// Describe names the YAML type of n for "expected X, got Y" messages.
func Describe(n *yaml.Node) string {
	switch n = Resolve(n); {
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

var plainKeyRe = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// Sub is the key path of key inside path: "sources[2]" + "url" is
// "sources[2].url"; a key that is not a plain name is quoted.
func Sub(path, key string) string {
	if !plainKeyRe.MatchString(key) {
		return path + "[" + strconv.Quote(key) + "]"
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

// Index is the key path of the i-th element (0-based) of the list at path.
func Index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// maxMergeDepth bounds nested merge keys (<<: *a where a merges b ...).
const maxMergeDepth = 16

// Mapping returns the entries of the mapping n in file order, with YAML
// merge keys (<<: *defaults, or a list of them: the first that has a key
// wins) applied; keys written in the mapping win over merged ones. A node
// that is not a mapping, a key that is not a plain value and a duplicate
// key are reported; the result is false only when n is no mapping.
func Mapping(n *yaml.Node, path string, report Reporter) ([]Field, bool) {
	return mapping(n, path, report, 0)
}

func mapping(n *yaml.Node, path string, report Reporter, depth int) ([]Field, bool) {
	n = Resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		report(n, path, "expected a mapping (key: value lines), got %s", Describe(n))
		return nil, false
	}
	if depth > maxMergeDepth {
		report(n, path, "merge keys (<<) nested too deeply")
		return nil, false
	}
	written := map[string]*yaml.Node{}
	var out []Field
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := Resolve(n.Content[i]), n.Content[i+1]
		switch {
		case k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge":
			merges = append(merges, v)
		case k.Kind != yaml.ScalarNode:
			report(k, path, "a key must be a plain name, got %s", Describe(k))
		case written[k.Value] != nil:
			report(k, Sub(path, k.Value), "duplicate key (first at line %d)", written[k.Value].Line)
		default:
			written[k.Value] = k
			out = append(out, Field{Key: k.Value, KeyNode: k, Val: Resolve(v)})
		}
	}
	for _, m := range merges {
		m = Resolve(m)
		srcs := []*yaml.Node{m}
		if m != nil && m.Kind == yaml.SequenceNode {
			srcs = m.Content
		}
		for _, s := range srcs {
			fields, ok := mapping(s, Sub(path, "<<"), report, depth+1)
			if !ok {
				continue
			}
			for _, f := range fields {
				if written[f.Key] == nil {
					written[f.Key] = f.KeyNode
					out = append(out, f)
				}
			}
		}
	}
	return out, true
}

var yamlLineRe = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// SyntaxError splits an error of the YAML parser into the line it names
// (0 when it names none) and its message, with a hint for the most
// common cause.
func SyntaxError(err error) (line int, msg string) {
	full := err.Error()
	msg = strings.TrimPrefix(full, "yaml: ")
	if m := yamlLineRe.FindStringSubmatch(full); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
		if parserProblem(msg) {
			line++
		}
	}
	if strings.Contains(full, "cannot start any token") {
		msg += ` (a value that starts with @ or a backquote must be quoted, e.g. schedule: "@every 6h")`
	}
	return line, msg
}

// parserProblem reports whether msg is one of the YAML parser's (not
// scanner's) problems. yaml/v3 prints their 0-based line, pointing at the
// start of the enclosing construct; the scanner's lines are 1-based.
func parserProblem(msg string) bool {
	for _, p := range []string{
		"did not find expected ',' or ']'", "did not find expected ',' or '}'",
		"did not find expected '-' indicator", "did not find expected <document start>",
		"did not find expected key", "did not find expected node content",
		"found duplicate %", "found incompatible YAML document", "found undefined tag handle",
	} {
		if msg == p || strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}

// Location formats a problem as "file:line: key: msg", leaving out the
// parts that are empty or zero.
func Location(file string, line int, key, msg string) string {
	var b strings.Builder
	b.WriteString(file)
	if line > 0 {
		b.WriteString(":" + strconv.Itoa(line))
	}
	b.WriteString(": ")
	if key != "" {
		b.WriteString(key + ": ")
	}
	b.WriteString(msg)
	return b.String()
}
