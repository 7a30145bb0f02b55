package file

import (
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
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

var yamlLineRe = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxError turns an error of the YAML parser into an Error with its
// line. yaml/v3 prints the parser's (not the scanner's) lines 0-based.
func syntaxError(file string, err error) *Error {
	lang := "YAML"
	if isJSON(file) {
		lang = "JSON" // parsed as YAML all the same, which JSON is a subset of
	}
	msg := err.Error()
	e := &Error{File: file, Msg: strings.TrimPrefix(msg, "yaml: ")}
	if m := yamlLineRe.FindStringSubmatch(msg); m != nil {
		e.Line, _ = strconv.Atoi(m[1])
		e.Msg = m[2]
		if strings.HasPrefix(e.Msg, "did not find expected ") && !strings.Contains(e.Msg, "character") &&
			!strings.Contains(e.Msg, "line break") && !strings.Contains(e.Msg, "number") {
			e.Line++
		}
	}
	e.Msg = "invalid " + lang + ": " + e.Msg
	if strings.Contains(msg, "cannot start any token") {
		e.Msg += " (a value that starts with @ or a backquote must be quoted)"
	}
	return e
}

// isJSON reports whether the file's name says JSON; it only changes
// messages.
func isJSON(file string) bool { return strings.EqualFold(filepath.Ext(file), ".json") }
