package yamldoc

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// IndentHint is the advice added to the YAML parser's messages about
// structure, which are nearly always an indentation mistake.
const IndentHint = "check the indentation of this line and the one above it: keys of one mapping line up, list items start with '- ' at the same indentation; YAML does not allow tabs"

// structural lists the parser's messages that are about structure.
var structural = []string{
	"mapping values are not allowed", "did not find expected '-'", "did not find expected key",
	"block sequence entries are not allowed", "could not find expected ':'", "tab character",
}

// noSpaceRe matches a line that starts like "key:value": a ':' with no
// space after it, so YAML reads the whole line as one string.
var noSpaceRe = regexp.MustCompile(`^\s*(-\s+)?[A-Za-z_][A-Za-z0-9_-]*:[^\s/]`)

// Hint returns the advice to add to msg, a message of the YAML parser at
// line (1-based) of src, or "" when msg is not about structure. It names
// a likely culprit line only when a clear rule finds one: a tab in the
// indentation, or a "key:value" line without a space after ':' at or just
// above line.
func Hint(msg string, src []byte, line int) string {
	if !isStructural(msg) {
		return ""
	}
	if n, why := culprit(src, line); n > 0 {
		return fmt.Sprintf(" (likely line %d: %s; %s)", n, why, IndentHint)
	}
	return " (" + IndentHint + ")"
}

func isStructural(msg string) bool {
	for _, s := range structural {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// culprit looks at line and the non-blank line above it (and, for tabs,
// the line below) for a tab in the indentation or a ':' without a space after it.
func culprit(src []byte, line int) (int, string) {
	lines := strings.Split(string(src), "\n")
	if line < 1 || line > len(lines) {
		return 0, ""
	}
	cand := []int{line}
	for i := line - 1; i >= 1; i-- {
		if t := strings.TrimSpace(lines[i-1]); t != "" && !strings.HasPrefix(t, "#") {
			cand = append(cand, i)
			break
		}
	}
	// yaml/v3 reports a tab on the line above it.
	tabs := cand
	if line < len(lines) {
		tabs = append([]int{line + 1}, cand...)
	}
	for _, n := range tabs {
		l := strings.TrimRight(lines[n-1], "\r")
		if indent := l[:len(l)-len(strings.TrimLeft(l, " \t"))]; strings.Contains(indent, "\t") {
			return n, "a tab in the indentation"
		}
	}
	for _, n := range cand {
		if l := lines[n-1]; noSpaceRe.MatchString(l) && !strings.Contains(l, ": ") {
			return n, "':' needs a space after it"
		}
	}
	return 0, ""
}

// dateShapeRe matches the shape of a YYYY-MM-DD date.
var dateShapeRe = regexp.MustCompile(`^\d{4}-(\d{2})-(\d{2})$`)

// NoSuchDay returns "no such month: s" or "no such day: s" when s has the
// shape YYYY-MM-DD but is no calendar day (2026-13-01, 2026-02-30), and ""
// otherwise, so that callers can keep their "expected YYYY-MM-DD" message
// for everything else.
func NoSuchDay(s string) string {
	m := dateShapeRe.FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	if m[1] < "01" || m[1] > "12" {
		return "no such month: " + s
	}
	if _, err := time.Parse("2006-01-02", s); err != nil {
		return "no such day: " + s
	}
	return ""
}
