package daemon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/export"
)

// editTimeout bounds an edit once accepted: it is finished even if the
// client leaves, so that a stored edit is never left without its rebuild.
const editTimeout = 30 * time.Second

// serveEdit answers POST /edit/{id} with the edited row of the rebuilt log
// (JSON, the export's keys with excluded): the row that now holds the
// contribution.
func (d *Daemon) serveEdit(w http.ResponseWriter, r *http.Request) {
	d.serveEditRows(w, r, []string{r.PathValue("id")}, func(_ context.Context, before, rows []harvester.Contribution) (any, error) {
		row, err := holding(rows, before[0])
		return jsonRow(&row), err
	})
}

// jsonRow is a row as every answer of the API gives it: the JSON export's
// object, excluded key included (null for an unknown reach, [] for no
// items).
func jsonRow(c *harvester.Contribution) any { return export.JSONRow(c, export.Options{All: true}) }

// serveEditMany answers POST /edit (form: id, repeatable, and the edit's
// fields) with every row that now holds an edited row's observations, in
// log order (JSON array): all the parts of a split.
func (d *Daemon) serveEditMany(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := r.ParseForm(); err != nil {
		httpError(w, "read form: "+err.Error(), http.StatusBadRequest)
		return
	}
	ids := r.PostForm["id"]
	delete(r.PostForm, "id")
	if len(ids) == 0 {
		httpError(w, "no contribution: send the form field id (repeatable)", http.StatusBadRequest)
		return
	}
	d.serveEditRows(w, r, ids, func(_ context.Context, _, rows []harvester.Contribution) (any, error) {
		out := make([]any, len(rows))
		for i := range rows {
			out[i] = jsonRow(&rows[i])
		}
		return out, nil
	})
}

// serveEditRows decodes the edit's form, applies it to ids and answers
// with what answer makes of the rows before and after.
func (d *Daemon) serveEditRows(w http.ResponseWriter, r *http.Request, ids []string,
	answer func(ctx context.Context, before, rows []harvester.Contribution) (any, error)) {
	if lv := d.live(); lv.edit == nil || lv.rebuild == nil {
		http.Error(w, "this daemon does not accept edits", http.StatusNotImplemented)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := r.ParseForm(); err != nil {
		httpError(w, "read form: "+err.Error(), http.StatusBadRequest)
		return
	}
	req, err := decodeEdit(r.PostForm)
	if err != nil {
		httpError(w, err.Error(), http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), editTimeout)
	defer cancel()
	var out any
	before, rows, err := d.applyEdit(ctx, ids, req)
	if err == nil {
		out, err = answer(ctx, before, rows)
	}
	switch {
	case errors.Is(err, harvester.ErrNotFound):
		httpError(w, err.Error(), http.StatusNotFound)
	case errors.Is(err, ErrInvalid):
		httpError(w, err.Error(), http.StatusBadRequest)
	case errors.Is(err, errInternal):
		// Logged with its stack where it was recovered; the details are
		// for the log, not for the client.
		http.Error(w, "internal error while applying the edit; the daemon's log has the details", http.StatusInternalServerError)
	case err != nil:
		d.Logger.Error("edit failed", "ids", ids, "err", err)
		httpError(w, err.Error(), http.StatusInternalServerError)
	default:
		writeJSON(w, http.StatusOK, out)
	}
}

// applyEdit stores the edit, rebuilds the log and rewrites the export,
// and returns the rows as they were and the rows that now hold them. A
// panic on the way becomes an error wrapping errInternal; /healthz
// reports an edit that runs past EditStuckAfter.
func (d *Daemon) applyEdit(ctx context.Context, ids []string, req harvester.EditRequest) (before, rows []harvester.Contribution, err error) {
	defer d.edits.begin(d.now())()
	defer func() {
		if r := recover(); r != nil {
			before, rows, err = nil, nil, panicError(d.Logger.With("ids", ids), "edit", r)
		}
	}()
	err = d.underRebuild(ctx, func(lv *settings) error {
		var err error
		before, err = lv.edit(ctx, ids, req)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	d.markExportDirty()
	d.autoExport(ctx)
	rows, err = harvester.RowsHolding(ctx, d.Store, before)
	if err != nil {
		return nil, nil, fmt.Errorf("the edit was saved, but %w", err)
	}
	return before, rows, nil
}

// underRebuild runs change (which stores an edit or forgets a source)
// and rebuilds the log, holding rebuildMu so that a pass that ends
// meanwhile rebuilds again (see rebuildAfterEdits). The lock is released
// by defer: a panic in change or Rebuild must not leave every later edit
// and pass waiting for it.
func (d *Daemon) underRebuild(ctx context.Context, change func(*settings) error) error {
	d.rebuildMu.Lock()
	defer d.rebuildMu.Unlock()
	d.editGen++
	// One snapshot for both: a reload meanwhile does not mix two configs.
	lv := d.live()
	if err := change(lv); err != nil {
		return err
	}
	if err := lv.rebuild(ctx); err != nil {
		return fmt.Errorf("rebuild the log: %w", err)
	}
	return nil
}

// holding is the row of rows (those holding the edited rows'
// observations) that now holds c: the row with c's id, or after a split
// or merge the row holding c's first observation.
func holding(rows []harvester.Contribution, c harvester.Contribution) (harvester.Contribution, error) {
	for _, r := range rows {
		if r.ID == c.ID {
			return r, nil
		}
	}
	if len(c.Observations) > 0 {
		first := c.Observations[0]
		for _, r := range rows {
			for _, o := range r.Observations {
				if o.Source == first.Source && o.NativeID == first.NativeID {
					return r, nil
				}
			}
		}
	}
	return harvester.Contribution{}, fmt.Errorf("the edit was saved, but contribution %s is no longer in the log", c.ID)
}
