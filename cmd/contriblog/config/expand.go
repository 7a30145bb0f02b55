package config

import (
	"fmt"
	"regexp"
	"strings"
)

var varNameRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// expand replaces every ${NAME} in s with getenv(NAME) and every $$ with a
// literal $; any other $ stays as it is. It returns the names it expanded,
// the names among them that are unset (or empty), and one message per
// malformed reference. Messages name variables, never their values.
func expand(s string, getenv func(string) string) (out string, vars, unset, problems []string) {
	if !strings.Contains(s, "$") {
		return s, nil, nil, nil
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c != '$' || i+1 == len(s) {
			b.WriteByte(c)
			i++
			continue
		}
		switch s[i+1] {
		case '$':
			b.WriteByte('$')
			i += 2
			continue
		case '{':
		default:
			b.WriteByte(c)
			i++
			continue
		}
		end := strings.IndexByte(s[i+2:], '}')
		if end < 0 {
			problems = append(problems, "unterminated ${ (write $$ for a literal $)")
			return s, vars, unset, problems
		}
		name := s[i+2 : i+2+end]
		i += 2 + end + 1
		if !varNameRe.MatchString(name) {
			problems = append(problems, fmt.Sprintf("invalid variable reference ${%s}: a name is letters, digits and _ (write $$ for a literal $)", shorten(name, 40)))
			continue
		}
		vars = append(vars, name)
		v := getenv(name)
		if v == "" {
			unset = append(unset, name)
			continue
		}
		b.WriteString(v)
	}
	return b.String(), vars, unset, problems
}

// unsetMessage is the problem of an unset variable.
func unsetMessage(name string) string {
	return fmt.Sprintf("environment variable %s is not set (or is empty)", name)
}

// shorten cuts s to at most n runes for a message.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
