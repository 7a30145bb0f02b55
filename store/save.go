package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/contriblog/contriblog/harvester"
)

// BatchItem is one source's batch for SaveBatches.
type BatchItem = harvester.BatchItem

// SaveBatches saves several sources' batches in ONE transaction, as
// harvester.Store documents, and returns their results in the order
// given. It is all-or-nothing: when any batch fails, nothing of any of
// them is stored. Grouping small batches this way saves one fsync per
// source, which is most of the cost of saving a batch.
//
// For each batch:
//
//   - an observation whose key is not stored is new: FirstSeen and LastSeen
//     become pass, and a zero Date becomes pass with DateFallback
//     "first_seen";
//   - one whose content (everything but the seen times, after the zero-Date
//     rule) equals the stored one is unchanged: only its LastSeen moves;
//   - any other replaces the stored one, keeping FirstSeen, and the stored
//     Date and DateFallback when its own Date is zero.
//
// Dates are stored as UTC instants (Day and EndDay convert them to the
// person's zone anyway), so a source that reports the same instant in
// another zone does not make an update.
//
// Observations repeated within a batch count once (the last one wins).
// The source's state records pass as its last run and last success, clears
// its error, takes the batch's validators (kept as they were when it is
// NotModified) and Data (when not nil), and counts the source's stored
// observations. A nil batch is an empty one.
func (db *DB) SaveBatches(ctx context.Context, items []BatchItem) ([]harvester.SaveResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// Encoding happens before the write lock is taken: most observations
	// need nothing from the store to be encoded.
	batches := make([]pendingBatch, len(items))
	for i, it := range items {
		p, err := db.pending(it)
		if err != nil {
			return nil, fmt.Errorf("source %s: %w", it.State.Name, err)
		}
		batches[i] = p
	}
	results := make([]harvester.SaveResult, len(items))
	err := db.update(ctx, func(tx *bolt.Tx) error {
		w := newWriter(tx, db.warnRecord)
		wrote := false
		for i := range batches {
			r, err := w.saveBatch(&batches[i])
			if err != nil {
				return fmt.Errorf("source %s: %w", batches[i].state.Name, err)
			}
			results[i] = r
			wrote = wrote || len(batches[i].obs) > 0
		}
		if wrote {
			// Even an unchanged observation moved its LastSeen, which
			// the log shows: the log's inputs changed.
			return bumpRevision(tx)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return results, nil
}

// pendingBatch is a batch checked and encoded, ready for the transaction.
type pendingBatch struct {
	state harvester.SourceState
	batch *harvester.Batch
	pass  time.Time
	obs   []pendingObservation
}

// pendingObservation is one observation on its way into the store.
type pendingObservation struct {
	key []byte
	obs harvester.Observation
	// enc and text are the stored form (encodeObservation), or nil while
	// Date is zero: it then depends on the stored observation and is
	// encoded inside the transaction.
	enc, text []byte
}

// pending checks and encodes one batch item: every observation must carry
// a native id and belong to the item's source.
func (db *DB) pending(it BatchItem) (pendingBatch, error) {
	name := it.State.Name
	if name == "" {
		return pendingBatch{}, errors.New("source state has no name")
	}
	b := it.Batch
	if b == nil {
		b = &harvester.Batch{}
	}
	p := pendingBatch{state: it.State, batch: b, pass: it.Pass, obs: make([]pendingObservation, 0, len(b.Observations))}
	seen := make(map[string]bool, len(b.Observations))
	// Walk backwards so that the last of repeated observations wins. Each
	// observation is copied once, into its place in p.obs, and prepared
	// there: they are hundreds of bytes, and a cold pass saves 50,000.
	for i := len(b.Observations) - 1; i >= 0; i-- {
		in := &b.Observations[i]
		source := in.Source
		if source == "" {
			source = name
		}
		if source != name {
			return pendingBatch{}, fmt.Errorf("observation %q belongs to source %q", in.NativeID, source)
		}
		if in.NativeID == "" {
			return pendingBatch{}, fmt.Errorf("observation %d (%q) has no native id", i, in.Title)
		}
		key := observationKey(source, in.NativeID)
		if seen[string(key)] {
			continue
		}
		seen[string(key)] = true
		p.obs = append(p.obs, pendingObservation{key: key, obs: *in})
		po := &p.obs[len(p.obs)-1]
		o := &po.obs
		o.Source = source
		db.sanitiseDates(o)
		// Dates are instants: stored in UTC, the same instant parsed in
		// another zone on a later pass is not a change.
		o.Date, o.EndDate = o.Date.UTC(), o.EndDate.UTC()
		if !o.Date.IsZero() {
			if err := po.encode(); err != nil {
				return pendingBatch{}, fmt.Errorf("observation %q: %w", o.NativeID, err)
			}
		}
	}
	return p, nil
}

// sanitiseDates drops dates outside the years 0-9999 (a broken or hostile
// feed), which the log's YYYY-MM-DD cannot show, so that one bad item
// cannot spoil its batch. A dropped Date falls back to the first-seen pass
// like any missing one.
func (db *DB) sanitiseDates(o *harvester.Observation) {
	for _, t := range []*time.Time{&o.Date, &o.EndDate} {
		if y := t.Year(); !t.IsZero() && (y < 0 || y > 9999) {
			db.logger.Warn("dropping impossible date", "source", o.Source, "native_id", o.NativeID, "date", t.String())
			*t = time.Time{}
		}
	}
}

// writer holds the buckets a batch writes to.
type writer struct {
	obs, text, seen, sources, history *bolt.Bucket
	// warn is told of a stored record that does not decode (DB.warnRecord).
	warn func(bucket, key []byte, err error)
}

// savedFill is how full bbolt fills a page of saved records when it
// splits one. Its default, half, suits keys that arrive in random order;
// ours arrive a source at a time, in runs, so half-full pages nearly doubled
// the database, every byte written and every page a rebuild or an export
// maps (docs/performance.md#why-it-is-fast). A tenth is left for records that grow.
const savedFill = 0.9

func newWriter(tx *bolt.Tx, warn func(bucket, key []byte, err error)) writer {
	w := writer{obs: tx.Bucket(bucketObservations), text: tx.Bucket(bucketText), seen: tx.Bucket(bucketSeen), sources: tx.Bucket(bucketSources),
		history: tx.Bucket(bucketMetricHistory), warn: warn}
	for _, b := range []*bolt.Bucket{w.obs, w.text, w.seen, w.sources, w.history} {
		b.FillPercent = savedFill
	}
	return w
}

// outcome is what saving one observation did.
type outcome int

const (
	outcomeNew outcome = iota
	outcomeUpdated
	outcomeUnchanged
)

// saveBatch stores p's observations and the source's new state.
func (w writer) saveBatch(p *pendingBatch) (harvester.SaveResult, error) {
	var res harvester.SaveResult
	for i := range p.obs {
		out, err := w.saveObservation(&p.obs[i], p.pass)
		if err != nil {
			return res, fmt.Errorf("observation %q: %w", p.obs[i].obs.NativeID, err)
		}
		switch out {
		case outcomeNew:
			res.New++
		case outcomeUpdated:
			res.Updated++
		default:
			res.Unchanged++
		}
	}
	st, found := getState(w.sources, p.state.Name, w.warn)
	if !found {
		st = p.state
		st.Items = 0
	}
	succeeded(&st, p, res)
	return res, putState(w.sources, &st)
}

// succeeded records a successful pass in st.
func succeeded(st *harvester.SourceState, p *pendingBatch, res harvester.SaveResult) {
	st.Name = p.state.Name
	if p.state.Type != "" {
		st.Type = p.state.Type
	}
	st.LastRun, st.LastSuccess = p.pass, p.pass
	st.LastError, st.Failures, st.FailingSince = "", 0, time.Time{}
	if !p.batch.NotModified {
		st.ETag, st.LastModified = p.batch.ETag, p.batch.LastModified
	}
	if p.batch.Data != nil {
		st.Data = p.batch.Data
	}
	// Observations are never deleted, so the count only grows by what was
	// new: no scan of the bucket is needed.
	st.Items += res.New
	st.LastNew, st.LastUpdated, st.LastUnchanged = res.New, res.Updated, res.Unchanged
	st.RecordRead(p.batch, p.pass, res)
}

// saveObservation stores one observation and says whether it was new,
// updated or unchanged.
func (w writer) saveObservation(po *pendingObservation, pass time.Time) (outcome, error) {
	old := w.obs.Get(po.key)
	if old == nil {
		if po.enc == nil {
			po.obs.Date, po.obs.DateFallback = pass.UTC(), "first_seen"
			if err := po.encode(); err != nil {
				return 0, err
			}
		}
		if err := w.put(po); err != nil {
			return 0, err
		}
		if err := w.appendMetrics(po.key, po.obs.Metrics, pass); err != nil {
			return 0, fmt.Errorf("metric history: %w", err)
		}
		return outcomeNew, w.seen.Put(po.key, encodeSeen(pass, pass))
	}
	first := pass
	if sv := w.seen.Get(po.key); sv != nil {
		// A damaged seen record (Check reports it) is healed with pass.
		if f, _, err := decodeSeen(sv); err == nil {
			first = f
		}
	}
	if po.enc == nil {
		stored, _, err := decodeObservation(old)
		if err != nil {
			return 0, fmt.Errorf("decode stored observation: %w", err)
		}
		po.obs.Date, po.obs.DateFallback = stored.Date, stored.DateFallback
		if err := po.encode(); err != nil {
			return 0, err
		}
	}
	if err := w.seen.Put(po.key, encodeSeen(first, pass)); err != nil {
		return 0, err
	}
	if bytes.Equal(old, po.enc) && bytes.Equal(w.text.Get(po.key), po.text) {
		return outcomeUnchanged, nil
	}
	if po.text == nil {
		if err := w.text.Delete(po.key); err != nil {
			return 0, err
		}
	}
	if err := w.appendMetrics(po.key, po.obs.Metrics, pass); err != nil {
		return 0, fmt.Errorf("metric history: %w", err)
	}
	return outcomeUpdated, w.put(po)
}

// put stores both parts of an observation.
func (w writer) put(po *pendingObservation) error {
	if err := w.obs.Put(po.key, po.enc); err != nil {
		return err
	}
	if po.text != nil {
		return w.text.Put(po.key, po.text)
	}
	return nil
}

func (po *pendingObservation) encode() error {
	enc, text, err := encodeObservation(&po.obs)
	if err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	po.enc, po.text = enc, text
	return nil
}
