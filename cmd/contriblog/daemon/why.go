package daemon

import (
	"errors"
	"net/http"

	"github.com/contriblog/contriblog/harvester"
)

// serveWhy answers GET /why/{id} with why the row id names has each of
// its technology areas (harvester.AreaExplanation as JSON); 404 for an
// unknown id.
func (d *Daemon) serveWhy(w http.ResponseWriter, r *http.Request) {
	if d.Store == nil {
		http.Error(w, "this daemon has no log to explain", http.StatusNotImplemented)
		return
	}
	ex, err := harvester.ExplainRow(r.Context(), d.Store, r.PathValue("id"), d.live().Log)
	switch {
	case errors.Is(err, harvester.ErrNotFound):
		httpError(w, err.Error(), http.StatusNotFound)
		return
	case err != nil:
		d.Logger.Error("explain areas failed", "id", r.PathValue("id"), "err", err)
		http.Error(w, "internal error while reading the log; the daemon's log has the details", http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusOK, ex)
}
