package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"

	"github.com/contriblog/contriblog/harvester"
)

// encodeObservation returns the stored form of o (see codec.go) in two
// parts: core, its content without FirstSeen and LastSeen (which live in
// the seen bucket) and without its description, of which it keeps the
// length; and text, the description (nil when there is none), which lives
// in the descriptions bucket. Building the log reads every core and no
// text: descriptions were four fifths of an observation. Because the
// stored bytes carry only content, an observation seen again is unchanged
// exactly when both parts equal the stored ones, with nothing decoded. The
// slices are freshly allocated, as bbolt's Put needs its value to stay
// untouched until the transaction ends.
func encodeObservation(o *harvester.Observation) (core, text []byte, err error) {
	desc := o.Description
	if !utf8.ValidString(desc) {
		desc = validUTF8(desc)
	}
	w := recordWriter{buf: make([]byte, 0, observationSizeHint(o))}
	forms := o.PrivateDescription != "" || o.MicrosoftEvent != "" || o.HighImpact || len(o.Counts) > 0
	if forms {
		w.buf = append(w.buf, formatObservationForms)
	} else {
		w.buf = append(w.buf, formatObservation)
	}
	for _, s := range []string{o.Source, o.NativeID, o.Person, o.ActivityType, o.Role, o.Title} {
		w.str(s)
	}
	w.uvarint(uint64(len(desc)))
	w.str(o.URL)
	w.strs(o.OtherURLs, false)
	w.str(o.CanonicalURL)
	w.bool(o.URLIsListing)
	if err := w.time(o.Date); err != nil {
		return nil, nil, fmt.Errorf("date: %w", err)
	}
	if err := w.time(o.EndDate); err != nil {
		return nil, nil, fmt.Errorf("end date: %w", err)
	}
	w.bool(o.AllDay)
	w.str(o.DateFallback)
	w.strs(o.Authors, false)
	w.strs(o.Categories, false)
	w.str(o.FeedTitle)
	w.counts(o.Metrics, false)
	w.texts(o.Meta)
	w.str(o.PrimaryArea)
	w.strs(o.AdditionalAreas, false)
	w.strs(o.TargetAudience, false)
	w.varint(int64(o.Quantity))
	w.varint(o.Reach)
	if forms {
		w.str(o.PrivateDescription)
		w.str(o.MicrosoftEvent)
		w.bool(o.HighImpact)
		w.counts(o.Counts, false)
	}
	if desc != "" {
		text = []byte(desc)
	}
	return w.buf, text, nil
}

func observationSizeHint(o *harvester.Observation) int {
	n := 64 + len(o.Source) + len(o.NativeID) + len(o.Person) + len(o.ActivityType) + len(o.Title) +
		len(o.URL) + len(o.CanonicalURL) + len(o.FeedTitle)
	for _, u := range o.OtherURLs {
		n += len(u) + 2
	}
	return n
}

// decodeObservation decodes a stored observation's core: the observation
// without its description, and the length of the description. A record of
// schema 2 (format 0xb1, which held its description) comes back with it.
// The result shares nothing with data.
func decodeObservation(data []byte) (o *harvester.Observation, descLen int, err error) {
	o = new(harvester.Observation)
	r := recordReader{s: string(data)}
	format := r.startAny(formatObservationV2, formatObservationForms, formatObservation)
	v2 := format == formatObservationV2
	o.Source, o.NativeID, o.Person, o.ActivityType = r.str(), r.str(), r.str(), r.str()
	o.Role, o.Title = r.str(), r.str()
	if v2 {
		o.Description = r.str()
		descLen = len(o.Description)
	} else if n := r.uvarint(); n > maxDescription {
		r.fail(fmt.Errorf("description of %d bytes", n))
	} else {
		descLen = int(n)
	}
	o.URL = r.str()
	o.OtherURLs = r.strs()
	o.CanonicalURL = r.str()
	o.URLIsListing = r.bool()
	o.Date, o.EndDate = r.time(), r.time()
	o.AllDay = r.bool()
	o.DateFallback = r.str()
	o.Authors, o.Categories = r.strs(), r.strs()
	o.FeedTitle = r.str()
	o.Metrics, o.Meta = r.counts(), r.texts()
	o.PrimaryArea = r.str()
	o.AdditionalAreas, o.TargetAudience = r.strs(), r.strs()
	o.Quantity, o.Reach = int(r.varint()), r.varint()
	if format == formatObservationForms {
		o.PrivateDescription, o.MicrosoftEvent = r.str(), r.str()
		o.HighImpact, o.Counts = r.bool(), r.counts()
	}
	if err := r.end(); err != nil {
		return nil, 0, err
	}
	return o, descLen, nil
}

// maxDescription bounds the description length a record may claim (a
// damaged record must not make anyone allocate terabytes).
const maxDescription = 1 << 30

// readDescription returns the description of the observation stored under
// key, whose core says it has descLen bytes.
func readDescription(tx *bolt.Tx, key []byte, descLen int) (string, error) {
	if descLen == 0 {
		return "", nil
	}
	return description(tx.Bucket(bucketText).Get(key), descLen)
}

// description is the stored text of a description of descLen bytes.
func description(text []byte, descLen int) (string, error) {
	if len(text) != descLen {
		return "", fmt.Errorf("its description has %d bytes, want %d", len(text), descLen)
	}
	return string(text), nil
}

// marshal encodes v as compact JSON without escaping <, > and & (source
// states and edits are JSON; escaping only makes the file bigger).
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// seenLen is the size of a seen value: first and last seen, each a UTC
// time.Time in its 15-byte binary form.
const seenLen = 30

func encodeSeen(first, last time.Time) []byte {
	out := make([]byte, 0, seenLen)
	// MarshalBinary fails only for zone offsets that are not whole
	// minutes; UTC has none.
	f, _ := first.UTC().MarshalBinary()
	l, _ := last.UTC().MarshalBinary()
	return append(append(out, f...), l...)
}

func decodeSeen(v []byte) (first, last time.Time, err error) {
	if len(v) != seenLen {
		return first, last, fmt.Errorf("seen record of %d bytes, want %d", len(v), seenLen)
	}
	if err := first.UnmarshalBinary(v[:seenLen/2]); err != nil {
		return first, last, err
	}
	if err := last.UnmarshalBinary(v[seenLen/2:]); err != nil {
		return first, last, err
	}
	return first, last, nil
}

// maxKeyLen bounds observation keys. Longer ones (a feed with a 40 KiB
// GUID) are hashed so that bbolt's key limit can never fail a batch; the
// record itself keeps the full native id.
const maxKeyLen = 1024

// observationKey is the bucket key of the observation with source and
// nativeID: harvester.ObservationKey, or its hash when it is too long.
func observationKey(source, nativeID string) []byte {
	k := harvester.ObservationKey(source, nativeID)
	if len(k) <= maxKeyLen {
		return []byte(k)
	}
	// 0xff never occurs in UTF-8, so a hashed key cannot equal a plain one.
	sum := sha256.Sum256([]byte(k))
	return []byte(source + "\x00\xffsha256:" + hex.EncodeToString(sum[:]))
}
