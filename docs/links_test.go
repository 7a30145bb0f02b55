// Package docs_test checks that the manual holds together: every relative
// link in the README and in docs/ names a file that exists and, with a
// #fragment, a heading in it; every docs page and heading a code comment
// cites resolves the same way; and no comment cites the old contract
// document by section number any more (the spec lives here now).
package docs_test

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// root is the repository, one level up from this directory.
const root = ".."

func TestMarkdownLinksResolve(t *testing.T) {
	pages := append([]string{"README.md"}, glob(t, "docs/*.md")...)
	link := regexp.MustCompile(`\]\(([^)\s]+)\)`)
	for _, page := range pages {
		body := read(t, page)
		for _, m := range link.FindAllStringSubmatch(stripCode(body), -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			file, frag, _ := strings.Cut(target, "#")
			if file == "" {
				file = page
			} else {
				file = filepath.ToSlash(filepath.Join(filepath.Dir(page), file))
			}
			if err := resolves(file, frag); err != "" {
				t.Errorf("%s: link %s: %s", page, target, err)
			}
		}
	}
}

func TestCodeReferencesResolve(t *testing.T) {
	ref := regexp.MustCompile(`docs/([a-z0-9_-]+\.md)(#[a-z0-9_-]+)?`)
	walkGo(t, func(path string, line int, text string) {
		if strings.Contains(text, "contract §") {
			t.Errorf("%s:%d: cites the contract by section; cite the docs page and heading (docs/<page>.md#<heading>) instead", path, line)
		}
		for _, m := range ref.FindAllStringSubmatch(text, -1) {
			if err := resolves("docs/"+m[1], strings.TrimPrefix(m[2], "#")); err != "" {
				t.Errorf("%s:%d: %s: %s", path, line, m[0], err)
			}
		}
	})
}

// resolves says what is wrong with file#frag, or "".
func resolves(file, frag string) string {
	data, err := os.ReadFile(filepath.Join(root, file))
	if err != nil {
		return "no such file"
	}
	if frag == "" || !strings.HasSuffix(file, ".md") {
		return ""
	}
	if !anchors(string(data))[frag] {
		return "no heading with the anchor #" + frag + " in " + file
	}
	return ""
}

// anchors are the fragment ids GitHub gives a page's headings: lower
// case, spaces to hyphens, punctuation other than hyphens and
// underscores dropped, and -1, -2 … after a repeated one.
func anchors(md string) map[string]bool {
	out := map[string]bool{}
	seen := map[string]int{}
	for _, line := range strings.Split(stripCode(md), "\n") {
		if !strings.HasPrefix(line, "#") {
			continue
		}
		title := strings.TrimSpace(strings.TrimLeft(line, "#"))
		var b strings.Builder
		for _, r := range strings.ToLower(title) {
			switch {
			case r == ' ':
				b.WriteRune('-')
			case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
				b.WriteRune(r)
			}
		}
		a := b.String()
		if n := seen[a]; n > 0 {
			out[a+"-"+strconv.Itoa(n)] = true
		} else {
			out[a] = true
		}
		seen[a]++
	}
	return out
}

// stripCode blanks fenced code blocks, where '#' starts a shell comment,
// not a heading, and [x](y) is not a link.
func stripCode(md string) string {
	var b strings.Builder
	fenced := false
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			fenced = !fenced
			b.WriteString("\n")
			continue
		}
		if !fenced {
			b.WriteString(line)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func walkGo(t *testing.T, fn func(path string, line int, text string)) {
	t.Helper()
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "links_test.go") {
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for n := 1; sc.Scan(); n++ {
			if i := strings.Index(sc.Text(), "//"); i >= 0 {
				fn(path, n, sc.Text()[i:])
			}
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
}

func glob(t *testing.T, pattern string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(root, pattern))
	if err != nil || len(m) == 0 {
		t.Fatalf("glob %s: %v (%d files)", pattern, err, len(m))
	}
	for i := range m {
		m[i], _ = filepath.Rel(root, m[i])
		m[i] = filepath.ToSlash(m[i])
	}
	return m
}

func read(t *testing.T, file string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, file))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
