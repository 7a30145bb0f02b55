package yamldoc

import "testing"

func TestNoSuchDay(t *testing.T) {
	for in, want := range map[string]string{
		"2026-02-30": "no such day: 2026-02-30",
		"2026-04-31": "no such day: 2026-04-31",
		"2026-02-00": "no such day: 2026-02-00",
		"2026-13-01": "no such month: 2026-13-01",
		"2026-00-10": "no such month: 2026-00-10",
		"2028-02-29": "",
		"2026-02-28": "",
		"01/04/2025": "", // a wrong shape keeps the "expected YYYY-MM-DD" message
		"2026-2-3":   "",
	} {
		if got := NoSuchDay(in); got != want {
			t.Errorf("NoSuchDay(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHint(t *testing.T) {
	tests := []struct {
		name, msg, src string
		line           int
		want           string
	}{
		{"not structural", "did not find expected ',' or ']'", "a: [x\n", 1, ""},
		{"plain", "mapping values are not allowed in this context", "a: b\n   c: d\n", 2, " (" + IndentHint + ")"},
		{"no space above", "mapping values are not allowed in this context", "a:\n  url:x\n  c: d\n", 3,
			" (likely line 2: ':' needs a space after it; " + IndentHint + ")"},
		{"url is no culprit", "mapping values are not allowed in this context", "a: https://x\n   c: d\n", 2, " (" + IndentHint + ")"},
		{"tab below", "found a tab character that violates indentation", "a:\n  b: c\n\td: e\n", 2,
			" (likely line 3: a tab in the indentation; " + IndentHint + ")"},
		{"line out of range", "did not find expected key", "a: b\n", 9, " (" + IndentHint + ")"},
	}
	for _, tc := range tests {
		if got := Hint(tc.msg, []byte(tc.src), tc.line); got != tc.want {
			t.Errorf("%s: Hint = %q, want %q", tc.name, got, tc.want)
		}
	}
}
