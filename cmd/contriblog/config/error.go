package config

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Error is one problem in a config file: the file, the line (0 when the
// problem has none), the key path ("sources[2].url", 0-based indexes) and
// what was expected. Its message never carries a secret or the value of an
// environment variable.
type Error struct {
	File string
	Line int
	Key  string
	Msg  string

	wrapped error // the underlying error, e.g. from reading the file
}

// Error formats the problem as "file:line: key: msg", leaving out the
// parts that are empty.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":" + strconv.Itoa(e.Line))
	}
	b.WriteString(": ")
	if e.Key != "" {
		b.WriteString(e.Key + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns the error the problem came from, if any (for errors.Is
// with fs.ErrNotExist on a missing file).
func (e *Error) Unwrap() error { return e.wrapped }

// problems collects every error and warning found in one file.
type problems struct {
	file  string
	errs  []*Error
	warns []*Error
}

// errorf records an error at n's line.
func (p *problems) errorf(n *yaml.Node, key, format string, args ...any) {
	p.errs = append(p.errs, &Error{File: p.file, Line: lineOf(n), Key: key, Msg: fmt.Sprintf(format, args...)})
}

// warnf records a warning at n's line.
func (p *problems) warnf(n *yaml.Node, key, format string, args ...any) {
	p.warns = append(p.warns, &Error{File: p.file, Line: lineOf(n), Key: key, Msg: fmt.Sprintf(format, args...)})
}

// err joins every error, ordered by line so that a person can fix them top
// down; nil when there is none.
func (p *problems) err() error {
	if len(p.errs) == 0 {
		return nil
	}
	sort.SliceStable(p.errs, func(i, j int) bool { return p.errs[i].Line < p.errs[j].Line })
	errs := make([]error, len(p.errs))
	for i, e := range p.errs {
		errs[i] = e
	}
	return errors.Join(errs...)
}

// warnings formats the warnings, ordered by line.
func (p *problems) warnings() []string {
	if len(p.warns) == 0 {
		return nil
	}
	sort.SliceStable(p.warns, func(i, j int) bool { return p.warns[i].Line < p.warns[j].Line })
	out := make([]string, len(p.warns))
	for i, w := range p.warns {
		out[i] = w.Error()
	}
	return out
}

func lineOf(n *yaml.Node) int {
	if n == nil {
		return 0
	}
	return n.Line
}

var yamlLineRe = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxError turns an error of the YAML parser into an Error with the
// line it names, and adds a hint for the most common cause.
func syntaxError(file string, err error) *Error {
	msg := err.Error()
	e := &Error{File: file, Msg: strings.TrimPrefix(msg, "yaml: ")}
	if m := yamlLineRe.FindStringSubmatch(msg); m != nil {
		e.Line, _ = strconv.Atoi(m[1])
		e.Msg = m[2]
		if parserProblem(e.Msg) {
			e.Line++
		}
	}
	e.Msg = "invalid YAML: " + e.Msg
	if strings.Contains(msg, "cannot start any token") {
		e.Msg += ` (a value that starts with @ or a backquote must be quoted, e.g. schedule: "@every 6h")`
	}
	return e
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
