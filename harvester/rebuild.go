package harvester

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"os"
	"runtime/debug"
	"slices"
	"strconv"
	"sync"
	"time"
)

// Rebuild recomputes the contribution log from every stored observation and
// edit and stores it when it differs from the stored one. It reports
// whether the log changed and how many rows it has.
func (h *Harvester) Rebuild(ctx context.Context) (changed bool, rows int, err error) {
	return RebuildLog(ctx, h.Store, h.Log)
}

// RebuildLog is Rebuild for callers without a Harvester (the edit command).
//
// The stored log is stamped with the store's revision and a fingerprint of
// opts and of this build: when the stamp is still what it would record,
// nothing the log is built from has changed since it was stored (no
// observation saved, no edit made, the same config and the same program),
// so the log is already what a rebuild would make and nothing is read.
// Otherwise the log is built and stored; the store leaves its rows alone
// when they are the same.
func RebuildLog(ctx context.Context, st Store, opts LogOptions) (changed bool, rows int, err error) {
	// The revision is read before the observations and edits: anything
	// saved while they are read makes the stamp stale, so the next rebuild
	// sees it.
	state, err := st.LogState(ctx)
	if err != nil {
		return false, 0, fmt.Errorf("read log state: %w", err)
	}
	stamp := logStamp(state.Revision, opts)
	if state.Stamp == stamp {
		return false, state.Rows, nil
	}
	// Descriptions are most of what is stored, and the log needs their
	// text only to tag areas by keyword: without areas it reads none.
	descriptions := Descriptions(len(opts.Areas) > 0)
	obs, err := readObservations(ctx, st, descriptions)
	if err != nil {
		return false, 0, err
	}
	edits, err := st.Edits(ctx)
	if err != nil {
		return false, 0, fmt.Errorf("read edits: %w", err)
	}
	log := buildLog(obs, edits, opts)
	// Nothing here uses log after StoreLog, so the store can let it go
	// once it has encoded it, before it writes (half the peak memory).
	rows = len(log)
	if changed, err = st.StoreLog(ctx, log, stamp); err != nil {
		return false, 0, fmt.Errorf("store log: %w", err)
	}
	return changed, rows, nil
}

// LogCurrent reports whether the stored log is what RebuildLog would make
// now with opts: false after observations or edits were saved without a
// rebuild (a harvest killed between its last save and its rebuild), after
// the config's log options changed, or under another build of the program.
// Reading it costs one small transaction.
func LogCurrent(ctx context.Context, st Store, opts LogOptions) (bool, error) {
	state, err := st.LogState(ctx)
	if err != nil {
		return false, fmt.Errorf("read log state: %w", err)
	}
	return state.Stamp == logStamp(state.Revision, opts), nil
}

// readObservations returns every stored observation where the store put
// it: copying 50,000 observations into one slice doubled them in memory
// for a moment.
func readObservations(ctx context.Context, st Store, descriptions Descriptions) ([]*Observation, error) {
	var obs []*Observation
	if err := st.ForEachObservation(ctx, descriptions, func(o *Observation) error {
		obs = append(obs, o)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("read observations: %w", err)
	}
	return obs, nil
}

// logFormat names what BuildLog computes; change it when BuildLog's output
// for the same inputs changes, so that stored logs are rebuilt even by a
// build without version control information. log/4: stores record
// LogState's Excluded and Persons when they store a log, rows carry no
// listing URL, and a forced merge is led by the row named first (issue
// 15), so a log stored before is stored again once. log/5: rows carry
// the forms' fields of hand-kept entries and edits (issue 16), and
// keywords of areas match as docs/configuration.md#keyword-matching says.
// log/6: rule 3 joins code contributions of one kind only (issue 20).
const logFormat = "log/6"

// logStamp is the stamp of a log built at revision with opts by this
// program.
func logStamp(revision uint64, opts LogOptions) string {
	return strconv.FormatUint(revision, 10) + "/" + optionsFingerprint(opts)
}

// optionsFingerprint hashes everything besides observations and edits that
// BuildLog's output depends on: the options and the program itself.
func optionsFingerprint(opts LogOptions) string {
	h := sha256.New()
	put := func(parts ...string) {
		for _, p := range parts {
			fmt.Fprintf(h, "%d:%s", len(p), p)
		}
	}
	put(logFormat, buildFingerprint())
	hashLocation(h, opts.Location)
	v := opts.Vocabulary
	if v == nil {
		v = NewVocabulary(nil)
	}
	for _, n := range v.Names() {
		put("type", n, v.Family(n), v.Role(n))
	}
	for _, a := range opts.Areas {
		put("area", a.Name, strconv.Itoa(len(a.Keywords)))
		put(a.Keywords...)
	}
	for _, k := range sortedKeys(opts.Priority) {
		put("priority", k, strconv.Itoa(opts.Priority[k]))
	}
	for _, k := range sortedKeys(opts.SourceAreas) {
		put("source_areas", k, strconv.Itoa(len(opts.SourceAreas[k])))
		put(opts.SourceAreas[k]...)
	}
	for _, k := range sortedKeys(opts.SourceAudience) {
		put("source_audience", k, strconv.Itoa(len(opts.SourceAudience[k])))
		put(opts.SourceAudience[k]...)
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// hashLocation identifies the zone dates are shown in. "Local" names
// whatever the machine's zone is, so for it the zone's name and offsets
// this year are hashed too: a change of TZ changes the stamp.
func hashLocation(h hash.Hash, loc *time.Location) {
	if loc == nil {
		loc = time.Local
	}
	fmt.Fprintf(h, "loc:%s", loc)
	if loc == time.Local {
		y := time.Now().Year()
		for _, m := range []time.Month{time.January, time.July} {
			name, off := time.Date(y, m, 1, 0, 0, 0, 0, loc).Zone()
			fmt.Fprintf(h, "|%s%d", name, off)
		}
		fmt.Fprintf(h, "|TZ=%s", os.Getenv("TZ"))
	}
}

// buildFingerprint identifies the running program's code, so that a new
// build (which may build the log differently) rebuilds it once.
var buildFingerprint = sync.OnceValue(func() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	out := bi.GoVersion + " " + bi.Main.Path + "@" + bi.Main.Version
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision", "vcs.time", "vcs.modified":
			out += " " + s.Key + "=" + s.Value
		}
	}
	return out
})

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
