package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/program"
)

// generatedAt is the fixture's clock: its rows fall in the twelve
// months before it.
var generatedAt = time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)

// fixture is the report of testdata/rows.json for the mvp program: two
// persons, ten rows (one of a type the program does not take, two with
// hostile text), one of them recorded as submitted.
func fixture(t *testing.T) Data {
	t.Helper()
	log := readRows(t)
	var ca *harvester.Contribution
	for i := range log {
		if log[i].ID == "ca" {
			ca = &log[i]
		}
	}
	subs := []harvester.Submission{harvester.NewSubmission("mvp", ca, harvester.SubmittedMarked, time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC))}
	rows := Attach(log, log, subs)
	prof, ok := program.Builtin("mvp")
	if !ok {
		t.Fatal("no built-in mvp profile")
	}
	since, until := Window(generatedAt, prof)
	return Data{Rows: rows, Program: prof, Since: since, Until: until, GeneratedAt: generatedAt}
}

func readRows(t *testing.T) []harvester.Contribution {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "rows.json"))
	if err != nil {
		t.Fatal(err)
	}
	var log []harvester.Contribution
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatal(err)
	}
	return log
}

// render renders d and parses the page.
func render(t *testing.T, d Data) (string, *html.Node) {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, d); err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("the report is no HTML: %v", err)
	}
	return buf.String(), doc
}

func TestReportSections(t *testing.T) {
	_, doc := render(t, fixture(t))
	if h := text(byID(t, doc, "all-h")); h != "Everyone" {
		t.Errorf("summary heading %q", h)
	}
	wantTypes := map[string]string{"Blog": "2", "Article": "1", "Talk": "2", "Talk (MS)": "1", "OSS": "1",
		"User group": "1", "Mentoring": "1", "Hackathon judge": "1"}
	got := tableColumn(t, byID(t, doc, "all-types-data"), 1)
	if !equalMaps(got, wantTypes) {
		t.Errorf("totals by type\n got %v\nwant %v", got, wantTypes)
	}
	if q := tableColumn(t, byID(t, doc, "all-types-data"), 2)["Mentoring"]; q != "3" {
		t.Errorf("quantity of Mentoring %q, want the row's 3", q)
	}

	months := byID(t, doc, "all-monthly-data")
	totals := tableColumn(t, months, -1)
	want := map[string]string{"November 2025": "0", "January 2026": "2", "February 2026": "1", "March 2026": "3",
		"May 2026": "1", "June 2026": "1", "October 2026": "1", "November 2026": "1"}
	for m, n := range want {
		if totals[m] != n {
			t.Errorf("%s: %q contributions, want %s", m, totals[m], n)
		}
	}
	if len(totals) != 13 {
		t.Errorf("%d months from 2025-11-22 to 2026-11-22, want 13: %v", len(totals), totals)
	}
	// The chart draws what the table says: a bar segment per non-zero
	// cell, and each month's total.
	chart := byID(t, doc, "all-monthly")
	cells, sum := 0, 0
	for _, tr := range find(months, isTag("tr")) {
		tds := find(tr, isTag("td"))
		for _, td := range tds[:max(len(tds)-1, 0)] {
			if text(td) != "0" {
				cells++
			}
		}
	}
	for _, g := range find(chart, hasClass("month")) {
		n := 0
		for _, c := range attr(g, "data-total") {
			n = n*10 + int(c-'0')
		}
		sum += n
	}
	if bars := len(find(chart, hasClass("bar"))); bars != cells || cells != 8 {
		t.Errorf("monthly chart: %d segments, %d non-zero cells, want 8 of each", bars, cells)
	}
	if sum != 10 {
		t.Errorf("monthly chart totals add up to %d, want 10", sum)
	}

	reach := tableColumn(t, byID(t, doc, "all-reach-data"), 1)
	if !equalMaps(reach, map[string]string{"Blog": "1,200", "Article": "120", "Talk": "300", "OSS": "45", "Mentoring": "3"}) {
		t.Errorf("reach by type: %v", reach)
	}
	areas := tableColumn(t, byID(t, doc, "all-areas-data"), 1)
	if areas["Identity & Access"] != "3" || areas["Azure Infrastructure as Code"] != "1" || areas["(no area)"] != "6" {
		t.Errorf("areas (primary): %v", areas)
	}
	if extra := tableColumn(t, byID(t, doc, "all-areas-data"), 2)["Identity & Access"]; extra != "1" {
		t.Errorf("Identity & Access as an additional area: %q, want 1", extra)
	}

	var talks []string
	for _, tr := range find(byID(t, doc, "all-talks-data"), isTag("tr"))[1:] {
		tds := find(tr, isTag("td"))
		talks = append(talks, text(tds[0])+"|"+text(tds[1])+"|"+text(tds[3]))
	}
	wantTalks := []string{
		"2026-03-20|Zero Trust in Practice|cloudsummit.example",
		"2026-03-20|Notes on the Analytical Engine|meetup.example",
		"2026-10-24|<script>alert(1)</script>|",
	}
	if strings.Join(talks, "\n") != strings.Join(wantTalks, "\n") {
		t.Errorf("talks (the user group is no talk):\n%s\nwant\n%s", strings.Join(talks, "\n"), strings.Join(wantTalks, "\n"))
	}

	rows := find(byID(t, doc, "contributions"), isTag("tbody"))[0]
	trs := find(rows, isTag("tr"))
	if len(trs) != 10 {
		t.Fatalf("full table: %d rows, want 10", len(trs))
	}
	status := map[string]string{}
	for _, tr := range trs {
		tds := find(tr, isTag("td"))
		status[strings.TrimPrefix(attr(tr, "id"), "row-")] = text(tds[len(tds)-1])
	}
	if status["ca"] != "submitted 2026-05-01 (marked)" || status["judge"] != "type not taken" || status["bicep"] != "to submit" {
		t.Errorf("status column: %v", status)
	}
	if s := text(byID(t, doc, "to-submit")); !strings.HasPrefix(s, "8 of the rows below (1 submitted, 1 of a type") {
		t.Errorf("still to submit: %q", s)
	}
}

// TestReportChartsHaveTextAlternatives: every chart is an image with a
// title and a description, and a table of its numbers beside it.
func TestReportChartsHaveTextAlternatives(t *testing.T) {
	_, doc := render(t, fixture(t))
	seen := map[string]bool{}
	for _, n := range find(doc, func(n *html.Node) bool { return n.Type == html.ElementNode && attr(n, "id") != "" }) {
		if id := attr(n, "id"); seen[id] {
			t.Errorf("id %q is used twice: references to it are ambiguous", id)
		} else {
			seen[id] = true
		}
	}
	charts := find(doc, hasClass("chart-svg"))
	if len(charts) != 3*4 {
		t.Fatalf("%d charts, want four (types, months, reach, areas) for everyone and each of two persons", len(charts))
	}
	for _, svg := range charts {
		id := attr(svg, "id")
		if attr(svg, "role") != "img" {
			t.Errorf("%s: role %q, want img", id, attr(svg, "role"))
		}
		labels := strings.Fields(attr(svg, "aria-labelledby"))
		if len(labels) != 2 {
			t.Errorf("%s: aria-labelledby %q", id, attr(svg, "aria-labelledby"))
			continue
		}
		for i, tag := range []string{"title", "desc"} {
			el := byID(t, doc, labels[i])
			if el.Data != tag || el.Parent != svg || len(text(el)) < 20 {
				t.Errorf("%s: %s is <%s> %q, want the chart's own <%s>", id, labels[i], el.Data, text(el), tag)
			}
		}
		if byIDOrNil(doc, id+"-data") == nil {
			t.Errorf("%s: no data table %s-data", id, id)
		}
		if len(find(svg, isTag("pattern"))) == 0 && !strings.HasSuffix(id, "-areas") {
			t.Errorf("%s: no fill patterns: colour alone would tell the types apart", id)
		}
	}
}

func TestReportHostileText(t *testing.T) {
	page, doc := render(t, fixture(t))
	for _, tag := range []string{"script", "img", "iframe", "object", "embed"} {
		if n := len(find(doc, isTag(tag))); n > 0 {
			t.Errorf("%d <%s> elements in the page", n, tag)
		}
	}
	for _, n := range find(doc, func(*html.Node) bool { return true }) {
		for _, a := range n.Attr {
			if strings.HasPrefix(strings.ToLower(a.Key), "on") {
				t.Errorf("<%s %s=%q>: an event handler", n.Data, a.Key, a.Val)
			}
			if v := strings.ToLower(strings.TrimSpace(a.Val)); (a.Key == "href" || a.Key == "src") &&
				(strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "data:")) {
				t.Errorf("<%s %s=%q>: a hostile link is clickable", n.Data, a.Key, a.Val)
			}
		}
	}
	for _, id := range []string{"row-hostile1", "row-hostile2"} {
		title := find(byID(t, doc, id), hasClass("title"))[0]
		switch id {
		case "row-hostile1":
			if !strings.HasPrefix(text(title), "<script>alert(1)</script>") || len(find(title, isTag("a"))) != 0 {
				t.Errorf("%s: %q, want the title as text and no link (javascript:)", id, text(title))
			}
			if !strings.Contains(text(title), "javascript:alert(1)") {
				t.Errorf("%s: the refused URL is not shown as text: %q", id, text(title))
			}
		case "row-hostile2":
			links := find(title, isTag("a"))
			if !strings.HasPrefix(text(title), `"><img src=x onerror=alert(1)>`) || len(links) != 2 ||
				attr(links[0], "href") != "https://github.example/x/y" || attr(links[1], "href") != "https://mirror.example/y" {
				t.Errorf("%s: %q with %d links, want the title as text and the two https links only", id, text(title), len(links))
			}
		}
	}
	if strings.Contains(page, "<script>") || strings.Contains(page, "<img ") {
		t.Error("raw hostile markup in the page source")
	}
}

// TestReportOffline: the page asks for nothing — no script, style sheet,
// font, image or frame from anywhere — and links only to the anchors it
// has and the contributions' own http(s) URLs.
func TestReportOffline(t *testing.T) {
	d := fixture(t)
	allowed := map[string]bool{}
	for _, r := range d.Rows {
		for _, u := range append([]string{r.URL}, r.OtherURLs...) {
			allowed[u] = true
		}
	}
	_, doc := render(t, d)
	for _, n := range find(doc, func(n *html.Node) bool { return n.Type == html.ElementNode }) {
		switch n.Data {
		case "script", "link", "img", "iframe", "frame", "object", "embed", "audio", "video", "source", "base", "form", "image", "use", "foreignobject":
			t.Errorf("<%s>: an element that loads or runs something", n.Data)
		case "style":
			css := strings.ToLower(text(n))
			if strings.Contains(css, "url(") || strings.Contains(css, "@import") || strings.Contains(css, "@font-face") {
				t.Error("the style sheet loads something")
			}
		}
		for _, a := range n.Attr {
			key, val := strings.ToLower(a.Key), strings.TrimSpace(a.Val)
			switch {
			case key == "href" && n.Data == "a":
				if strings.HasPrefix(val, "#") {
					if byIDOrNil(doc, val[1:]) == nil {
						t.Errorf("link to a missing anchor %s", val)
					}
				} else if !allowed[val] || !(strings.HasPrefix(val, "https://") || strings.HasPrefix(val, "http://")) {
					t.Errorf("link to %q, not a contribution's own http(s) URL", val)
				}
			case key == "src", key == "srcset", key == "href", key == "action", key == "formaction", key == "poster",
				key == "data", key == "background", key == "ping", a.Namespace == "xlink", key == "style":
				t.Errorf("<%s %s=%q>: may load something", n.Data, a.Key, a.Val)
			case strings.Contains(strings.ToLower(val), "url("):
				id := strings.TrimSuffix(strings.TrimPrefix(val, "url(#"), ")")
				if !strings.HasPrefix(val, "url(#") || byIDOrNil(doc, id) == nil {
					t.Errorf("<%s %s=%q>: not a reference inside the page", n.Data, a.Key, a.Val)
				}
			}
		}
	}
	csp := ""
	for _, m := range find(doc, isTag("meta")) {
		if strings.EqualFold(attr(m, "http-equiv"), "Content-Security-Policy") {
			csp = attr(m, "content")
		}
	}
	if !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "unsafe") || strings.Contains(csp, "script-src") {
		t.Errorf("content security policy %q, want default-src 'none' and no script", csp)
	}
	if !strings.Contains(csp, "'"+styleHash(find(doc, isTag("style"))[0].FirstChild.Data)+"'") {
		t.Errorf("the policy %q does not allow the page's own style sheet by its hash", csp)
	}
}

func TestReportPersons(t *testing.T) {
	_, doc := render(t, fixture(t))
	for id, who := range map[string]string{"p1-h": "Ada Lovelace", "p2-h": "Priya Raman"} {
		if h := text(byID(t, doc, id)); h != who {
			t.Errorf("section %s: %q, want %q", id, h, who)
		}
	}
	ada := tableColumn(t, byID(t, doc, "p1-types-data"), 1)
	if !equalMaps(ada, map[string]string{"Article": "1", "Talk": "1"}) {
		t.Errorf("Ada's totals: %v", ada)
	}
	if priya := tableColumn(t, byID(t, doc, "p2-monthly-data"), -1); priya["March 2026"] != "1" {
		t.Errorf("Priya's March: %q, want 1 (Ada's two are hers)", priya["March 2026"])
	}
	if th := find(find(byID(t, doc, "contributions"), isTag("thead"))[0], isTag("th")); text(th[1]) != "Person" {
		t.Errorf("several persons, the table's second column is %q, want Person", text(th[1]))
	}

	d := fixture(t)
	var priya []Row
	for _, r := range d.Rows {
		if r.Person == "Priya Raman" {
			priya = append(priya, r)
		}
	}
	d.Rows = priya
	_, doc = render(t, d)
	if byIDOrNil(doc, "p1") != nil {
		t.Error("one person, and yet a section per person")
	}
	if h := text(find(doc, isTag("h1"))[0]); h != "Contributions of Priya Raman" {
		t.Errorf("heading %q", h)
	}
	if th := find(find(byID(t, doc, "contributions"), isTag("thead"))[0], isTag("th")); text(th[1]) == "Person" {
		t.Error("one person, and yet a Person column")
	}
}

func TestReportEmpty(t *testing.T) {
	for name, d := range map[string]Data{
		"period":    {Since: "2025-11-22", Until: "2026-11-22", GeneratedAt: generatedAt},
		"no period": {GeneratedAt: generatedAt},
	} {
		t.Run(name, func(t *testing.T) {
			_, doc := render(t, d)
			if s := text(find(doc, hasClass("lead"))[0]); s != "No contributions in this period." {
				t.Errorf("lead %q", s)
			}
			if n := len(find(doc, isTag("svg"))); n != 0 {
				t.Errorf("%d charts of nothing", n)
			}
			if h := text(byID(t, doc, "contributions-h")); h != "All contributions (0)" {
				t.Errorf("table heading %q", h)
			}
		})
	}
}

func TestReportWindow(t *testing.T) {
	today := time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
	six := &program.Profile{Name: "six", Limits: program.Limits{WindowMonths: 6}}
	for _, c := range []struct {
		name         string
		p            *program.Profile
		since, until string
	}{
		{"no program", nil, "2025-03-31", "2026-03-31"},
		{"no window", &program.Profile{Name: "x"}, "2025-03-31", "2026-03-31"},
		{"six months", six, "2025-10-01", "2026-03-31"}, // 31 September is 1 October
	} {
		if s, u := Window(today, c.p); s != c.since || u != c.until {
			t.Errorf("%s: %s – %s, want %s – %s", c.name, s, u, c.since, c.until)
		}
	}
}

func TestReportPeriod(t *testing.T) {
	today := time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		since, until         string
		wantSince, wantUntil string
		ok                   bool
	}{
		{"", "", "2025-03-31", "2026-03-31", true},
		{"2026-01-01", "", "2026-01-01", "2026-03-31", true},
		{"", "2025-12-31", "2025-03-31", "2025-12-31", true},
		{"2026-05-01", "", "2026-05-01", "2026-03-31", false},
		{"2026-02-01", "2026-01-01", "2026-02-01", "2026-01-01", false},
	} {
		s, u, ok := Period(today, nil, c.since, c.until)
		if s != c.wantSince || u != c.wantUntil || ok != c.ok {
			t.Errorf("Period(%q, %q) = %s – %s %v, want %s – %s %v", c.since, c.until, s, u, ok, c.wantSince, c.wantUntil, c.ok)
		}
	}
}

func TestReportBadPeriod(t *testing.T) {
	for _, d := range []Data{{Since: "2026-02-01", Until: "2026-01-01"}, {Since: "1 March"}} {
		var buf bytes.Buffer
		if err := Render(&buf, d); err == nil || buf.Len() > 0 {
			t.Errorf("%+v: err %v, %d bytes written", d, err, buf.Len())
		}
	}
}

// TestReportAttach: a record covers the row that holds its observation,
// whichever rows the report shows.
func TestReportAttach(t *testing.T) {
	log := readRows(t)
	sub := harvester.NewSubmission("mvp", &log[2], harvester.SubmittedImported, generatedAt)
	rows := Attach(log[1:4], log, []harvester.Submission{sub})
	for _, r := range rows {
		if got := harvester.SubmittedTo(r.Submissions, "mvp"); got != (r.ID == "zt") {
			t.Errorf("%s: submitted %v", r.ID, got)
		}
	}
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestReportGrowth: a reach whose metric grew says where it started;
// one seen once, or not the metric that gives the reach, says nothing.
func TestReportGrowth(t *testing.T) {
	d := fixture(t)
	var grown, flat string
	for i := range d.Rows {
		r := &d.Rows[i]
		if !r.ReachKnown() || r.Reach == 0 {
			continue
		}
		day := func(n int) time.Time { return time.Date(2026, 3, n, 6, 0, 0, 0, time.UTC) }
		switch {
		case grown == "":
			grown = r.ID
			r.Metrics = map[string]int64{"views": r.Reach}
			r.MetricsHistory = map[string][]harvester.MetricPoint{"views": {{Metric: "views", Value: 12, At: day(1)}, {Metric: "views", Value: r.Reach, At: day(9)}}}
		case flat == "":
			flat = r.ID
			r.MetricsHistory = map[string][]harvester.MetricPoint{"views": {{Metric: "views", Value: r.Reach, At: day(2)}}}
		}
	}
	if grown == "" || flat == "" {
		t.Fatal("the fixture has no two rows with a reach")
	}
	page, _ := render(t, d)
	if n := strings.Count(page, `class="growth"`); n != 1 || !strings.Contains(page, `<span class="growth">from 12 on 2026-03-01</span>`) {
		t.Errorf("%d growth notes; want one, from 12 on 2026-03-01", n)
	}
}
