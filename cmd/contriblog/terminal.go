package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/contriblog/contriblog/harvester"
)

// Text that came from outside — a server's reason phrase, a URL a page
// advertises, an error read back from the database or the daemon — can
// hold escape sequences that a terminal obeys (OSC 52 writes the
// clipboard, CSI 2J clears the screen) or bidi controls that reorder what
// is shown. Everything this program prints of it passes through
// harvester.Printable: table cells through cell, errors through
// printableLines, logs through printableHandler.

// cell is s as one table cell: its white space (newlines and tabs, which
// would break the table) collapsed, and what is left made printable.
func cell(s string) string { return harvester.Printable(oneLine(s)) }

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// printableLines is harvester.Printable applied to each line of s: an
// error that lists several problems (a config's, joined) keeps one per
// line.
func printableLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = harvester.Printable(l)
	}
	return strings.Join(lines, "\n")
}

// printableHandler passes what a record carries through
// harvester.Printable before the handler it wraps formats it: the
// message, attribute keys and group names, string values, errors, values
// that format themselves (fmt.Stringer), and any other value whose text
// would need escaping. The text handler quotes such strings anyway, but
// the JSON one writes C1 controls and bidi characters as they are, and
// `journalctl` shows them raw.
type printableHandler struct{ h slog.Handler }

var _ slog.Handler = printableHandler{}

func (p printableHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return p.h.Enabled(ctx, l)
}

func (p printableHandler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, harvester.Printable(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(printableAttr(a))
		return true
	})
	return p.h.Handle(ctx, out)
}

func (p printableHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return printableHandler{p.h.WithAttrs(printableAttrs(attrs))}
}

func (p printableHandler) WithGroup(name string) slog.Handler {
	return printableHandler{p.h.WithGroup(harvester.Printable(name))}
}

func printableAttrs(attrs []slog.Attr) []slog.Attr {
	out := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		out[i] = printableAttr(a)
	}
	return out
}

func printableAttr(a slog.Attr) slog.Attr {
	a.Key = harvester.Printable(a.Key)
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		a.Value = slog.StringValue(harvester.Printable(v.String()))
	case slog.KindGroup:
		a.Value = slog.GroupValue(printableAttrs(v.Group())...)
	case slog.KindAny:
		a.Value = printableAny(v)
	default:
		a.Value = v
	}
	return a
}

// printableAny turns an error or a Stringer into its printable text; any
// other value is kept as it is (the JSON handler encodes it as JSON) unless
// its text needs escaping.
func printableAny(v slog.Value) (out slog.Value) {
	defer func() {
		// A nil pointer's Error or String may panic: the wrapped handler
		// reports that as it always has.
		if recover() != nil {
			out = v
		}
	}()
	switch x := v.Any().(type) {
	case error:
		return slog.StringValue(harvester.Printable(x.Error()))
	case fmt.Stringer:
		return slog.StringValue(harvester.Printable(x.String()))
	}
	s := fmt.Sprintf("%+v", v.Any())
	if p := harvester.Printable(s); p != s {
		return slog.StringValue(p)
	}
	return v
}
