package daemon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/contriblog/contriblog/harvester"
)

// maxRecordsBody bounds the body of POST /submissions and POST /entries:
// a whole portal's history, far more than a form of flags.
const maxRecordsBody = 16 << 20

// serveSubmissions answers GET /submissions with every submission record
// (JSON array; [] for none).
func (d *Daemon) serveSubmissions(w http.ResponseWriter, r *http.Request) {
	subs, err := d.Store.Submissions(r.Context())
	if err != nil {
		httpError(w, "read submission records: "+err.Error(), http.StatusInternalServerError)
		return
	}
	if subs == nil {
		subs = []harvester.Submission{}
	}
	writeJSON(w, http.StatusOK, subs)
}

// serveSaveSubmissions answers POST /submissions (form field records: a
// JSON array of records) by storing them in one transaction; with the
// form fields program and id instead, serveMark.
func (d *Daemon) serveSaveSubmissions(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxRecordsBody)
	if err := r.ParseForm(); err != nil {
		httpError(w, "read form: "+err.Error(), http.StatusBadRequest)
		return
	}
	if !r.PostForm.Has("records") && r.PostForm.Has("id") {
		d.serveMark(w, r) // the review page's Mark submitted
		return
	}
	var subs []harvester.Submission
	if !d.jsonField(w, r, "records", &subs, "records") {
		return
	}
	if err := d.Store.SaveSubmissions(r.Context(), subs); err != nil {
		status := http.StatusInternalServerError
		for i := range subs {
			if subs[i].Check() != nil {
				status = http.StatusBadRequest
			}
		}
		httpError(w, err.Error(), status)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"saved": len(subs)})
}

// serveDeleteSubmissions answers POST /submissions/delete (form: program,
// id repeatable) with how many records it removed.
func (d *Daemon) serveDeleteSubmissions(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := r.ParseForm(); err != nil {
		httpError(w, "read form: "+err.Error(), http.StatusBadRequest)
		return
	}
	if err := onlyKeys(r.PostForm, "program", "id"); err != nil {
		httpError(w, err.Error(), http.StatusBadRequest)
		return
	}
	program := strings.TrimSpace(r.PostForm.Get("program"))
	if program == "" || len(r.PostForm["id"]) == 0 {
		httpError(w, "send the form fields program and id (repeatable)", http.StatusBadRequest)
		return
	}
	n, err := d.Store.DeleteSubmissions(r.Context(), program, r.PostForm["id"])
	if err != nil {
		httpError(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"deleted": n})
}

// serveEntries answers POST /entries (form: source, observations: a JSON
// array) by storing the observations as one batch of that hand-kept
// source and rebuilding the log, in step with passes and edits. A source
// of the config is refused: its observations come from its harvests.
func (d *Daemon) serveEntries(w http.ResponseWriter, r *http.Request) {
	var obs []harvester.Observation
	if !d.jsonField(w, r, "observations", &obs, "source", "observations") {
		return
	}
	source := strings.TrimSpace(r.PostForm.Get("source"))
	if source == "" {
		httpError(w, "send the form field source", http.StatusBadRequest)
		return
	}
	for _, s := range d.live().Sources {
		if s.Name == source {
			httpError(w, fmt.Sprintf("source=%q is a source of the config: its observations come from its harvests", source), http.StatusBadRequest)
			return
		}
	}
	if d.live().rebuild == nil {
		http.Error(w, "this daemon does not accept entries", http.StatusNotImplemented)
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), editTimeout)
	defer cancel()
	err := d.underRebuild(ctx, func(*settings) error {
		item := harvester.BatchItem{State: harvester.SourceState{Name: source, Type: "file"},
			Batch: &harvester.Batch{Observations: obs}, Pass: d.now()}
		_, err := d.Store.SaveBatches(ctx, []harvester.BatchItem{item})
		return err
	})
	if err != nil {
		d.Logger.Error("adding entries failed", "source", source, "err", err)
		httpError(w, err.Error(), http.StatusInternalServerError)
		return
	}
	d.markExportDirty()
	d.autoExport(ctx)
	writeJSON(w, http.StatusOK, map[string]int{"saved": len(obs)})
}

// jsonField parses a POST form whose field name holds JSON into v,
// allowing only the keys allowed; it answers 400 and returns false on a
// bad request.
func (d *Daemon) jsonField(w http.ResponseWriter, r *http.Request, name string, v any, allowed ...string) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxRecordsBody)
	if err := r.ParseForm(); err != nil {
		httpError(w, "read form: "+err.Error(), http.StatusBadRequest)
		return false
	}
	if err := onlyKeys(r.PostForm, allowed...); err != nil {
		httpError(w, err.Error(), http.StatusBadRequest)
		return false
	}
	raw := r.PostForm.Get(name)
	if raw == "" {
		httpError(w, "send the form field "+name+" (JSON)", http.StatusBadRequest)
		return false
	}
	if err := json.Unmarshal([]byte(raw), v); err != nil {
		var syn *json.SyntaxError
		msg := err.Error()
		if errors.As(err, &syn) {
			msg = fmt.Sprintf("not JSON at byte %d", syn.Offset)
		}
		httpError(w, name+": "+msg, http.StatusBadRequest)
		return false
	}
	return true
}
