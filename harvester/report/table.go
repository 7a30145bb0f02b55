package report

import (
	"strings"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/program"
)

// table is the full list of the report's rows.
type table struct {
	PersonColumn bool
	// Program and ProgramTitle head the status column; "" for none.
	Program, ProgramTitle string
	Rows                  []tableRow
}

type tableRow struct {
	ID, Date, End, Person, Type, TypeFull string
	Title, URL                            string
	// Links are the row's other URLs: a clickable one has Href.
	Links []link
	Areas string
	Reach string
	// Growth says where the reach started, when the sources saw it grow
	// (harvester.Contribution.MetricsHistory): "from 120 on 2026-03-01".
	Growth  string
	Sources string
	Status  status
	// Problems are check's lines for the row: "error: …", "warning: …".
	Problems []problemLine
	Review   rowReview
}

type problemLine struct {
	Severity, Text string
}

type link struct {
	Href, Text string
}

// status is what the program holds of a row.
type status struct {
	Text  string
	Class string // todo, done or na
}

// newTable lists rows with, when prog is set, what prog still lacks.
func newTable(rows []*Row, prog *program.Profile, byName map[string]typeStyle, personColumn bool) (*programInfo, table) {
	t := table{PersonColumn: personColumn}
	var info *programInfo
	if prog != nil {
		info = &programInfo{Name: prog.Name, Title: profileTitle(prog), WindowMonths: prog.Limits.WindowMonths}
		t.Program, t.ProgramTitle = info.Name, info.Title
	}
	for _, r := range rows {
		tr := tableRow{ID: r.ID, Date: r.Date, Person: r.Person, Type: byName[strings.ToLower(r.ActivityType)].Label,
			TypeFull: r.ActivityType, Title: r.Title, URL: safeURL(r.URL), Sources: strings.Join(r.Sources, ", "), Reach: "–"}
		if r.EndDate != "" && r.EndDate != r.Date {
			tr.End = r.EndDate
		}
		if tr.URL == "" && r.URL != "" {
			// Not a link the page may open: shown as text.
			tr.Links = append(tr.Links, link{Text: r.URL})
		}
		for _, u := range r.OtherURLs {
			tr.Links = append(tr.Links, link{Href: safeURL(u), Text: u})
		}
		areas := []string{}
		if r.PrimaryArea != "" {
			areas = append(areas, r.PrimaryArea)
		}
		tr.Areas = strings.Join(append(areas, r.AdditionalAreas...), "; ")
		if r.ReachKnown() {
			tr.Reach = number(r.Reach)
			tr.Growth = growth(&r.Contribution)
		}
		if info != nil {
			tr.Status = statusOf(r, prog, info)
			for _, p := range r.Problems {
				if r.Excluded {
					break // never submitted: nothing to fix
				}
				tr.Problems = append(tr.Problems, problemLine{Severity: p.Severity, Text: p.Problem})
			}
		}
		tr.Review = newRowReview(r, t.Program)
		t.Rows = append(t.Rows, tr)
	}
	return info, t
}

// growth says where a row's reach started, when the history of the
// metric that gives it holds earlier values: "from 120 on 2026-03-01";
// "" without one.
func growth(c *harvester.Contribution) string {
	for _, m := range harvester.ReachMetrics {
		pts := c.MetricsHistory[m]
		if len(pts) < 2 || pts[len(pts)-1].Value != c.Reach {
			continue
		}
		return "from " + number(pts[0].Value) + " on " + pts[0].At.UTC().Format(harvester.DateLayout)
	}
	return ""
}

// statusOf says whether prog holds r, takes no row of its type, or
// still lacks it, and counts it in info.
func statusOf(r *Row, prog *program.Profile, info *programInfo) status {
	if r.Excluded {
		return status{Text: "excluded", Class: "na"}
	}
	for _, s := range r.Submissions {
		if strings.EqualFold(s.Program, prog.Name) {
			info.Submitted++
			return status{Text: "submitted " + s.At.Format(harvester.DateLayout) + " (" + s.How + ")", Class: "done"}
		}
	}
	if _, ok := prog.TypeFor(r.ActivityType); !ok {
		info.NotTaken++
		return status{Text: "type not taken", Class: "na"}
	}
	info.ToSubmit++
	return status{Text: "to submit", Class: "todo"}
}
