package export

import (
	"bufio"
	"encoding/json"
	"io"

	"github.com/contriblog/contriblog/harvester"
)

// jsonRow is the contract's JSON object: the CSV's fields unflattened,
// plus metrics, observations and (with --all) excluded.
type jsonRow struct {
	ID              string                     `json:"id"`
	Person          string                     `json:"person"`
	ActivityType    string                     `json:"activity_type"`
	Date            string                     `json:"date"`
	EndDate         string                     `json:"end_date"`
	Title           string                     `json:"title"`
	Description     string                     `json:"description"`
	URL             string                     `json:"url"`
	Role            string                     `json:"role"`
	PrimaryArea     string                     `json:"primary_area"`
	AdditionalAreas []string                   `json:"additional_areas"`
	TargetAudience  []string                   `json:"target_audience"`
	Quantity        int                        `json:"quantity"`
	Reach           int64                      `json:"reach"`
	OtherURLs       []string                   `json:"other_urls"`
	Sources         []string                   `json:"sources"`
	Metrics         map[string]int64           `json:"metrics"`
	Observations    []harvester.ObservationRef `json:"observations"`
	Curated         []string                   `json:"curated,omitempty"`
	Excluded        *bool                      `json:"excluded,omitempty"`
}

// JSONEncoder streams one JSON array, one object per line.
type JSONEncoder struct {
	w     *bufio.Writer
	opts  Options
	first bool
	err   error
}

// NewJSONEncoder starts the array.
func NewJSONEncoder(w io.Writer, opts Options) *JSONEncoder {
	e := &JSONEncoder{w: bufio.NewWriter(w), opts: opts, first: true}
	_, e.err = e.w.WriteString("[")
	return e
}

// Encode writes c as one object.
func (e *JSONEncoder) Encode(c *harvester.Contribution) error {
	if e.err != nil || (c.Excluded && !e.opts.All) {
		return e.err
	}
	row := jsonRow{ID: c.ID, Person: c.Person, ActivityType: c.ActivityType, Date: c.Date, EndDate: c.EndDate,
		Title: title(c), Description: description(c), URL: c.URL, Role: c.Role, PrimaryArea: c.PrimaryArea,
		AdditionalAreas: cleanList(c.AdditionalAreas), TargetAudience: cleanList(c.TargetAudience),
		Quantity: quantity(c), Reach: c.Reach, OtherURLs: cleanList(c.OtherURLs), Sources: cleanList(c.Sources),
		Metrics: c.Metrics, Observations: c.Observations, Curated: c.Curated}
	if row.Metrics == nil {
		row.Metrics = map[string]int64{}
	}
	if row.Observations == nil {
		row.Observations = []harvester.ObservationRef{}
	}
	for i := range row.Observations {
		row.Observations[i].Title = harvester.CleanText(row.Observations[i].Title)
	}
	if e.opts.All {
		x := c.Excluded
		row.Excluded = &x
	}
	b, err := json.Marshal(row)
	if err != nil {
		e.err = err
		return err
	}
	sep := ",\n"
	if e.first {
		sep, e.first = "\n", false
	}
	e.w.WriteString(sep)
	_, e.err = e.w.Write(b)
	return e.err
}

// Close ends the array and flushes.
func (e *JSONEncoder) Close() error {
	if e.err != nil {
		return e.err
	}
	if e.first {
		e.w.WriteString("]\n")
	} else {
		e.w.WriteString("\n]\n")
	}
	return e.w.Flush()
}
