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
// (JSON, the export's keys with excluded).
func (d *Daemon) serveEdit(w http.ResponseWriter, r *http.Request) {
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
	row, err := d.applyEdit(ctx, r.PathValue("id"), req)
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
		d.Logger.Error("edit failed", "id", r.PathValue("id"), "err", err)
		httpError(w, err.Error(), http.StatusInternalServerError)
	default:
		// The JSON export's object, excluded key included: null for an
		// unknown reach and [] for no items, as every answer of the API.
		writeJSON(w, http.StatusOK, export.JSONRow(&row, export.Options{All: true}))
	}
}

// applyEdit stores the edit, rebuilds the log and rewrites the export,
// and returns the row that now holds the contribution. A panic on the way
// becomes an error wrapping errInternal; /healthz reports an edit that
// runs past EditStuckAfter.
func (d *Daemon) applyEdit(ctx context.Context, id string, req harvester.EditRequest) (row harvester.Contribution, err error) {
	defer d.edits.begin(d.now())()
	defer func() {
		if r := recover(); r != nil {
			row, err = harvester.Contribution{}, panicError(d.Logger.With("id", id), "edit", r)
		}
	}()
	before, err := d.storeEdit(ctx, id, req)
	if err != nil {
		return harvester.Contribution{}, err
	}
	d.markExportDirty()
	d.autoExport(ctx)
	return findRow(ctx, d.Store, before)
}

// storeEdit stores the edit and rebuilds the log, holding rebuildMu so
// that a pass that ends meanwhile rebuilds again (see rebuildAfterEdits).
// The lock is released by defer: a panic in Edit or Rebuild must not
// leave every later edit and pass waiting for it.
func (d *Daemon) storeEdit(ctx context.Context, id string, req harvester.EditRequest) (harvester.Contribution, error) {
	d.rebuildMu.Lock()
	defer d.rebuildMu.Unlock()
	d.editGen++
	lv := d.live()
	before, err := lv.edit(ctx, id, req)
	if err != nil {
		return before, err
	}
	if err := lv.rebuild(ctx); err != nil {
		return before, fmt.Errorf("rebuild the log: %w", err)
	}
	return before, nil
}

// findRow returns the log row that now holds c: the row with c's id, or
// after a split or merge the row holding c's first observation.
func findRow(ctx context.Context, st harvester.Store, c harvester.Contribution) (harvester.Contribution, error) {
	row, err := st.Contribution(ctx, c.ID)
	if err == nil || !errors.Is(err, harvester.ErrNotFound) || len(c.Observations) == 0 {
		if err != nil {
			err = fmt.Errorf("the edit was saved, but reading contribution %s failed: %w", c.ID, err)
		}
		return row, err
	}
	first := c.Observations[0]
	var found *harvester.Contribution
	err = st.ForEachContribution(ctx, func(r *harvester.Contribution) error {
		for _, o := range r.Observations {
			if found == nil && o.Source == first.Source && o.NativeID == first.NativeID {
				found = r
			}
		}
		return nil
	})
	if err != nil {
		return harvester.Contribution{}, fmt.Errorf("the edit was saved, but reading the log failed: %w", err)
	}
	if found == nil {
		return harvester.Contribution{}, fmt.Errorf("the edit was saved, but contribution %s is no longer in the log", c.ID)
	}
	return *found, nil
}
