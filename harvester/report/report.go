// Package report renders the contribution log as one self-contained HTML
// page: totals, a month-by-month chart, reach, technology areas, talks,
// a section per person and the full table with what is still to submit
// to a program (docs/report.md). Charts are SVG drawn here, in Go: the
// page loads nothing, runs no script and prints on A4 as it shows.
// `contriblog report` writes it to a file; the daemon's review page is
// the same page with Data.Review set, which adds buttons and one small
// embedded script (docs/report.md#review-mode).
package report

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/program"
)

// Data is what a report shows.
type Data struct {
	// Rows are the rows of the period, in log order (oldest first).
	Rows []Row
	// Program is the program whose submissions the table's last column
	// follows; nil for none (the column is left out).
	Program *program.Profile
	// Vocabulary orders and groups the activity types; nil: the defaults.
	Vocabulary *harvester.Vocabulary
	// Since and Until bound the period shown, YYYY-MM-DD, inclusive
	// (Window gives the default). Empty: the rows' first and last dates.
	Since, Until string
	// Persons are the persons the report is about, each of whom gets a
	// section of their own when there are several; nil: those of Rows.
	Persons []string
	// GeneratedAt is when the report was made, as the page says.
	GeneratedAt time.Time
	// Review, when set, makes the page the daemon's review page; Rows may
	// then hold excluded rows, which the table lists and the figures
	// leave out.
	Review *Review
}

// Row is one contribution of a report and the submission records that
// cover it (harvester.SubmissionIndex.Of).
type Row struct {
	harvester.Contribution
	Submissions []harvester.Submission
	// Problems are what `contriblog check` finds in the row for the
	// report's program (docs/programs.md#check); the table lists them.
	Problems []harvester.Problem
}

// AttachProblems gives each row the problems of probs that name it.
func AttachProblems(rows []Row, probs []harvester.Problem) {
	byID := map[string][]harvester.Problem{}
	for _, p := range probs {
		byID[p.ID] = append(byID[p.ID], p)
	}
	for i := range rows {
		rows[i].Problems = byID[rows[i].ID]
	}
}

// Attach pairs each of rows with the records of subs that cover it. The
// index behind it must see the whole stored log, in log order (a
// harvester.Filter{All: true} read), to know which rows hold a record's
// observations; rows are the ones the report shows, a subset of log.
func Attach(rows, log []harvester.Contribution, subs []harvester.Submission) []Row {
	covering := harvester.Covering(subs, log)
	out := make([]Row, len(rows))
	for i := range rows {
		out[i] = Row{Contribution: rows[i], Submissions: covering[rows[i].ID]}
	}
	return out
}

// DefaultWindowMonths is the period a report covers when no program
// says otherwise.
const DefaultWindowMonths = 12

// Window is the default period of a report made on today (a date in
// the person's zone): the program's window (Limits.WindowMonths back
// from today), or DefaultWindowMonths without a program or a window.
func Window(today time.Time, p *program.Profile) (since, until string) {
	months := DefaultWindowMonths
	if p != nil && p.Limits.WindowMonths > 0 {
		months = p.Limits.WindowMonths
	}
	return today.AddDate(0, -months, 0).Format(harvester.DateLayout), today.Format(harvester.DateLayout)
}

// Period is the period a report covers: since and until as given (the
// --since and --until of `contriblog report`, or the page's), each
// defaulting to Window's. ok is false when it would start after it ends.
func Period(today time.Time, p *program.Profile, since, until string) (from, to string, ok bool) {
	from, to = Window(today, p)
	from, to = cmp.Or(since, from), cmp.Or(until, to)
	return from, to, from <= to
}

// Render writes d's report to w as one HTML document. Nothing is written
// when it fails.
func Render(w io.Writer, d Data) error {
	p, err := build(&d)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := pageTemplate.Execute(&buf, p); err != nil {
		return fmt.Errorf("render the report: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// persons are d's persons: as given, else those of its rows, sorted.
func persons(d *Data) []string {
	if d.Persons != nil {
		return d.Persons
	}
	seen := map[string]bool{}
	var out []string
	for i := range d.Rows {
		if p := d.Rows[i].Person; !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

// period fills in Since and Until from the rows when they are empty, and
// checks them.
func period(d *Data) error {
	for _, s := range []*string{&d.Since, &d.Until} {
		if *s == "" {
			continue
		}
		if _, err := time.Parse(harvester.DateLayout, *s); err != nil {
			return fmt.Errorf("report period: %q is no YYYY-MM-DD date", *s)
		}
	}
	if d.Since == "" || d.Until == "" {
		first, last := "", ""
		for i := range d.Rows {
			if dt := d.Rows[i].Date; dt != "" {
				if first == "" || dt < first {
					first = dt
				}
				if dt > last {
					last = dt
				}
			}
		}
		if first == "" {
			first = d.GeneratedAt.Format(harvester.DateLayout)
			last = first
		}
		if d.Since == "" {
			d.Since = first
		}
		if d.Until == "" {
			d.Until = max(last, d.Since)
		}
	}
	if d.Since > d.Until {
		return fmt.Errorf("report period: %s is after %s", d.Since, d.Until)
	}
	return nil
}

// longDate writes a YYYY-MM-DD date as "2 March 2026"; anything else as
// it is.
func longDate(s string) string {
	t, err := time.Parse(harvester.DateLayout, s)
	if err != nil {
		return s
	}
	return t.Format("2 January 2006")
}

// joinPersons names the persons in a heading.
func joinPersons(ps []string) string {
	switch {
	case len(ps) == 0:
		return ""
	case len(ps) == 1:
		return ps[0]
	case len(ps) <= 3:
		return strings.Join(ps[:len(ps)-1], ", ") + " and " + ps[len(ps)-1]
	}
	return fmt.Sprintf("%d persons", len(ps))
}
