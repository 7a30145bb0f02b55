package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
)

// plainHandler writes a log record as a line a person reads on a terminal
// or in a cron mail: "warning: SOURCE: MESSAGE: ERROR (key=value, …)",
// without the time and level= of the daemon's structured lines
// (docs/cli.md#output). Commands other than `run` log through it unless
// -v asks for every detail. What a record carries comes from servers and
// files: each line is made printable (printableLines keeps a message's
// own line breaks).
type plainHandler struct {
	w     io.Writer
	mu    *sync.Mutex
	level slog.Level
	attrs []slog.Attr
	group string
}

var _ slog.Handler = plainHandler{}

func newPlainHandler(w io.Writer, level slog.Level) plainHandler {
	return plainHandler{w: w, mu: &sync.Mutex{}, level: level}
}

func (h plainHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level }

func (h plainHandler) Handle(_ context.Context, r slog.Record) error {
	var source, errText string
	var rest []string
	var add func(prefix string, a slog.Attr)
	add = func(prefix string, a slog.Attr) {
		v := a.Value.Resolve()
		key := prefix + a.Key
		switch {
		case v.Kind() == slog.KindGroup:
			for _, g := range v.Group() {
				add(key+".", g)
			}
		case key == "source":
			source = v.String()
		case key == "err":
			errText = valueText(v)
		case a.Key != "":
			rest = append(rest, key+"="+valueText(v))
		}
	}
	for _, a := range h.attrs {
		add("", a)
	}
	r.Attrs(func(a slog.Attr) bool {
		add(h.group, a)
		return true
	})
	var b strings.Builder
	switch {
	case r.Level >= slog.LevelError:
		b.WriteString("error: ")
	case r.Level >= slog.LevelWarn:
		b.WriteString("warning: ")
	case r.Level < slog.LevelInfo:
		b.WriteString("debug: ")
	}
	if source != "" {
		b.WriteString(source + ": ")
	}
	b.WriteString(r.Message)
	if errText != "" {
		b.WriteString(": " + errText)
	}
	if len(rest) > 0 {
		b.WriteString(" (" + strings.Join(rest, ", ") + ")")
	}
	line := strings.ReplaceAll(printableLines(strings.TrimSpace(b.String())), "\n", "\n  ") + "\n"
	h.mu.Lock()
	defer h.mu.Unlock()
	_, err := io.WriteString(h.w, line)
	return err
}

func (h plainHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	out := h
	out.attrs = append(append([]slog.Attr{}, h.attrs...), attrs...)
	if h.group != "" {
		for i := len(h.attrs); i < len(out.attrs); i++ {
			out.attrs[i].Key = h.group + out.attrs[i].Key
		}
	}
	return out
}

func (h plainHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	out := h
	out.group = h.group + name + "."
	return out
}

// valueText is a value as it reads in a sentence: an error's or a
// Stringer's text, anything else as fmt prints it.
func valueText(v slog.Value) (s string) {
	defer func() {
		// A nil pointer's Error or String may panic.
		if recover() != nil {
			s = fmt.Sprintf("%+v", v.Any())
		}
	}()
	if v.Kind() != slog.KindAny {
		return v.String()
	}
	switch x := v.Any().(type) {
	case error:
		return x.Error()
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprintf("%+v", v.Any())
}
