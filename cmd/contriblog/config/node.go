package config

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/contriblog/contriblog/sources/fetch"
	"github.com/contriblog/contriblog/sources/spec"
	"github.com/contriblog/contriblog/sources/yamldoc"

	"go.yaml.in/yaml/v3"
)

// field is one key of a mapping and its value, aliases followed.
type field = yamldoc.Field

// parser reads the YAML tree, expanding ${VAR} in every scalar it reads
// and recording every problem instead of stopping at the first.
type parser struct {
	problems
	getenv func(string) string
	env    []envUse // the scalars that came from the environment: secrets
	now    time.Time
	types  []*spec.Type // the source types a config may name
	// unset, while a source's own keys are read, collects their unset
	// ${VAR}s instead of reporting them: the source then fails when it is
	// harvested, and only then (docs/configuration.md#environment-variables).
	unset *[]UnsetVar
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
// password in a URL never reaches a message, and the secret parts of a
// value that is one URL (a calendar's private address, ?token=).
func redact(s string) string {
	if httpURL(s) {
		return fetch.Redact(s)
	}
	return userinfoRe.ReplaceAllString(s, "//***@")
}

// mapping returns the entries of the mapping n in file order, with YAML
// merge keys applied (see yamldoc.Mapping), reporting problems.
func (p *parser) mapping(n *yaml.Node, path string) ([]field, bool) {
	return yamldoc.Mapping(n, path, p.errorf)
}

// list returns the elements of the list n, aliases followed.
func (p *parser) list(n *yaml.Node, path string) ([]*yaml.Node, bool) {
	n = yamldoc.Resolve(n)
	if n == nil || n.Kind != yaml.SequenceNode {
		p.errorf(n, path, "expected a list, got %s", yamldoc.Describe(n))
		return nil, false
	}
	out := make([]*yaml.Node, len(n.Content))
	for i, c := range n.Content {
		out[i] = yamldoc.Resolve(c)
	}
	return out, true
}

// scalar reads n as a scalar with ${VAR} expanded. It returns false, with
// nothing recorded, when n is absent; and false, with an error recorded,
// when n is not a scalar or its expansion failed. want names the
// expected type for the error ("a string").
func (p *parser) scalar(n *yaml.Node, path, want string) (scalar, bool) {
	n = yamldoc.Resolve(n)
	if yamldoc.Absent(n) {
		return scalar{}, false
	}
	if n.Kind != yaml.ScalarNode {
		p.errorf(n, path, "expected %s, got %s", want, yamldoc.Describe(n))
		return scalar{}, false
	}
	val, vars, unset, probs := expand(n.Value, p.getenv)
	for _, msg := range probs {
		p.errorf(n, path, "%s", msg)
	}
	for _, name := range unset {
		if p.unset != nil {
			*p.unset = append(*p.unset, UnsetVar{Name: name, Key: path, Line: lineOf(n)})
		} else {
			p.errorf(n, path, "%s", unsetMessage(name))
		}
	}
	if len(probs) > 0 || len(unset) > 0 {
		return scalar{}, false
	}
	if len(vars) > 0 {
		p.env = append(p.env, envUse{path: path, value: val, vars: vars})
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
	n = yamldoc.Resolve(n)
	if yamldoc.Absent(n) {
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
		ip := yamldoc.Index(path, i)
		if it.Kind != yaml.ScalarNode {
			p.errorf(it, ip, "expected a string, got %s", yamldoc.Describe(it))
			continue
		}
		s, ok := p.scalar(it, ip, "a string")
		if v := strings.TrimSpace(s.value); ok && v != "" {
			out = append(out, v)
		} else if ok || yamldoc.Absent(it) {
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
