package harvester

import "fmt"

// HarvestRequest is one pass asked for: of which sources, and whether to
// read them in full.
type HarvestRequest struct {
	// Names selects the sources; none means every enabled one.
	Names []string
	// Refetch ignores the stored validators (ETag, Last-Modified, a
	// source's Data) of the pass's sources, so that every document is read
	// in full (`harvest --refetch`).
	Refetch bool
}

// staleness says why a source's stored validators must not be used for
// this pass, or "" when they may: a document answered "not modified"
// would then hide what the source's new configuration or a longer window
// keeps (docs/configuration.md#a-config-change-takes-effect).
//
// A state whose validators predate fingerprints (no Config recorded) is
// read in full once, which records one: the config may have changed
// before the upgrade, which is the very case this guards against.
func (h *Harvester) staleness(st SourceState, refetch bool) string {
	fp, since := h.Fingerprints[st.Name], h.sinceDay()
	switch {
	case !hasValidators(st):
		return ""
	case refetch:
		return "a refetch was asked for"
	case fp != "" && st.Config == "":
		return "no configuration fingerprint recorded yet (first pass of this version)"
	case fp != "" && st.Config != fp:
		return "its configuration changed"
	case st.ReadSince != "" && (since == "" || since < st.ReadSince):
		return fmt.Sprintf("since moved back from %s to %s", st.ReadSince, orAll(since))
	}
	return ""
}

// hasValidators reports whether st holds anything that may make a pass
// read less than the whole document.
func hasValidators(st SourceState) bool {
	return st.ETag != "" || st.LastModified != "" || len(st.Data) > 0
}

// withoutValidators is st as a source never read would have it, but for
// its bookkeeping: the next read is a full one.
func withoutValidators(st SourceState) SourceState {
	st.ETag, st.LastModified, st.Data = "", "", nil
	return st
}

// sinceDay is the first day of the harvest window, "" for none.
func (h *Harvester) sinceDay() string {
	if h.Since.IsZero() {
		return ""
	}
	return h.Since.In(h.location()).Format(DateLayout)
}

func orAll(day string) string {
	if day == "" {
		return "no limit"
	}
	return day
}
