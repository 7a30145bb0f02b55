package export

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/contriblog/contriblog/harvester"
)

// jsonRow is the contract's JSON object: the CSV's fields, lists as
// arrays, plus metrics, observations, curated and (with --all) excluded.
// The field order is the order the keys are written in.
type jsonRow struct {
	ID              string   `json:"id"`
	Person          string   `json:"person"`
	ActivityType    string   `json:"activity_type"`
	Date            string   `json:"date"`
	EndDate         string   `json:"end_date"`
	Title           string   `json:"title"`
	Description     string   `json:"description"`
	URL             string   `json:"url"`
	Role            string   `json:"role"`
	PrimaryArea     string   `json:"primary_area"`
	AdditionalAreas []string `json:"additional_areas"`
	TargetAudience  []string `json:"target_audience"`
	Quantity        int      `json:"quantity"`
	Reach           *int64   `json:"reach"` // null when unknown (harvester.Contribution.ReachKnown)
	OtherURLs       []string `json:"other_urls"`
	Sources         []string `json:"sources"`
	// What the programs' forms ask (docs/log.md#json-keys): counts holds
	// the known ones only, never null.
	PrivateDescription string           `json:"private_description"`
	MicrosoftEvent     string           `json:"microsoft_event"`
	HighImpact         bool             `json:"high_impact"`
	Counts             map[string]int64 `json:"counts"`
	Metrics            map[string]int64 `json:"metrics"`
	// MetricsHistory is how each metric grew (docs/log.md#json-keys),
	// absent when the row has no points (Filter.MetricsHistory).
	MetricsHistory map[string][]jsonPoint `json:"metrics_history,omitempty"`
	Observations   []jsonObservation      `json:"observations"`
	// Curated names the fields set with `contriblog edit`; `list` reads it
	// back through the daemon to mark them.
	Curated  []string `json:"curated,omitempty"`
	Excluded *bool    `json:"excluded,omitempty"`
}

// jsonObservation is one sighting of the contribution.
type jsonObservation struct {
	Source    string `json:"source"`
	NativeID  string `json:"native_id"`
	URL       string `json:"url"`
	Title     string `json:"title"`
	Date      string `json:"date"`
	FirstSeen stamp  `json:"first_seen"`
	LastSeen  stamp  `json:"last_seen"`
}

// jsonPoint is one value of a metric and the pass that first saw it.
type jsonPoint struct {
	Value int64 `json:"value"`
	At    stamp `json:"at"`
}

// pointsOf converts a row's metric history, nil when it has none.
func pointsOf(h map[string][]harvester.MetricPoint) map[string][]jsonPoint {
	if len(h) == 0 {
		return nil
	}
	out := make(map[string][]jsonPoint, len(h))
	for k, points := range h {
		jp := make([]jsonPoint, len(points))
		for i, p := range points {
			jp[i] = jsonPoint{Value: p.Value, At: stamp(p.At)}
		}
		out[k] = jp
	}
	return out
}

// stamp is a time written as RFC 3339 in UTC to the second, or null when
// unknown (zero), which time.Time reads back as zero.
type stamp time.Time

// MarshalJSON implements json.Marshaler.
func (s stamp) MarshalJSON() ([]byte, error) {
	t := time.Time(s)
	if t.IsZero() {
		return []byte("null"), nil
	}
	b := make([]byte, 0, len(time.RFC3339)+2)
	b = append(b, '"')
	b = t.UTC().Truncate(time.Second).AppendFormat(b, time.RFC3339)
	return append(b, '"'), nil
}

// JSONEncoder streams the log as one JSON array, one object per line:
// readable, diff-friendly and valid JSON whatever the number of rows. The
// keys are the contract's (§4); lists are arrays and metrics an object,
// never null; reach is null when unknown (docs/log.md#json-keys); the excluded key is present, on every row, only with
// Options.All. Title and description are cleaned and capped as in the
// CSV; nothing is formula-escaped, since JSON is no spreadsheet.
type JSONEncoder struct {
	a    *jsonArray
	opts Options
	gate
}

// jsonArray streams values as one JSON array, an object per line, between
// its opening (`[`, or `{"data":[`) and its closing text.
type jsonArray struct {
	w     *bufio.Writer
	buf   bytes.Buffer
	enc   *json.Encoder
	first bool
}

func newJSONArray(w io.Writer, open string) *jsonArray {
	a := &jsonArray{w: bufio.NewWriterSize(w, 64<<10), first: true}
	a.enc = json.NewEncoder(&a.buf)
	a.enc.SetEscapeHTML(false) // "Q&A <live>" stays readable
	a.w.WriteString(open)
	return a
}

// add writes v, the row id's object, as the array's next element.
func (a *jsonArray) add(id string, v any) error {
	a.buf.Reset()
	if err := a.enc.Encode(v); err != nil {
		return fmt.Errorf("encode json row %s: %w", id, err)
	}
	if a.first {
		a.w.WriteString("\n  ")
		a.first = false
	} else {
		a.w.WriteString(",\n  ")
	}
	// json.Encoder ends every value with a newline; the separator above
	// puts it back before the next object.
	if _, err := a.w.Write(bytes.TrimSuffix(a.buf.Bytes(), []byte("\n"))); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}

// end writes the closing text and flushes.
func (a *jsonArray) end(close string) error {
	if !a.first {
		a.w.WriteString("\n")
	}
	a.w.WriteString(close + "\n")
	if err := a.w.Flush(); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}

// NewJSONEncoder writes the array's opening bracket to w and returns the
// encoder. Output is buffered: call Close.
func NewJSONEncoder(w io.Writer, opts Options) *JSONEncoder {
	return &JSONEncoder{a: newJSONArray(w, "["), opts: opts}
}

// Encode writes c as one object. A row curated as excluded is skipped
// unless Options.All.
func (e *JSONEncoder) Encode(c *harvester.Contribution) error {
	if ok, err := e.admit(c, e.opts.All); !ok {
		return err
	}
	row := e.row(c)
	e.err = e.a.add(row.ID, &row)
	return e.err
}

// row maps c to its JSON object.
func (e *JSONEncoder) row(c *harvester.Contribution) jsonRow {
	row := jsonRow{
		ID: harvester.CleanText(c.ID), Person: harvester.CleanText(c.Person), ActivityType: harvester.CleanText(c.ActivityType),
		Date: harvester.CleanText(c.Date), EndDate: harvester.CleanText(c.EndDate), Title: title(c), Description: description(c),
		URL: harvester.CleanText(c.URL), Role: harvester.CleanText(c.Role), PrimaryArea: harvester.CleanText(c.PrimaryArea),
		AdditionalAreas: cleanList(c.AdditionalAreas), TargetAudience: cleanList(c.TargetAudience),
		Quantity: quantity(c), Reach: knownReach(c),
		OtherURLs: cleanList(c.OtherURLs), Sources: cleanList(c.Sources),
		PrivateDescription: harvester.PlainText(c.PrivateDescription), MicrosoftEvent: harvester.CleanText(c.MicrosoftEvent),
		HighImpact: c.HighImpact, Counts: metrics(c.Counts),
		Metrics: metrics(c.Metrics), MetricsHistory: pointsOf(c.MetricsHistory), Observations: observations(c.Observations),
	}
	if len(c.Curated) > 0 {
		row.Curated = cleanList(c.Curated)
	}
	if e.opts.All {
		row.Excluded = &c.Excluded
	}
	return row
}

// knownReach is the row's reach, or nil when it is unknown.
func knownReach(c *harvester.Contribution) *int64 {
	if !c.ReachKnown() {
		return nil
	}
	n := reach(c)
	return &n
}

// JSONRow is the object the JSON export writes for c, for encoding/json:
// the daemon answers an edit with it, so that every JSON it serves means
// the same (null for an unknown reach, [] for no items). The excluded key
// is present with opts.All.
func JSONRow(c *harvester.Contribution, opts Options) any {
	e := JSONEncoder{opts: opts}
	return e.row(c)
}

// metrics returns m with clean keys, never nil.
func metrics(m map[string]int64) map[string]int64 {
	if m == nil {
		return map[string]int64{}
	}
	for k := range m {
		if k == "" || !harvester.IsClean(k) {
			return cleanMetrics(m)
		}
	}
	return m
}

func cleanMetrics(m map[string]int64) map[string]int64 {
	out := make(map[string]int64, len(m))
	for k, v := range m {
		if k = harvester.CleanText(k); k != "" {
			out[k] = v
		}
	}
	return out
}

// observations maps the row's sightings, never nil. Their titles are
// cleaned and capped as the row's is: a source's title is no more
// trusted than the row's, and an uncapped one let a single sighting make
// a row of any size.
func observations(refs []harvester.ObservationRef) []jsonObservation {
	out := make([]jsonObservation, len(refs))
	for i := range refs {
		r := &refs[i]
		out[i] = jsonObservation{Source: harvester.CleanText(r.Source), NativeID: harvester.CleanText(r.NativeID), URL: harvester.CleanText(r.URL),
			Title: capTitle(r.Title), Date: harvester.CleanText(r.Date), FirstSeen: stamp(r.FirstSeen), LastSeen: stamp(r.LastSeen)}
	}
	return out
}

// Close ends the array, flushes and returns the first error, the writer's
// included. Closing twice does nothing more.
func (e *JSONEncoder) Close() error {
	if e.err != nil || e.done {
		return e.err
	}
	e.done = true
	e.err = e.a.end("]")
	return e.err
}
