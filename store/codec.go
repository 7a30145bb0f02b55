package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"
)

// Observations and log rows are stored in a compact binary form (schema
// version 2): encoding/json spent most of a rebuild and of an export on
// field names and reflection. A value is a format byte followed by its
// fields in a fixed order:
//
//   - a string is its length (uvarint) and bytes;
//   - a slice or map is 0 for nil, else 1 + its length (uvarint), then its
//     elements; map entries are sorted by key, so that equal values encode
//     to equal bytes (an unchanged observation is found by comparing bytes);
//   - an integer is a zigzag varint, a bool one byte;
//   - a time is its length (uvarint, 0 for the zero time) and the bytes of
//     time.Time.MarshalBinary, which keep the instant and the zone offset.
//
// Strings are stored as JSON stored them: invalid UTF-8 becomes U+FFFD,
// byte by byte. Fields that JSON omitted when empty come back nil when
// empty, as they did.
//
// A log row (format 0xc2) keeps its description only when no observation
// of it has that description: else it keeps the position of that
// observation in its list, and the text is read from the observation
// (rows of format 0xc1 always kept it).
//
// An observation (format 0xb2, schema 3) keeps the length of its
// description where schema 2's (0xb1) kept the text: the text is in the
// descriptions bucket.
//
// Formats 0xb3 and 0xc3 (schema 5) are 0xb2 and 0xc2 followed by what the
// programs' forms ask (issue 16): private description, Microsoft event,
// high impact, counts. They are written only for a record that carries
// one of these; every other record keeps the bytes it had, so that an
// observation stored before is still found unchanged by comparing bytes,
// and a log rebuilt after the upgrade rewrites no row that did not change.
const (
	formatObservationV2     byte = 0xb1
	formatObservation       byte = 0xb2
	formatObservationForms  byte = 0xb3
	formatContributionV1    byte = 0xc1
	formatContribution      byte = 0xc2
	formatContributionForms byte = 0xc3
)

// errTruncated is returned when a record ends before its last field.
var errTruncated = errors.New("record is truncated")

// writer appends a record to buf.
type recordWriter struct{ buf []byte }

func (w *recordWriter) uvarint(n uint64) { w.buf = binary.AppendUvarint(w.buf, n) }
func (w *recordWriter) varint(n int64)   { w.buf = binary.AppendVarint(w.buf, n) }

func (w *recordWriter) bool(b bool) {
	v := byte(0)
	if b {
		v = 1
	}
	w.buf = append(w.buf, v)
}

func (w *recordWriter) str(s string) {
	if !utf8.ValidString(s) {
		s = validUTF8(s)
	}
	w.uvarint(uint64(len(s)))
	w.buf = append(w.buf, s...)
}

// validUTF8 replaces every invalid byte of s with U+FFFD, as encoding/json
// does.
func validUTF8(s string) string {
	out := make([]byte, 0, len(s)+8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			out = utf8.AppendRune(out, utf8.RuneError)
		} else {
			out = append(out, s[i:i+size]...)
		}
		i += size
	}
	return string(out)
}

// strs writes a string slice; keepEmpty tells an empty slice from nil.
func (w *recordWriter) strs(ss []string, keepEmpty bool) {
	if ss == nil || (len(ss) == 0 && !keepEmpty) {
		w.uvarint(0)
		return
	}
	w.uvarint(uint64(len(ss)) + 1)
	for _, s := range ss {
		w.str(s)
	}
}

func (w *recordWriter) counts(m map[string]int64, keepEmpty bool) {
	if m == nil || (len(m) == 0 && !keepEmpty) {
		w.uvarint(0)
		return
	}
	w.uvarint(uint64(len(m)) + 1)
	for _, k := range sortedKeys(m) {
		w.str(k)
		w.varint(m[k])
	}
}

// sortedKeys returns m's keys in order; the few keys of most maps are
// sorted in place of a small array.
func sortedKeys[V any](m map[string]V) []string {
	var small [8]string
	keys := small[:0]
	if len(m) > len(small) {
		keys = make([]string, 0, len(m))
	}
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func (w *recordWriter) texts(m map[string]string) {
	if len(m) == 0 {
		w.uvarint(0)
		return
	}
	w.uvarint(uint64(len(m)) + 1)
	for _, k := range sortedKeys(m) {
		w.str(k)
		w.str(m[k])
	}
}

func (w *recordWriter) time(t time.Time) error {
	if t.IsZero() {
		w.uvarint(0)
		return nil
	}
	var tmp [16]byte
	b, err := t.AppendBinary(tmp[:0])
	if err != nil {
		return err
	}
	w.uvarint(uint64(len(b)))
	w.buf = append(w.buf, b...)
	return nil
}

// recordReader reads a record. Every string it returns is a substring of
// s, the record copied out of bbolt's memory once: one allocation for all
// of a value's strings.
type recordReader struct {
	s   string
	off int
	err error
}

func (r *recordReader) fail(err error) {
	if r.err == nil {
		r.err = err
	}
	r.off = len(r.s)
}

func (r *recordReader) uvarint() uint64 {
	var n uint64
	for shift := uint(0); shift < 64; shift += 7 {
		if r.off >= len(r.s) {
			r.fail(errTruncated)
			return 0
		}
		c := r.s[r.off]
		r.off++
		n |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return n
		}
	}
	r.fail(errors.New("varint overflows 64 bits"))
	return 0
}

func (r *recordReader) varint() int64 {
	u := r.uvarint()
	return int64(u>>1) ^ -int64(u&1)
}

func (r *recordReader) bool() bool {
	if r.off >= len(r.s) {
		r.fail(errTruncated)
		return false
	}
	b := r.s[r.off]
	r.off++
	return b != 0
}

// n reads a length and checks that at least min bytes per element remain.
func (r *recordReader) n(min int) int {
	n := r.uvarint()
	if n > uint64(len(r.s)-r.off)/uint64(max(min, 1)) {
		r.fail(errTruncated)
		return 0
	}
	return int(n)
}

func (r *recordReader) str() string {
	n := r.n(1)
	s := r.s[r.off : r.off+n]
	r.off += n
	return s
}

// count reads a collection's length: -1 for nil.
func (r *recordReader) count() int {
	n := r.uvarint()
	if n == 0 {
		return -1
	}
	if n-1 > uint64(len(r.s)-r.off) { // every element takes a byte at least
		r.fail(errTruncated)
		return -1
	}
	return int(n - 1)
}

func (r *recordReader) strs() []string {
	n := r.count()
	if n < 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = r.str()
	}
	return out
}

func (r *recordReader) counts() map[string]int64 {
	n := r.count()
	if n < 0 {
		return nil
	}
	out := make(map[string]int64, n)
	for range n {
		k := r.str()
		out[k] = r.varint()
	}
	return out
}

func (r *recordReader) texts() map[string]string {
	n := r.count()
	if n < 0 {
		return nil
	}
	out := make(map[string]string, n)
	for range n {
		k := r.str()
		out[k] = r.str()
	}
	return out
}

func (r *recordReader) time() time.Time {
	n := r.n(1)
	if n == 0 {
		return time.Time{}
	}
	var t time.Time
	if err := t.UnmarshalBinary([]byte(r.s[r.off : r.off+n])); err != nil {
		r.fail(fmt.Errorf("time: %w", err))
		return time.Time{}
	}
	r.off += n
	return t
}

// start checks the format byte.
func (r *recordReader) start(format byte) {
	if len(r.s) == 0 || r.s[0] != format {
		r.fail(fmt.Errorf("not a record of format %#x", format))
		return
	}
	r.off = 1
}

// startAny reads the format byte, one of formats, and returns it (0 when
// the record has another).
func (r *recordReader) startAny(formats ...byte) byte {
	if len(r.s) > 0 && slices.Contains(formats, r.s[0]) {
		r.off = 1
		return r.s[0]
	}
	r.fail(fmt.Errorf("not a record of format %#x", formats[len(formats)-1]))
	return 0
}

// end returns the first error, or one when bytes are left over.
func (r *recordReader) end() error {
	if r.err == nil && r.off != len(r.s) {
		return fmt.Errorf("%d bytes after the record", len(r.s)-r.off)
	}
	return r.err
}
