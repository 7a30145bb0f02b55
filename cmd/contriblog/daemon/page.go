package daemon

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/program"
	"github.com/contriblog/contriblog/harvester/report"
)

// serveReport answers GET / with the review page: `contriblog report`'s
// page of the period (query since, until, person, type and program as the
// command's flags; default the program's window), excluded rows listed,
// with the buttons of review mode (docs/report.md#review-mode).
func (d *Daemon) serveReport(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, err := parseFilter(q, d.Config.Vocabulary, "program")
	if err != nil {
		httpError(w, err.Error(), http.StatusBadRequest)
		return
	}
	var prof *program.Profile
	if name := q.Get("program"); name != "" || d.live().Program != "" {
		if prof, err = d.profile(name); err != nil {
			httpError(w, err.Error(), http.StatusBadRequest)
			return
		}
	}
	if d.refusePerson(w, r, f.Person) {
		return
	}
	lv := d.live() // a reload changes the timezone and the types at once
	now := d.now().In(lv.Location)
	since, until, ok := report.Period(now, prof, f.Since, f.Until)
	if !ok {
		httpError(w, fmt.Sprintf("the page would start on %s, after it ends on %s: give since or until", since, until), http.StatusBadRequest)
		return
	}
	// Excluded rows are listed, to be included again.
	f.Since, f.Until, f.All = since, until, true
	data := report.Data{Program: prof, Vocabulary: lv.Vocabulary, Since: since, Until: until, GeneratedAt: now,
		Review: &report.Review{CSRFToken: d.keys.csrfText}}
	if data.Rows, err = d.reportRows(r.Context(), f); err != nil {
		httpError(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if prof != nil {
		probs, err := d.check(r.Context(), prof, f, now.Format(harvester.DateLayout))
		if err != nil {
			httpError(w, err.Error(), http.StatusInternalServerError)
			return
		}
		report.AttachProblems(data.Rows, probs)
	}
	var buf bytes.Buffer
	if err := report.Render(&buf, data); err != nil {
		httpError(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.Write(buf.Bytes())
}

// reportRows are the stored rows f keeps, each with the submission
// records that cover it (which depends on the whole log).
func (d *Daemon) reportRows(ctx context.Context, f harvester.Filter) ([]report.Row, error) {
	var log, rows []harvester.Contribution
	all := f
	all.All, all.Since, all.Until, all.Person, all.Type, all.Unsubmitted = true, "", "", "", "", ""
	all.MetricsHistory = true // the table says where a reach started
	err := harvester.EachRow(ctx, d.Store, all, func(c *harvester.Contribution) error {
		log = append(log, *c)
		if f.Match(c) {
			rows = append(rows, *c)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the log: %w", err)
	}
	subs, err := d.Store.Submissions(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the submission records: %w", err)
	}
	return report.Attach(rows, log, subs), nil
}

// serveMark answers POST /submissions with the form fields program and id
// (repeatable, row ids) by recording those rows as entered in the
// program's portal by hand, as `contriblog submitted mark` does: a new
// record for a row none covers; a record left "sending" by a submit run
// that stopped becomes "marked"; a row already recorded is left as it is.
// It answers {"saved": N, "already": M}.
func (d *Daemon) serveMark(w http.ResponseWriter, r *http.Request) {
	if err := onlyKeys(r.PostForm, "program", "id"); err != nil {
		httpError(w, err.Error(), http.StatusBadRequest)
		return
	}
	prof, err := d.profile(r.PostForm.Get("program"))
	if err != nil || strings.TrimSpace(r.PostForm.Get("program")) == "" {
		if err == nil {
			err = errors.New("send the form field program")
		}
		httpError(w, err.Error(), http.StatusBadRequest)
		return
	}
	rows, err := d.reportRows(r.Context(), harvester.Filter{All: true})
	if err != nil {
		httpError(w, err.Error(), http.StatusInternalServerError)
		return
	}
	log := make([]harvester.Contribution, len(rows))
	for i := range rows {
		log[i] = rows[i].Contribution
	}
	now := d.now()
	var records []harvester.Submission
	already := 0
	for _, id := range r.PostForm["id"] {
		row := findRow(rows, log, strings.TrimSpace(id))
		if row == nil {
			httpError(w, fmt.Sprintf("contribution %q: %v", id, harvester.ErrNotFound), http.StatusNotFound)
			return
		}
		var prev []harvester.Submission
		for _, s := range row.Submissions {
			if strings.EqualFold(s.Program, prof.Name) {
				prev = append(prev, s)
			}
		}
		if rec, ok := harvester.Mark(prof.Name, &row.Contribution, prev, now); ok {
			records = append(records, rec)
		} else {
			already++
		}
	}
	if len(records) > 0 {
		if err := d.Store.SaveSubmissions(r.Context(), records); err != nil {
			httpError(w, "save submission records: "+err.Error(), http.StatusInternalServerError)
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]int{"saved": len(records), "already": already})
}

// findRow is the row of rows (whose contributions are log) that id
// names, as harvester.FindContribution finds it, or nil.
func findRow(rows []report.Row, log []harvester.Contribution, id string) *report.Row {
	found, ok := harvester.FindContribution(log, id)
	if !ok {
		return nil
	}
	for i := range rows {
		if rows[i].ID == found.ID {
			return &rows[i]
		}
	}
	return nil
}
