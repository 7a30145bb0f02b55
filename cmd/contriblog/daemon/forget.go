package daemon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/contriblog/contriblog/harvester"
)

// serveForget answers POST /forget (form: source, apply) with what
// forgetting the source removes (harvester.ForgetReport's JSON keys):
// without apply=1 a preview that changes nothing; with it, the source's
// observations and state are removed, the log rebuilt and the export
// rewritten.
func (d *Daemon) serveForget(w http.ResponseWriter, r *http.Request) {
	if lv := d.live(); lv.forget == nil || lv.rebuild == nil {
		http.Error(w, "this daemon does not forget sources", http.StatusNotImplemented)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := r.ParseForm(); err != nil {
		httpError(w, "read form: "+err.Error(), http.StatusBadRequest)
		return
	}
	if err := onlyKeys(r.PostForm, "source", "apply"); err != nil {
		httpError(w, err.Error(), http.StatusBadRequest)
		return
	}
	source := strings.TrimSpace(r.PostForm.Get("source"))
	if source == "" || len(r.PostForm["source"]) > 1 {
		httpError(w, "send the form field source once, naming one source", http.StatusBadRequest)
		return
	}
	apply := false
	if v := r.PostForm.Get("apply"); v != "" {
		var err error
		if apply, err = strconv.ParseBool(v); err != nil {
			httpError(w, fmt.Sprintf("apply=%q: expected true or false", v), http.StatusBadRequest)
			return
		}
	}
	// Like an edit, a forget once accepted is finished even if the
	// client leaves: removed observations are never left without their
	// rebuild.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), editTimeout)
	defer cancel()
	rep, err := d.forget(ctx, source, apply)
	switch {
	case errors.Is(err, harvester.ErrNotFound):
		httpError(w, err.Error(), http.StatusNotFound)
	case errors.Is(err, errInternal):
		http.Error(w, "internal error while forgetting the source; the daemon's log has the details", http.StatusInternalServerError)
	case err != nil:
		d.Logger.Error("forget failed", "source", source, "err", err)
		httpError(w, err.Error(), http.StatusInternalServerError)
	default:
		writeJSON(w, http.StatusOK, rep)
	}
}

// forget runs the Forget hook; applied, under the rebuild lock with the
// log's rebuild, then the export. A panic becomes an error wrapping
// errInternal.
func (d *Daemon) forget(ctx context.Context, source string, apply bool) (rep harvester.ForgetReport, err error) {
	defer d.edits.begin(d.now())()
	defer func() {
		if r := recover(); r != nil {
			err = panicError(d.Logger.With("source", source), "forget", r)
		}
	}()
	if !apply {
		return d.live().forget(ctx, source, false)
	}
	err = d.underRebuild(ctx, func(lv *settings) error {
		var err error
		rep, err = lv.forget(ctx, source, true)
		return err
	})
	if err != nil {
		return rep, err
	}
	d.Logger.Info("source forgotten", "source", source, "observations", rep.Observations,
		"rows_removed", len(rep.Removed), "rows_changed", len(rep.Changed))
	d.markExportDirty()
	d.autoExport(ctx)
	return rep, nil
}
