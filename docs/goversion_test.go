package docs_test

import (
	"regexp"
	"testing"
)

// The Go version the README and the development page ask for is the one
// go.mod needs (its go line): a person with an older Go would otherwise
// follow the README into "go.mod requires go >= …".
func TestGoVersionMatchesGoMod(t *testing.T) {
	m := regexp.MustCompile(`(?m)^go (\d+\.\d+(?:\.\d+)?)\s*$`).FindStringSubmatch(read(t, "go.mod"))
	if m == nil {
		t.Fatal("go.mod has no go line")
	}
	want := m[1]
	said := regexp.MustCompile(`Go (\d+\.\d+(?:\.\d+)?) or newer`)
	for _, page := range []string{"README.md", "docs/development.md"} {
		found := said.FindAllStringSubmatch(read(t, page), -1)
		if len(found) == 0 {
			t.Errorf("%s does not say which Go it needs (\"Go %s or newer\")", page, want)
		}
		for _, f := range found {
			if f[1] != want {
				t.Errorf("%s asks for Go %s or newer; go.mod needs go %s", page, f[1], want)
			}
		}
	}
}
