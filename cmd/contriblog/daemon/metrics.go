package daemon

import (
	"io"
	"sort"
	"sync"
	"time"

	"github.com/contriblog/contriblog/harvester"
)

// metrics counts what the daemon did since it started. Timestamps of
// success and failure counts come from the store at scrape time instead,
// so that they survive restarts.
type metrics struct {
	mu              sync.Mutex
	passes          uint64
	passErrors      uint64
	lastPassSeconds float64
	rows            int
	sources         map[string]*sourceMetrics
	exportWrites    uint64
	exportErrors    uint64
	lastExport      time.Time
	backups         uint64
	backupErrors    uint64
	lastBackup      time.Time
	authFailures    uint64
}

// sourceMetrics is one source's share.
type sourceMetrics struct {
	passes, errors          uint64
	new, updated, unchanged int
	seconds                 float64
}

// newMetrics starts every configured source at zero, so that its series
// exist before its first pass (rate() needs a starting point).
func newMetrics(sources []SourceSchedule) *metrics {
	m := &metrics{sources: map[string]*sourceMetrics{}}
	for _, s := range sources {
		m.sources[s.Name] = &sourceMetrics{}
	}
	return m
}

// addSources starts the series of sources a reload added.
func (m *metrics) addSources(sources []SourceSchedule) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, s := range sources {
		m.source(s.Name)
	}
}

func (m *metrics) source(name string) *sourceMetrics {
	sm, ok := m.sources[name]
	if !ok {
		sm = &sourceMetrics{}
		m.sources[name] = sm
	}
	return sm
}

// recordPass counts one pass. A source whose only error is the pass being
// cancelled by shutdown is not counted as failed.
func (m *metrics) recordPass(p *harvester.Pass, err error, took time.Duration, interrupted bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.passes++
	m.lastPassSeconds = took.Seconds()
	if err != nil && !interrupted {
		m.passErrors++
	}
	if p == nil {
		return
	}
	if err == nil {
		m.rows = p.Rows
	}
	for _, r := range p.Results {
		if interrupted && r.Err != nil && isCancellation(r.Err) {
			continue
		}
		sm := m.source(r.Source)
		sm.passes++
		sm.seconds = r.Duration.Seconds()
		sm.new, sm.updated, sm.unchanged = r.New, r.Updated, r.Unchanged
		if r.Err != nil {
			sm.errors++
		}
	}
}

func (m *metrics) exportWritten(at time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.exportWrites++
	m.lastExport = at
}

func (m *metrics) exportFailed() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.exportErrors++
}

// backupDone counts a backup written (err nil) or failed.
func (m *metrics) backupDone(at time.Time, err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err != nil {
		m.backupErrors++
		return
	}
	m.backups++
	m.lastBackup = at
}

// authFailed counts a request refused for a wrong or missing token.
func (m *metrics) authFailed() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.authFailures++
}

// write renders every metric in the Prometheus text exposition format
// (version 0.0.4), sources sorted by name. states are the store's.
func (m *metrics) write(w io.Writer, states []harvester.SourceState, passRunning bool) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	byName := map[string]harvester.SourceState{}
	for _, st := range states {
		byName[st.Name] = st
		m.source(st.Name)
	}
	names := make([]string, 0, len(m.sources))
	for n := range m.sources {
		names = append(names, n)
	}
	sort.Strings(names)

	var fams []family
	fams = append(fams,
		scalar("contriblog_passes_total", "counter", "Harvest passes run since the daemon started.", float64(m.passes)),
		scalar("contriblog_pass_failures_total", "counter", "Passes that failed as a whole (the store, not a source).", float64(m.passErrors)),
		scalar("contriblog_pass_duration_seconds", "gauge", "Duration of the latest pass.", m.lastPassSeconds),
		scalar("contriblog_pass_running", "gauge", "1 while a pass is running.", boolValue(passRunning)),
		scalar("contriblog_log_rows", "gauge", "Rows of the contribution log after the latest pass.", float64(m.rows)),
		scalar("contriblog_export_writes_total", "counter", "Times the export file was rewritten.", float64(m.exportWrites)),
		scalar("contriblog_export_errors_total", "counter", "Failed attempts to write the export file.", float64(m.exportErrors)),
		scalar("contriblog_export_last_write_timestamp_seconds", "gauge", "When the export file was last rewritten (0: not since start).", unixSeconds(m.lastExport)),
		scalar("contriblog_backups_total", "counter", "Backups of the database written since the daemon started (daily and asked for).", float64(m.backups)),
		scalar("contriblog_backup_errors_total", "counter", "Failed backups of the database since the daemon started.", float64(m.backupErrors)),
		scalar("contriblog_backup_last_success_timestamp_seconds", "gauge", "When a backup was last written (0: not since start).", unixSeconds(m.lastBackup)),
		scalar("contriblog_http_auth_failures_total", "counter", "HTTP requests refused for a missing or wrong bearer token.", float64(m.authFailures)),
	)
	fams = append(fams, m.sourceFamilies(names, byName)...)
	return writeFamilies(w, fams)
}

// sourceFamilies are the per-source metrics.
func (m *metrics) sourceFamilies(names []string, states map[string]harvester.SourceState) []family {
	passes := family{name: "contriblog_source_passes_total", typ: "counter", help: "Passes that harvested the source since the daemon started."}
	items := family{name: "contriblog_source_items", typ: "gauge", help: "Items the source's latest pass found, by kind (new, updated, unchanged)."}
	errs := family{name: "contriblog_source_errors_total", typ: "counter", help: "Failed passes of the source since the daemon started."}
	dur := family{name: "contriblog_source_duration_seconds", typ: "gauge", help: "Duration of the source's latest pass."}
	success := family{name: "contriblog_source_last_success_timestamp_seconds", typ: "gauge", help: "When the source last harvested successfully (0: never)."}
	failing := family{name: "contriblog_source_consecutive_failures", typ: "gauge", help: "Failed passes of the source in a row (0: healthy)."}
	stored := family{name: "contriblog_source_observations", typ: "gauge", help: "Observations of the source kept in the database."}
	for _, n := range names {
		sm, st := m.sources[n], states[n]
		src := []label{{"source", n}}
		passes.add(src, float64(sm.passes))
		for _, k := range []struct {
			kind string
			v    int
		}{{"new", sm.new}, {"updated", sm.updated}, {"unchanged", sm.unchanged}} {
			items.add([]label{{"source", n}, {"kind", k.kind}}, float64(k.v))
		}
		errs.add(src, float64(sm.errors))
		dur.add(src, sm.seconds)
		success.add(src, unixSeconds(st.LastSuccess))
		failing.add(src, float64(st.Failures))
		stored.add(src, float64(st.Items))
	}
	return []family{passes, items, errs, dur, success, failing, stored}
}

func boolValue(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func unixSeconds(t time.Time) float64 {
	if t.IsZero() {
		return 0
	}
	return float64(t.UnixMilli()) / 1000
}
