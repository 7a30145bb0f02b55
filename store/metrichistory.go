package store

import (
	"bytes"
	"context"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/contriblog/contriblog/harvester"
)

// formatMetricHistory starts a record of bucketMetricHistory: a count, then
// per point its metric's name, its value (varint) and its time as Unix
// seconds (varint) and nanoseconds (uvarint), in UTC. About 12 bytes a
// point: a video whose views change every day for ten years is 40 KiB.
const formatMetricHistory byte = 0xd1

func encodeMetricHistory(points []harvester.MetricPoint) []byte {
	w := recordWriter{buf: make([]byte, 0, 2+len(points)*16)}
	w.buf = append(w.buf, formatMetricHistory)
	w.uvarint(uint64(len(points)))
	for _, p := range points {
		w.str(p.Metric)
		w.varint(p.Value)
		w.varint(p.At.Unix())
		w.uvarint(uint64(p.At.Nanosecond()))
	}
	return w.buf
}

func decodeMetricHistory(data []byte) ([]harvester.MetricPoint, error) {
	r := recordReader{s: string(data)}
	r.start(formatMetricHistory)
	n := r.n(4) // a point takes 4 bytes at least
	points := make([]harvester.MetricPoint, 0, n)
	for range n {
		var p harvester.MetricPoint
		p.Metric = r.str()
		p.Value = r.varint()
		sec := r.varint()
		nsec := r.uvarint()
		if nsec >= uint64(time.Second) {
			r.fail(fmt.Errorf("metric point of %d nanoseconds", nsec))
		}
		if r.err != nil {
			break
		}
		p.At = time.Unix(sec, int64(nsec)).UTC()
		points = append(points, p)
	}
	if err := r.end(); err != nil {
		return nil, err
	}
	return points, nil
}

// appendMetrics records the metrics of an observation just stored as new
// or updated, as of pass: a point for each metric that changed or is new
// (harvester.AppendMetricChanges). An unchanged observation has the
// metrics its last points hold and is never passed here, which keeps a
// daily pass from writing anything to this bucket. A damaged record is
// replaced by the observation's current metrics, with the usual warning.
func (w writer) appendMetrics(key []byte, metrics map[string]int64, pass time.Time) error {
	if len(metrics) == 0 {
		return nil
	}
	var points []harvester.MetricPoint
	if v := w.history.Get(key); v != nil {
		p, err := decodeMetricHistory(v)
		if err != nil {
			w.warn(bucketMetricHistory, key, err)
		}
		points = p
	}
	points, grew := harvester.AppendMetricChanges(points, metrics, pass.UTC())
	if !grew {
		return nil
	}
	return w.history.Put(key, encodeMetricHistory(points))
}

// MetricHistory returns the metric points of the observations keys name
// (harvester.ObservationKey), or with keys nil of every observation that
// has some, by key; an observation without points is absent. A record
// that does not decode is skipped with a warning.
func (db *DB) MetricHistory(ctx context.Context, keys []string) (map[string][]harvester.MetricPoint, error) {
	out := make(map[string][]harvester.MetricPoint)
	err := db.view(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketMetricHistory)
		add := func(k, v []byte, name string) {
			points, err := decodeMetricHistory(v)
			if err != nil {
				db.warnRecord(bucketMetricHistory, k, err)
				return
			}
			if len(points) > 0 {
				out[name] = points
			}
		}
		if keys == nil {
			return b.ForEach(func(k, v []byte) error {
				if err := ctx.Err(); err != nil {
					return err
				}
				add(k, v, keyName(tx, k))
				return nil
			})
		}
		for _, name := range keys {
			source, id := harvester.SplitObservationKey(name)
			k := observationKey(source, id)
			if v := b.Get(k); v != nil {
				add(k, v, name)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read metric history: %w", err)
	}
	return out, nil
}

// keyName is the observation key (harvester.ObservationKey) a stored key
// stands for: itself, or for a hashed one (observationKey) the key of the
// observation stored under it.
func keyName(tx *bolt.Tx, k []byte) string {
	if !isHashedKey(k) {
		return string(k)
	}
	if v := tx.Bucket(bucketObservations).Get(k); v != nil {
		if o, _, err := decodeObservation(v); err == nil {
			return o.Key()
		}
	}
	return string(k)
}

// seedMetricHistory (schema 6 -> 7) creates the history bucket and gives
// every stored observation its current metrics as a first point dated
// its last sighting: the earliest moment the store knows the value held.
// An observation that does not decode gets none (validate reports it).
func seedMetricHistory(tx *bolt.Tx) error {
	if err := createBuckets(tx); err != nil {
		return err
	}
	hist, seen := tx.Bucket(bucketMetricHistory), tx.Bucket(bucketSeen)
	return tx.Bucket(bucketObservations).ForEach(func(k, v []byte) error {
		o, _, err := decodeObservation(v)
		if err != nil || len(o.Metrics) == 0 || hist.Get(k) != nil {
			return nil
		}
		at := time.Time{}
		if sv := seen.Get(k); sv != nil {
			if _, last, err := decodeSeen(sv); err == nil {
				at = last
			}
		}
		points, _ := harvester.AppendMetricChanges(nil, o.Metrics, at.UTC())
		return hist.Put(bytesClone(k), encodeMetricHistory(points))
	})
}

func bytesClone(b []byte) []byte { return append([]byte(nil), b...) }

// isHashedKey reports whether k is a hashed observation key
// (observationKey), which does not spell the observation's key.
func isHashedKey(k []byte) bool { return bytes.Contains(k, []byte("\x00\xffsha256:")) }
