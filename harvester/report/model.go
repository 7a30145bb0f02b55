package report

import (
	"fmt"
	"html/template"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/program"
)

// page is what the template shows: everything computed, nothing left to
// decide in the template but layout.
type page struct {
	Title, Heading string
	CSS            template.CSS
	CSP            string
	Period         string
	Generated      string
	Program        *programInfo
	Summary        view
	// People are the per-person sections, when the report has several.
	People []view
	Table  table
	// Review is set on the daemon's review page (Data.Review).
	Review *reviewPage
}

// programInfo is the program the table's last column follows.
type programInfo struct {
	Name, Title  string
	WindowMonths int
	ToSubmit     int // rows of the report still to submit
	Submitted    int
	NotTaken     int
}

// build computes d's page.
func build(d *Data) (*page, error) {
	if err := period(d); err != nil {
		return nil, err
	}
	vocab := d.Vocabulary
	if vocab == nil {
		vocab = harvester.NewVocabulary(nil)
	}
	ps := persons(d)
	p := &page{
		CSS:       template.CSS(styleSheet),
		CSP:       contentSecurityPolicy,
		Period:    longDate(d.Since) + " – " + longDate(d.Until),
		Generated: d.GeneratedAt.Format("2 January 2006, 15:04 MST"),
	}
	p.Title = "Contributions"
	if who := joinPersons(ps); who != "" {
		p.Title += " of " + who
	}
	p.Heading = p.Title
	p.Title += ", " + d.Since + " to " + d.Until
	all := styles(d.Rows, vocab)
	byName := map[string]typeStyle{}
	for _, s := range all {
		byName[strings.ToLower(s.Name)] = s
	}
	// The table lists every row given; the figures count only those not
	// excluded (the review page lists excluded rows, to include again).
	listed, rows := make([]*Row, len(d.Rows)), make([]*Row, 0, len(d.Rows))
	for i := range d.Rows {
		listed[i] = &d.Rows[i]
		if !d.Rows[i].Excluded {
			rows = append(rows, &d.Rows[i])
		}
	}
	mo := months(d.Since, d.Until)
	summary := "Everyone"
	if len(ps) == 1 {
		summary = ps[0]
	}
	p.Summary = newView("all", summary, rows, all, byName, mo, vocab)
	if len(ps) > 1 {
		for i, person := range ps {
			var theirs []*Row
			for _, r := range rows {
				if strings.EqualFold(r.Person, person) {
					theirs = append(theirs, r)
				}
			}
			p.People = append(p.People, newView(fmt.Sprintf("p%d", i+1), person, theirs, all, byName, mo, vocab))
		}
	}
	p.Program, p.Table = newTable(listed, d.Program, byName, len(ps) > 1)
	if d.Review != nil {
		p.Review = newReviewPage(d.Review, vocab)
		p.CSS, p.CSP = template.CSS(reviewStyle), ReviewPolicy
	}
	return p, nil
}

// styles gives each activity type of rows its look, in vocabulary order
// and then the others' (types of an older vocabulary) by name.
func styles(rows []Row, vocab *harvester.Vocabulary) []typeStyle {
	present := map[string]string{} // lower-cased -> as spelt
	for i := range rows {
		t := rows[i].ActivityType
		if _, ok := present[strings.ToLower(t)]; !ok {
			present[strings.ToLower(t)] = t
		}
	}
	var names []string
	for _, n := range vocab.Names() {
		if _, ok := present[strings.ToLower(n)]; ok {
			names = append(names, present[strings.ToLower(n)])
			delete(present, strings.ToLower(n))
		}
	}
	var rest []string
	for _, n := range present {
		rest = append(rest, n)
	}
	sort.Strings(rest)
	names = append(names, rest...)
	out := make([]typeStyle, len(names))
	for i, n := range names {
		out[i] = newTypeStyle(i, n, typeLabel(n))
	}
	return out
}

// typeLabels are the short labels of the default types, as `list` shows
// them: a legend or an axis has no room for the form's full names.
var typeLabels = map[string]string{
	harvester.TypeBlog: "Blog", harvester.TypeArticle: "Article", harvester.TypeBook: "Book",
	harvester.TypePodcast: "Podcast", harvester.TypeVideo: "Video", harvester.TypeThirdParty: "Talk",
	harvester.TypeMicrosoft: "Talk (MS)", harvester.TypeOpenSource: "OSS",
	harvester.TypeOnlineSupport: "Support", harvester.TypeMentorship: "Mentoring",
	harvester.TypeUserGroup: "User group",
}

func typeLabel(name string) string {
	for long, short := range typeLabels {
		if strings.EqualFold(long, name) {
			return short
		}
	}
	if name == "" {
		return "(no type)"
	}
	return clip(name, 24)
}

// clip shortens s to at most n characters, with an ellipsis.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// safeURL returns u when it is an absolute http or https URL, the only
// links the report makes clickable; "" otherwise (javascript:, data:,
// relative references...).
func safeURL(u string) string {
	u = strings.TrimSpace(u)
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		return ""
	}
	if s := strings.ToLower(p.Scheme); s != "http" && s != "https" {
		return ""
	}
	return u
}

// hostOf is the host of an http(s) URL without "www.", or "".
func hostOf(u string) string {
	if safeURL(u) == "" {
		return ""
	}
	p, _ := url.Parse(strings.TrimSpace(u))
	return strings.TrimPrefix(strings.ToLower(p.Hostname()), "www.")
}

// number writes n with thousands separators.
func number[T int | int64](n T) string {
	s := strconv.FormatInt(int64(n), 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// plural is "1 row", "2 rows".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return number(n) + " " + many
}

// isTalk says whether a row of type t is a talk given somewhere: the
// speaking family (docs/log.md#activity-types) but for running a user
// group, which is no event.
func isTalk(vocab *harvester.Vocabulary, t string) bool {
	return vocab.Family(t) == harvester.FamilySpeaking && !strings.EqualFold(t, harvester.TypeUserGroup)
}

// profileTitle is how the page names a program.
func profileTitle(p *program.Profile) string {
	if p.Title != "" {
		return p.Title
	}
	return p.Name
}
