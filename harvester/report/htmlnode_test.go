package report

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// find returns the nodes under n (n included) that match, in document
// order.
func find(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if match(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func isTag(tag string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Type == html.ElementNode && n.Data == tag }
}

func hasClass(class string) func(*html.Node) bool {
	return func(n *html.Node) bool {
		return n.Type == html.ElementNode && strings.Contains(" "+attr(n, "class")+" ", " "+class+" ")
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// text is n's text content, spaces collapsed.
func text(n *html.Node) string {
	var b strings.Builder
	for _, t := range find(n, func(n *html.Node) bool { return n.Type == html.TextNode }) {
		b.WriteString(t.Data)
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

func byIDOrNil(doc *html.Node, id string) *html.Node {
	if found := find(doc, func(n *html.Node) bool { return n.Type == html.ElementNode && attr(n, "id") == id }); len(found) > 0 {
		return found[0]
	}
	return nil
}

func byID(t *testing.T, doc *html.Node, id string) *html.Node {
	t.Helper()
	n := byIDOrNil(doc, id)
	if n == nil {
		t.Fatalf("no element #%s", id)
	}
	return n
}

// tableColumn maps each body row's header (its first cell) to the text
// of its cell col (-1: the last).
func tableColumn(t *testing.T, table *html.Node, col int) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, body := range find(table, isTag("tbody")) {
		for _, tr := range find(body, isTag("tr")) {
			cells := find(tr, func(n *html.Node) bool { return n.Type == html.ElementNode && (n.Data == "td" || n.Data == "th") })
			i := col
			if i < 0 {
				i = len(cells) - 1
			}
			if i >= len(cells) {
				t.Fatalf("a row of %d cells has no cell %d", len(cells), col)
			}
			out[text(cells[0])] = text(cells[i])
		}
	}
	return out
}
