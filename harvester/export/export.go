// Package export encodes the contribution log: CSV whose columns match the
// nomination form, JSON with every field, Markdown for reading, and the
// aligned table `contriblog list` prints.
package export

import (
	"fmt"
	"io"
	"strings"

	"github.com/contriblog/contriblog/harvester"
)

// Caps of contract §4.
const (
	MaxTitle       = 100
	MaxDescription = 1000
)

// Options shape an export.
type Options struct {
	// All includes rows curated as excluded (and, in JSON, the excluded key).
	All bool
}

// Encoder writes one row per Encode; Close finishes the document and
// returns the writer's error.
type Encoder interface {
	Encode(c *harvester.Contribution) error
	Close() error
}

// Formats lists the formats New accepts.
func Formats() []string { return []string{"csv", "json", "md"} }

// New returns the encoder of format ("csv", "json", "md" or "markdown").
func New(format string, w io.Writer, opts Options) (Encoder, error) {
	switch strings.ToLower(format) {
	case "csv":
		return NewCSVEncoder(w, opts), nil
	case "json":
		return NewJSONEncoder(w, opts), nil
	case "md", "markdown":
		return NewMarkdownEncoder(w, opts), nil
	}
	return nil, fmt.Errorf("unknown export format %q; formats: %s", format, strings.Join(Formats(), ", "))
}

// title and description are the capped, plain-text forms every format
// shows.
func title(c *harvester.Contribution) string {
	return harvester.Truncate(harvester.PlainText(c.Title), MaxTitle)
}

func description(c *harvester.Contribution) string {
	return harvester.Truncate(harvester.PlainText(c.Description), MaxDescription)
}

func cleanList(in []string) []string {
	out := make([]string, 0, len(in))
	for _, s := range in {
		if s = harvester.CleanText(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func quantity(c *harvester.Contribution) int {
	if c.Quantity <= 0 {
		return 1
	}
	return c.Quantity
}
