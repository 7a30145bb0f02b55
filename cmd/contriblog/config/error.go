package config

import (
	"errors"
	"fmt"
	"sort"

	"go.yaml.in/yaml/v3"

	"github.com/contriblog/contriblog/sources/yamldoc"
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
func (e *Error) Error() string { return yamldoc.Location(e.File, e.Line, e.Key, e.Msg) }

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

// syntaxError turns an error of the YAML parser into an Error with the
// line it names and, for a mistake of structure, a hint (see yamldoc.Hint).
func syntaxError(file string, data []byte, err error) *Error {
	line, msg := yamldoc.SyntaxError(err)
	return &Error{File: file, Line: line, Msg: "invalid YAML: " + msg + yamldoc.Hint(msg, data, line)}
}
