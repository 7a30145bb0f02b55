package report

import (
	"fmt"
	"sort"
	"strings"

	"github.com/contriblog/contriblog/harvester"
)

// view is the summary of some rows — everyone's, or one person's: totals
// by type, the monthly chart, reach, areas and talks.
type view struct {
	ID, Heading string
	Count       int
	Lead        string // a sentence of the main figures
	Types       []typeTotal
	TypesChart  hbarChart
	Monthly     stackChart
	MonthRows   []monthRow
	MonthStyles []typeStyle
	Reach       []typeTotal // the types with a known reach
	ReachChart  hbarChart
	ReachRows   int
	Areas       []areaTotal
	AreasChart  hbarChart
	Talks       []talk
}

// typeTotal is one activity type's figures in a view.
type typeTotal struct {
	Style                 typeStyle
	Rows, Quantity        int
	Reach                 int64
	ReachRows             int // rows whose reach is known
	RowsText, QuantityStr string
	ReachText             string
}

type monthRow struct {
	Month  string
	Counts []int
	Total  int
}

type areaTotal struct {
	Name                string
	Primary, Additional int
}

// talk is one event spoken at.
type talk struct {
	Date, End, Title, URL, Type, Where, Sources string
}

func newView(id, heading string, rows []*Row, all []typeStyle, byName map[string]typeStyle, mo []month, vocab *harvester.Vocabulary) view {
	v := view{ID: id, Heading: heading, Count: len(rows)}
	totals := map[int]*typeTotal{}
	monthIdx := map[string]int{}
	for i, m := range mo {
		monthIdx[m.Key] = i
	}
	counts := make([][]int, len(mo))
	for i := range counts {
		counts[i] = make([]int, len(all))
	}
	areas := map[string]*areaTotal{}
	var areaOrder []string
	area := func(name string) *areaTotal {
		k := strings.ToLower(name)
		if a, ok := areas[k]; ok {
			return a
		}
		areas[k] = &areaTotal{Name: name}
		areaOrder = append(areaOrder, k)
		return areas[k]
	}
	for _, r := range rows {
		s := byName[strings.ToLower(r.ActivityType)]
		t := totals[s.Index]
		if t == nil {
			t = &typeTotal{Style: s}
			totals[s.Index] = t
		}
		t.Rows++
		t.Quantity += max(r.Quantity, 1) // as the export: 1 unless curated
		if r.ReachKnown() {
			t.Reach += r.Reach
			t.ReachRows++
			v.ReachRows++
		}
		if i, ok := monthIdx[monthOf(r.Date)]; ok {
			counts[i][s.Index]++
		}
		if r.PrimaryArea != "" {
			area(r.PrimaryArea).Primary++
		} else {
			area("(no area)").Primary++
		}
		for _, a := range r.AdditionalAreas {
			area(a).Additional++
		}
		if isTalk(vocab, r.ActivityType) {
			v.Talks = append(v.Talks, newTalk(r, s))
		}
	}
	for _, s := range all {
		if t := totals[s.Index]; t != nil {
			t.RowsText, t.QuantityStr, t.ReachText = number(t.Rows), number(t.Quantity), "–"
			if t.ReachRows > 0 {
				t.ReachText = number(t.Reach)
				v.Reach = append(v.Reach, *t)
			}
			v.Types = append(v.Types, *t)
			v.MonthStyles = append(v.MonthStyles, s)
		}
	}
	for _, k := range areaOrder {
		v.Areas = append(v.Areas, *areas[k])
	}
	sort.SliceStable(v.Areas, func(i, j int) bool {
		if v.Areas[i].Primary != v.Areas[j].Primary {
			return v.Areas[i].Primary > v.Areas[j].Primary
		}
		return v.Areas[i].Additional > v.Areas[j].Additional
	})
	sort.SliceStable(v.Talks, func(i, j int) bool { return v.Talks[i].Date < v.Talks[j].Date })
	v.Lead = lead(&v)
	v.charts(counts, mo)
	return v
}

// charts lays out the view's charts; counts are per month and style.
func (v *view) charts(counts [][]int, mo []month) {
	var labels, fulls, fills, texts []string
	var values []int64
	for _, t := range v.Types {
		labels, fulls = append(labels, t.Style.Label), append(fulls, t.Style.Name)
		fills, texts = append(fills, fill(v.ID+"-types", t.Style)), append(texts, t.RowsText)
		values = append(values, int64(t.Rows))
	}
	desc := "Horizontal bars, one per activity type, as long as its number of contributions: "
	v.TypesChart = newHBar(v.ID+"-types", "Contributions by activity type, "+v.Heading, desc+describe(labels, texts)+".",
		styleList(v.Types), labels, fulls, fills, values, texts)

	labels, fulls, fills, texts, values = nil, nil, nil, nil, nil
	for _, t := range v.Reach {
		labels, fulls = append(labels, t.Style.Label), append(fulls, t.Style.Name)
		fills, texts = append(fills, fill(v.ID+"-reach", t.Style)), append(texts, t.ReachText)
		values = append(values, t.Reach)
	}
	desc = "Horizontal bars, one per activity type with a known reach, as long as the people it reached: "
	v.ReachChart = newHBar(v.ID+"-reach", "Reach by activity type, "+v.Heading, desc+describe(labels, texts)+".",
		styleList(v.Reach), labels, fulls, fills, values, texts)

	labels, fulls, fills, texts, values = nil, nil, nil, nil, nil
	for _, a := range v.Areas {
		labels, fulls = append(labels, a.Name), append(fulls, a.Name)
		fills, texts = append(fills, areaColour), append(texts, number(a.Primary))
		values = append(values, int64(a.Primary))
	}
	desc = "Horizontal bars, one per technology area, as long as the contributions whose primary area it is: "
	v.AreasChart = newHBar(v.ID+"-areas", "Technology areas, "+v.Heading, desc+describe(labels, texts)+".",
		nil, labels, fulls, fills, values, texts)

	// The monthly chart keeps only the view's types, each in its column.
	sub := make([][]int, len(counts))
	for i := range counts {
		for _, s := range v.MonthStyles {
			sub[i] = append(sub[i], counts[i][s.Index])
		}
	}
	busiest, most := "", 0
	for i, m := range mo {
		row := monthRow{Month: m.Long, Counts: sub[i]}
		for _, n := range sub[i] {
			row.Total += n
		}
		if row.Total > most {
			busiest, most = m.Long, row.Total
		}
		v.MonthRows = append(v.MonthRows, row)
	}
	desc = fmt.Sprintf("A bar per month from %s to %s, its height the contributions of that month, stacked by activity type (%s).",
		monthName(mo, 0), monthName(mo, len(mo)-1), strings.Join(styleLabels(v.MonthStyles), ", "))
	if most > 0 {
		desc += fmt.Sprintf(" The busiest month is %s with %d.", busiest, most)
	}
	v.Monthly = newStack(v.ID+"-monthly", "Contributions per month by activity type, "+v.Heading, desc, v.MonthStyles, mo, sub)
}

// lead says the view's main figures in a sentence.
func lead(v *view) string {
	if v.Count == 0 {
		return "No contributions in this period."
	}
	parts := []string{plural(v.Count, "contribution", "contributions")}
	if len(v.Talks) > 0 {
		parts = append(parts, plural(len(v.Talks), "talk", "talks"))
	}
	var reach int64
	for _, t := range v.Reach {
		reach += t.Reach
	}
	if v.ReachRows > 0 {
		parts = append(parts, fmt.Sprintf("a reach of %s (of the %s with a count)", number(reach), plural(v.ReachRows, "row", "rows")))
	}
	return strings.Join(parts, ", ") + "."
}

func newTalk(r *Row, s typeStyle) talk {
	t := talk{Date: r.Date, Title: r.Title, URL: safeURL(r.URL), Type: s.Label, Where: hostOf(r.URL),
		Sources: strings.Join(r.Sources, ", ")}
	if r.EndDate != "" && r.EndDate != r.Date {
		t.End = r.EndDate
	}
	if t.Where == "" {
		for _, u := range r.OtherURLs {
			if t.Where = hostOf(u); t.Where != "" {
				break
			}
		}
	}
	return t
}

// describe lists labels with their values for a chart's description.
func describe(labels, values []string) string {
	if len(labels) == 0 {
		return "none"
	}
	parts := make([]string, len(labels))
	for i := range labels {
		parts[i] = labels[i] + " " + values[i]
	}
	return strings.Join(parts, ", ")
}

func styleList(ts []typeTotal) []typeStyle {
	out := make([]typeStyle, len(ts))
	for i, t := range ts {
		out[i] = t.Style
	}
	return out
}

func styleLabels(ss []typeStyle) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.Label
	}
	return out
}

func monthName(mo []month, i int) string {
	if i < 0 || i >= len(mo) {
		return ""
	}
	return mo[i].Long
}

// monthOf is the YYYY-MM of a YYYY-MM-DD date.
func monthOf(date string) string {
	if len(date) < 7 {
		return ""
	}
	return date[:7]
}
