package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/program"
)

// ProgramEncoder writes a program's export (docs/programs.md#exports): the
// rows as the program's form or API takes them. A row holding a value
// the program does not take (a type it has no type for, an area, role,
// audience or event it does not list) is never guessed: it is left out,
// and LeftOut says which and why. Rows curated as excluded are never in
// it. Text is cleaned and capped as in the general log (MaxTitle,
// MaxDescription): nothing a person wrote is cut further; `contriblog
// check` reports what is over the program's limits.
type ProgramEncoder interface {
	Encoder
	// LeftOut returns the rows left out so far, each once, in log order.
	LeftOut() []harvester.LeftOut
}

// ProgramFormats lists the formats NewProgram accepts.
func ProgramFormats() []string { return []string{"csv", "json"} }

// shape is one program format's columns and objects.
type shape struct {
	header []string
	// record is the CSV row of c placed as e, with len(header) cells.
	record func(c *harvester.Contribution, e *program.Entry) []string
	// object is the JSON value of the row.
	object func(c *harvester.Contribution, e *program.Entry) any
	// open and close wrap the JSON objects: "[" and "]" for an array.
	open, close string
}

// NewProgram returns the encoder of p's export in format, csv or json (in
// any case), to w; the shape is p.Format's. Of opts, only Excel is used.
func NewProgram(p *program.Profile, format string, w io.Writer, opts Options) (ProgramEncoder, error) {
	var s shape
	switch p.Format {
	case program.FormatStars:
		s = starsShape
	case program.FormatAdvocu:
		s = advocuShape
	default:
		s = formShape
	}
	base := programBase{p: p}
	switch strings.ToLower(strings.TrimSpace(format)) {
	case "csv":
		return newProgramCSV(base, s, w, opts), nil
	case "json":
		return newProgramJSON(base, s, w), nil
	}
	return nil, fmt.Errorf("%s's export is csv or json, not %q (md is the general log's)", p.Name, format)
}

// programBase is what every program encoder shares: the profile, the
// rows left out, and the gate.
type programBase struct {
	p    *program.Profile
	left []harvester.LeftOut
	gate
}

func (b *programBase) LeftOut() []harvester.LeftOut { return b.left }

// place admits c and maps it onto the program; ok is false for a row
// that stays out: excluded, or left out (recorded) for a value the
// program does not take.
func (b *programBase) place(c *harvester.Contribution) (e program.Entry, ok bool, err error) {
	if ok, err := b.admit(c, false); !ok {
		return e, false, err
	}
	e, refused := b.p.Place(c)
	if len(refused) > 0 {
		why := make([]string, len(refused))
		for i, r := range refused {
			why[i] = harvester.CleanText(r.Msg)
		}
		b.left = append(b.left, harvester.LeftOut{ID: harvester.CleanText(c.ID), Why: strings.Join(why, "; ")})
		return e, false, nil
	}
	return e, true, nil
}

// programCSV writes a program's rows as the general CSV writes the log:
// RFC 4180, CRLF, UTF-8 (with a BOM under Options.Excel), cells cleaned
// and formula-defused.
type programCSV struct {
	programBase
	s shape
	w *csv.Writer
}

func newProgramCSV(base programBase, s shape, w io.Writer, opts Options) *programCSV {
	e := &programCSV{programBase: base, s: s}
	e.w = openCSV(w, s.header, opts.Excel, &e.gate)
	return e
}

func (e *programCSV) Encode(c *harvester.Contribution) error {
	entry, ok, err := e.place(c)
	if !ok {
		return err
	}
	if err := e.w.Write(e.s.record(c, &entry)); err != nil {
		e.err = fmt.Errorf("write csv row %s: %w", c.ID, err)
	}
	return e.err
}

func (e *programCSV) Close() error { return closeCSV(e.w, &e.gate) }

// programJSON streams a program's rows as the general JSON does: one
// object per line, valid whatever the number of rows.
type programJSON struct {
	programBase
	s shape
	a *jsonArray
}

func newProgramJSON(base programBase, s shape, w io.Writer) *programJSON {
	return &programJSON{programBase: base, s: s, a: newJSONArray(w, s.open)}
}

func (e *programJSON) Encode(c *harvester.Contribution) error {
	entry, ok, err := e.place(c)
	if !ok {
		return err
	}
	e.err = e.a.add(c.ID, e.s.object(c, &entry))
	return e.err
}

func (e *programJSON) Close() error {
	if e.err != nil || e.done {
		return e.err
	}
	e.done = true
	e.err = e.a.end(e.s.close)
	return e.err
}

// privateDescription is the row's private description, cleaned and capped
// as its description is.
func privateDescription(c *harvester.Contribution) string {
	return harvester.Truncate(harvester.PlainText(c.PrivateDescription), MaxDescription)
}

// count is the row's count key when its program type asks for it and it
// is known (given, else from the metrics the profile names); nil else.
func count(c *harvester.Contribution, t *program.Type, key string) *int64 {
	if !t.Asks(key) {
		return nil
	}
	v, ok := t.Count(key, c.Counts, c.Metrics)
	if !ok || v < 0 {
		return nil
	}
	return &v
}

// orEmpty is l, or an empty list: JSON says [] rather than null.
func orEmpty(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}
