// Package export encodes the contribution log (docs/log.md): CSV whose
// columns are the nomination form's, JSON with every field, Markdown for
// reading, and the aligned table `contriblog list` prints. Every encoder
// follows one shape: the constructor writes the document's start, Encode
// writes one row (rows come oldest first, as the log keeps them), Close
// finishes the document and returns the first error, the writer's
// included. After an error every further call returns it.
package export

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/contriblog/contriblog/harvester"
)

// Caps of docs/log.md#csv-columns, in characters (runes).
const (
	MaxTitle       = 100
	MaxDescription = 1000
)

// Options shape an export.
type Options struct {
	// All includes rows curated as excluded; JSON then carries the
	// excluded key on every row.
	All bool
	// ByPerson gives each person a section of their own in Markdown, for
	// a log of several persons (harvester.LogState.Persons); the other
	// formats have a person on every row already.
	ByPerson bool
	// Excel makes CSV open right in Excel by double-click: a UTF-8
	// byte-order mark first (docs/log.md#csv). Only CSV has it.
	Excel bool
}

// Encoder writes one row per Encode; Close finishes the document and
// returns the first error met, the underlying writer's included.
type Encoder interface {
	Encode(c *harvester.Contribution) error
	Close() error
}

var (
	_ Encoder = (*CSVEncoder)(nil)
	_ Encoder = (*JSONEncoder)(nil)
	_ Encoder = (*MarkdownEncoder)(nil)
	_ Encoder = (*TableEncoder)(nil)
)

// errNilRow is what Encode returns for a nil contribution instead of
// panicking.
var errNilRow = errors.New("encode: nil contribution")

// ErrClosed is what Encode returns after Close.
var ErrClosed = errors.New("encoder is closed")

// Formats lists the format names New accepts, in the order help texts
// show them ("markdown" is accepted too, as a synonym of "md").
func Formats() []string { return []string{"csv", "json", "md"} }

// New returns the encoder of format: "csv", "json", "md" or "markdown",
// in any case. An unknown format is an error that lists the known ones.
func New(format string, w io.Writer, opts Options) (Encoder, error) {
	switch strings.ToLower(strings.TrimSpace(format)) {
	case "csv":
		return NewCSVEncoder(w, opts), nil
	case "json":
		return NewJSONEncoder(w, opts), nil
	case "md", "markdown":
		return NewMarkdownEncoder(w, opts), nil
	}
	return nil, fmt.Errorf("unknown export format %q; formats: %s", format, strings.Join(Formats(), ", "))
}

// skip reports whether a row stays out of an export with these options.
func skip(c *harvester.Contribution, all bool) bool { return c.Excluded && !all }

// gate is the state every encoder shares: its first error, which every
// later call returns, and whether it was closed.
type gate struct {
	done bool
	err  error
}

// admit says whether Encode should write c. It refuses (with the error
// to return) after a failure or Close and for a nil row, and skips a row
// curated as excluded unless all.
func (g *gate) admit(c *harvester.Contribution, all bool) (bool, error) {
	if g.err != nil || g.done {
		return false, cmp.Or(g.err, ErrClosed)
	}
	if c == nil {
		return false, errNilRow
	}
	return !skip(c, all), nil
}

// title is the capped, plain-text title every format shows.
func title(c *harvester.Contribution) string { return capTitle(c.Title) }

// capTitle makes s plain text capped at MaxTitle: a row's title, and each
// of its observations' in JSON.
func capTitle(s string) string { return harvester.Truncate(harvester.PlainText(s), MaxTitle) }

// description is the capped, plain-text description every format shows.
func description(c *harvester.Contribution) string {
	return harvester.Truncate(harvester.PlainText(c.Description), MaxDescription)
}

// quantity is the row's quantity: 1 unless curated (zero or less means
// unset).
func quantity(c *harvester.Contribution) int {
	if c.Quantity <= 0 {
		return 1
	}
	return c.Quantity
}

// reach is the row's reach, 0 meaning unknown; a negative value (never
// harvested, only a hand-made mistake) is unknown too.
func reach(c *harvester.Contribution) int64 { return max(c.Reach, 0) }
