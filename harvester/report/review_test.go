package report

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// reviewFixture is the fixture as the daemon's review page shows it: one
// row excluded.
func reviewFixture(t *testing.T) Data {
	t.Helper()
	d := fixture(t)
	for i := range d.Rows {
		if d.Rows[i].ID == "judge" {
			d.Rows[i].Excluded = true
		}
	}
	d.Review = &Review{CSRFToken: "T0KEN"}
	return d
}

// TestReviewMode: the review page is the report with the CSRF token, one
// script and one style sheet that its policy allows by their hashes,
// every row listed (an excluded one marked and left out of the figures)
// with its buttons, the edit form labelled for every field, and hostile
// titles escaped in every attribute they reach. The plain report has
// none of it.
func TestReviewMode(t *testing.T) {
	page, doc := render(t, reviewFixture(t))
	csp := ""
	for _, m := range find(doc, isTag("meta")) {
		switch {
		case strings.EqualFold(attr(m, "http-equiv"), "Content-Security-Policy"):
			csp = attr(m, "content")
		case attr(m, "name") == "contriblog-csrf" && attr(m, "content") != "T0KEN":
			t.Errorf("CSRF token %q", attr(m, "content"))
		}
	}
	scripts, styles := find(doc, isTag("script")), find(doc, isTag("style"))
	if csp != ReviewPolicy || len(scripts) != 1 || len(styles) != 1 {
		t.Fatalf("policy %q, %d scripts, %d style sheets", csp, len(scripts), len(styles))
	}
	for what, src := range map[string]string{"script": scripts[0].FirstChild.Data, "style": styles[0].FirstChild.Data} {
		if !strings.Contains(csp, what+"-src '"+styleHash(src)+"'") {
			t.Errorf("the policy does not allow the page's %s by its hash", what)
		}
	}
	for _, want := range []string{"default-src 'none'", "connect-src 'self'", "form-action 'self'", "base-uri 'none'"} {
		if !strings.Contains(csp, want) || strings.Contains(csp, "unsafe") {
			t.Errorf("policy %q: want %s and nothing unsafe", csp, want)
		}
	}
	if strings.Contains(csp, "frame-ancestors") {
		t.Error("frame-ancestors in a meta policy is ignored, with a console error: the daemon sends it as a header")
	}

	judge := byID(t, doc, "row-judge")
	if attr(judge, "class") != "excluded" || len(find(judge, func(n *html.Node) bool { return attr(n, "data-action") == "include" })) != 1 {
		t.Errorf("the excluded row is not marked, or has no Include button: %q", text(judge))
	}
	if types := tableColumn(t, byID(t, doc, "all-types-data"), 1); types["Hackathon judge"] != "" || types["Blog"] != "2" {
		t.Errorf("the figures count the excluded row: %v", types)
	}
	if h := text(byID(t, doc, "contributions-h")); h != "All contributions (10)" {
		t.Errorf("table heading %q; want every row", h)
	}
	if zt := byID(t, doc, "row-zt"); len(find(zt, func(n *html.Node) bool { return attr(n, "data-action") == "split" })) != 1 {
		t.Error("no Split button on a row of two observations")
	}
	if ca := byID(t, doc, "row-ca"); len(find(ca, func(n *html.Node) bool {
		return attr(n, "data-action") == "unmark" && attr(n, "data-records") == `["ca"]`
	})) != 1 {
		t.Error("no Unmark button with its record on the submitted row")
	}
	edit := find(byID(t, doc, "row-hostile2"), func(n *html.Node) bool { return attr(n, "data-action") == "edit" })
	if len(edit) != 1 || attr(edit[0], "data-title") != `"><img src=x onerror=alert(1)>` || attr(edit[0], "aria-label") != `Edit "><img src=x onerror=alert(1)>` {
		t.Errorf("the hostile title in the Edit button's attributes: %v", edit)
	}
	for _, tag := range []string{"img", "iframe", "object", "embed"} {
		if n := len(find(doc, isTag(tag))); n > 0 {
			t.Errorf("%d <%s> elements in the page", n, tag)
		}
	}
	if strings.Count(page, "<script>") != 1 {
		t.Error("raw <script> markup in the page besides its own script")
	}
	for _, input := range find(byID(t, doc, "edit-dialog"), func(n *html.Node) bool { return n.Data == "input" || n.Data == "select" }) {
		id := attr(input, "id")
		if labels := find(doc, func(n *html.Node) bool { return n.Data == "label" && attr(n, "for") == id }); id == "" || len(labels) != 1 {
			t.Errorf("edit field %q has %d labels", id, len(labels))
		}
	}

	plain, _ := render(t, fixture(t))
	for _, s := range []string{"<script", "contriblog-csrf", "data-action", "<dialog"} {
		if strings.Contains(plain, s) {
			t.Errorf("the plain report has %s", s)
		}
	}
}
