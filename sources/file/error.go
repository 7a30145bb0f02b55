package file

import (
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/contriblog/contriblog/sources/yamldoc"
)

// Error is one problem in a hand-kept file: the file, the line (0 when
// there is none), the entry and key ("[2].date", 0-based) and what was
// expected.
type Error struct {
	File string
	Line int
	Key  string
	Msg  string
}

// Error formats the problem as "file:line: key: msg", leaving out the
// parts that are empty.
func (e *Error) Error() string { return yamldoc.Location(e.File, e.Line, e.Key, e.Msg) }

// problems collects every error found in one file.
type problems struct {
	file string
	errs []*Error
}

func (p *problems) errorf(n *yaml.Node, key, format string, args ...any) {
	line := 0
	if n != nil {
		line = n.Line
	}
	p.errs = append(p.errs, &Error{File: p.file, Line: line, Key: key, Msg: fmt.Sprintf(format, args...)})
}

// err joins the errors in line order; nil when there is none.
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

// syntaxError turns an error of the YAML parser into an Error with its
// line and, for a mistake of structure, a hint (see yamldoc.Hint).
func syntaxError(file string, data []byte, err error) *Error {
	lang := "YAML"
	if isJSON(file) {
		lang = "JSON" // parsed as YAML all the same, which JSON is a subset of
	}
	line, msg := yamldoc.SyntaxError(err)
	return &Error{File: file, Line: line, Msg: "invalid " + lang + ": " + msg + yamldoc.Hint(msg, data, line)}
}

// isJSON reports whether the file's name says JSON; it only changes
// messages.
func isJSON(file string) bool { return strings.EqualFold(filepath.Ext(file), ".json") }
