package ics

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"

	ical "github.com/arran4/golang-ical"

	"github.com/contriblog/contriblog/harvester"
)

// ErrTruncated marks a calendar that ends in the middle of an event: the
// events before the cut are returned with it.
var ErrTruncated = errors.New("truncated calendar")

// cleaned is a calendar rewritten into lines golang-ical accepts.
type cleaned struct {
	text      []byte
	dropped   int  // lines that were no property and could not be joined
	truncated bool // the input ended inside a component
	unclosed  bool // the input ended between components without END:VCALENDAR
}

// propertyStart is the start of a content line: a name, then parameters
// or the value. golang-ical's own token regexp is unanchored, so "&nbsp;
// text" would read as a property named nbsp.
var propertyStart = regexp.MustCompile(`^[A-Za-z0-9-]+[;:]`)

// sniff rejects what is plainly not an iCalendar document, saying what it
// looks like instead.
func sniff(data []byte) error {
	s := bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	head := bytes.ToLower(s[:min(len(s), 512)])
	switch {
	case len(s) == 0:
		return errors.New("empty body, not a calendar")
	case bytes.Contains(head, []byte("<html")) || bytes.HasPrefix(head, []byte("<!doctype")):
		return errors.New("got an HTML page, not a calendar (is the URL the calendar's iCal/ICS export link?)")
	case s[0] == '<':
		return errors.New("got an XML document, not an iCalendar file")
	case s[0] == '{' || s[0] == '[':
		return errors.New("got a JSON document, not an iCalendar file")
	}
	first := s
	if i := bytes.IndexAny(s, "\r\n"); i >= 0 {
		first = s[:i]
	}
	name, ok := strings.CutPrefix(strings.ToUpper(strings.TrimSpace(string(first))), "BEGIN:")
	if !ok || (name != "VCALENDAR" && !topLevel[name]) {
		return fmt.Errorf("not an iCalendar file: it starts with %q, not BEGIN:VCALENDAR",
			harvester.Truncate(harvester.CleanText(string(first)), 40))
	}
	return nil
}

// logicalLines splits on CRLF, LF or a lone CR and unfolds continuation
// lines (RFC 5545 §3.1). It is linear in the input however many lines
// one property is folded over (an inline attachment can be thousands).
func logicalLines(data []byte) []string {
	rest := strings.TrimPrefix(string(data), "\ufeff")
	var out []string
	var cur strings.Builder
	started := false
	for rest != "" {
		var l string
		l, rest = nextLine(rest)
		if len(l) > 0 && (l[0] == ' ' || l[0] == '\t') && started {
			cur.WriteString(l[1:])
			continue
		}
		if started {
			out = append(out, cur.String())
			cur.Reset()
		}
		cur.WriteString(l)
		started = true
	}
	if started {
		out = append(out, cur.String())
	}
	return out
}

// nextLine cuts the first physical line off s at CRLF, LF or a lone CR.
func nextLine(s string) (line, rest string) {
	i := strings.IndexAny(s, "\r\n")
	if i < 0 {
		return s, ""
	}
	if s[i] == '\r' && i+1 < len(s) && s[i+1] == '\n' {
		return s[:i], s[i+2:]
	}
	return s[:i], s[i+1:]
}

// clean rewrites a real-world calendar so that golang-ical parses it:
//   - a line that is not a property continues the previous one's value (a
//     description pasted with raw newlines); one that looks like a property
//     but does not parse is dropped;
//   - BEGIN and END are upper-cased and balanced: an END with no open
//     BEGIN is dropped, a missing one is supplied;
//   - components outside any VCALENDAR, or in several VCALENDARs, are
//     gathered into one;
//   - a component cut off by the end of the input is dropped (truncated).
func clean(data []byte) cleaned {
	var w cleaner
	for _, l := range logicalLines(data) {
		if strings.TrimSpace(l) == "" {
			continue
		}
		switch kind, line := classify(l); kind {
		case lineBad:
			w.c.dropped++
		case lineText:
			w.text(l)
		case lineBegin:
			w.begin(strings.TrimPrefix(line, "BEGIN:"))
		case lineEnd:
			w.end(strings.TrimPrefix(line, "END:"))
		default:
			w.prop(line)
		}
	}
	if len(w.stack) > 0 {
		w.c.truncated = true // the open component is lost with the rest
	} else if w.inCal {
		w.c.unclosed = true
	}
	var text bytes.Buffer
	text.WriteString("BEGIN:VCALENDAR\r\n")
	for _, l := range w.out {
		text.WriteString(l.String())
		text.WriteString("\r\n")
	}
	text.WriteString("END:VCALENDAR\r\n")
	w.c.text = text.Bytes()
	return w.c
}

// cleaner is clean's state: the finished lines, the open top-level
// component (kept apart until its END arrives, so that a cut-off one can
// be dropped whole) and the names of the open components.
type cleaner struct {
	c           cleaned
	out, comp   []*strings.Builder
	stack       []string
	inCal, seen bool
}

// text appends a line that is no property to the value before it, as an
// escaped line break; builders keep that linear however many there are.
func (w *cleaner) text(l string) {
	target := w.comp
	if len(w.stack) == 0 {
		target = w.out
	}
	if n := len(target); n > 0 && !isBoundary(target[n-1].String()) {
		target[n-1].WriteString(`\n`)
		target[n-1].WriteString(l)
		return
	}
	w.c.dropped++
}

func newLine(s string) *strings.Builder {
	b := &strings.Builder{}
	b.WriteString(s)
	return b
}

func (w *cleaner) begin(name string) {
	switch {
	case name == "VCALENDAR":
		if len(w.stack) > 0 { // a new calendar inside a component: it was cut off
			w.c.dropped++
			w.comp, w.stack = nil, nil
		}
		w.inCal, w.seen = true, true
		return
	case len(w.stack) > 0 && topLevel[name]:
		w.c.dropped++ // the open component never ended: it was cut off
		w.comp, w.stack = nil, nil
	}
	w.stack = append(w.stack, name)
	w.comp = append(w.comp, newLine("BEGIN:"+name))
	w.seen = true
}

func (w *cleaner) end(name string) {
	if name == "VCALENDAR" {
		// A component left open at the calendar's end lacks only its END.
		w.closeFrom(0)
		w.inCal = false
		return
	}
	i := lastIndex(w.stack, name)
	if i < 0 {
		w.c.dropped++
		return
	}
	w.closeFrom(i)
}

// closeFrom ends the open components from stack[i] up, and moves the
// top-level one to out once it is closed.
func (w *cleaner) closeFrom(i int) {
	for j := len(w.stack) - 1; j >= i; j-- {
		w.comp = append(w.comp, newLine("END:"+w.stack[j]))
	}
	w.stack = w.stack[:i]
	if len(w.stack) == 0 {
		w.out, w.comp = append(w.out, w.comp...), nil
	}
}

func (w *cleaner) prop(line string) {
	switch {
	case len(w.stack) > 0:
		w.comp = append(w.comp, newLine(line))
	case w.seen:
		w.out = append(w.out, newLine(line)) // a calendar property, or one between components
	default:
		w.c.dropped++ // before any BEGIN: nothing it could belong to
	}
}

type lineKind int

const (
	lineProp lineKind = iota
	lineBegin
	lineEnd
	lineText // no property: part of the previous value
	lineBad  // looks like a property but does not parse
)

// classify says what a logical line is and returns it normalised: the
// property name upper-cased, BEGIN and END values too.
func classify(l string) (lineKind, string) {
	if !propertyStart.MatchString(l) {
		return lineText, l
	}
	end := strings.IndexAny(l, ";:")
	name := strings.ToUpper(l[:end])
	if !known[name] && !strings.HasPrefix(name, "X-") && (name != l[:end] || strings.HasPrefix(l[end:], "://")) {
		// "https://zoom.us/j/1" or "Passcode: 1234" in a description
		// pasted without folding: text, not a property.
		return lineText, l
	}
	l = name + l[end:]
	if name == "BEGIN" || name == "END" {
		v := strings.ToUpper(strings.TrimSpace(l[end+1:]))
		if v == "" || strings.ContainsAny(v, ";:,") {
			return lineBad, l
		}
		if name == "BEGIN" {
			return lineBegin, "BEGIN:" + v
		}
		return lineEnd, "END:" + v
	}
	if l[end] == ':' {
		return lineProp, l // no parameters: nothing that can fail to parse
	}
	if p, err := ical.ParseProperty(ical.ContentLine(l)); err != nil || p == nil {
		return lineBad, l
	}
	return lineProp, l
}

// topLevel are the components that sit directly in a VCALENDAR.
var topLevel = map[string]bool{"VEVENT": true, "VTODO": true, "VJOURNAL": true, "VFREEBUSY": true, "VTIMEZONE": true}

// known are the property names of RFC 5545, 7986 and 9073: a line that
// starts with one of them, in any case, is a property.
var known = func() map[string]bool {
	m := map[string]bool{}
	for _, n := range strings.Fields(`BEGIN END CALSCALE METHOD PRODID VERSION ATTACH CATEGORIES CLASS COMMENT
		DESCRIPTION GEO LOCATION PERCENT-COMPLETE PRIORITY RESOURCES STATUS SUMMARY COMPLETED DTEND DUE
		DTSTART DURATION FREEBUSY TRANSP TZID TZNAME TZOFFSETFROM TZOFFSETTO TZURL ATTENDEE CONTACT
		ORGANIZER RECURRENCE-ID RELATED-TO URL UID EXDATE RDATE RRULE ACTION REPEAT TRIGGER CREATED
		DTSTAMP LAST-MODIFIED SEQUENCE REQUEST-STATUS NAME REFRESH-INTERVAL SOURCE COLOR IMAGE CONFERENCE
		LOCATION-TYPE PARTICIPANT-TYPE CALENDAR-ADDRESS STYLED-DESCRIPTION STRUCTURED-DATA ACKNOWLEDGED
		TZUNTIL TZID-ALIAS-OF`) {
		m[n] = true
	}
	return m
}()

func isBoundary(l string) bool {
	return strings.HasPrefix(l, "BEGIN:") || strings.HasPrefix(l, "END:")
}

func lastIndex(stack []string, name string) int {
	for i := len(stack) - 1; i >= 0; i-- {
		if stack[i] == name {
			return i
		}
	}
	return -1
}
