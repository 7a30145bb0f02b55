package yamldoc

import (
	"fmt"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestMapping(t *testing.T) {
	src := `base: &base {a: 1, b: 2}
entry:
  <<: *base
  b: 3
  c: 4
  c: 5
`
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	var problems []string
	report := func(n *yaml.Node, path, format string, args ...any) {
		problems = append(problems, fmt.Sprintf("%d %s: ", n.Line, path)+fmt.Sprintf(format, args...))
	}
	top, ok := Mapping(doc.Content[0], "", report)
	if !ok || len(top) != 2 {
		t.Fatalf("top = %v, %v", top, ok)
	}
	fields, ok := Mapping(top[1].Val, "entry", report)
	var got []string
	for _, f := range fields {
		got = append(got, f.Key+"="+f.Val.Value)
	}
	if !ok || strings.Join(got, " ") != "b=3 c=4 a=1" {
		t.Errorf("fields = %v, want the written keys first, then the merged one not written", got)
	}
	if len(problems) != 1 || problems[0] != "6 entry.c: duplicate key (first at line 5)" {
		t.Errorf("problems = %q", problems)
	}
	problems = nil
	if _, ok := Mapping(top[0].Val.Content[1], "base.a", report); ok || !strings.Contains(problems[0], "got a number") {
		t.Errorf("a scalar as a mapping: ok=%v problems=%q", ok, problems)
	}
}

func TestPaths(t *testing.T) {
	for _, tt := range []struct{ got, want string }{
		{Sub("", "sources"), "sources"},
		{Sub(Index("sources", 2), "url"), "sources[2].url"},
		{Sub("areas", "Identity & Access"), `areas["Identity & Access"]`},
		{Location("c.yaml", 3, "k", "bad"), "c.yaml:3: k: bad"},
		{Location("c.yaml", 0, "", "bad"), "c.yaml: bad"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

func TestSyntaxError(t *testing.T) {
	for _, tt := range []struct {
		src  string
		line int
		msg  string
	}{
		{"a: 1\nb: [1, 2\n", 2, "did not find expected ',' or ']'"},
		{"a: 1\nb: @x\n", 2, "must be quoted"},
	} {
		var n yaml.Node
		err := yaml.Unmarshal([]byte(tt.src), &n)
		if err == nil {
			t.Fatalf("%q parsed", tt.src)
		}
		line, msg := SyntaxError(err)
		if line != tt.line || !strings.Contains(msg, tt.msg) {
			t.Errorf("SyntaxError(%v) = %d %q, want line %d and %q", err, line, msg, tt.line, tt.msg)
		}
	}
}
