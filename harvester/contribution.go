package harvester

import "time"

// Contribution is one row of the contribution log: one or more
// observations of the same piece of work, merged (docs/deduplication.md) and curated
// (docs/log.md#curation). The JSON names are the export's keys (docs/log.md#json-keys).
type Contribution struct {
	// ID is short and stable: the ShortID of the cluster's anchor
	// observation (see BuildLog).
	ID           string `json:"id"`
	Person       string `json:"person"`
	ActivityType string `json:"activity_type"`
	Date         string `json:"date"`     // YYYY-MM-DD in the person's zone
	EndDate      string `json:"end_date"` // YYYY-MM-DD or empty
	Title        string `json:"title"`
	Description  string `json:"description"`
	URL          string `json:"url"`
	Role         string `json:"role"`

	PrimaryArea     string   `json:"primary_area"`
	AdditionalAreas []string `json:"additional_areas"`
	TargetAudience  []string `json:"target_audience"`
	Quantity        int      `json:"quantity"`
	Reach           int64    `json:"reach"`
	OtherURLs       []string `json:"other_urls"`
	Sources         []string `json:"sources"`

	// What the programs' forms ask beyond the log (docs/programs.md):
	// from hand-kept entries and curation only. Counts holds the counts a
	// person gave (CountKeys); a count not given is absent, and a program
	// export may then take it from Metrics as the program's profile says.
	PrivateDescription string           `json:"private_description"`
	MicrosoftEvent     string           `json:"microsoft_event"`
	HighImpact         bool             `json:"high_impact"`
	Counts             map[string]int64 `json:"counts"`

	Metrics map[string]int64 `json:"metrics"`
	// MetricsHistory is, for each metric, how it grew
	// (RowMetricsHistory): filled only when a Filter asks for it
	// (Filter.MetricsHistory), never stored with the log.
	MetricsHistory map[string][]MetricPoint `json:"metrics_history,omitempty"`
	Observations   []ObservationRef         `json:"observations"`
	Excluded       bool                     `json:"excluded"`

	// Curated names the fields a person set with `contriblog edit`
	// ("title", "reach", ...), so `list` can mark them.
	Curated []string `json:"curated,omitempty"`

	// DescriptionOf is the key (ObservationKey) of the member observation
	// whose Description is the row's, as BuildLog set it; empty when the
	// description came from nowhere else. A store may keep this reference
	// instead of a second copy of the text (descriptions were half of a
	// stored log), and fills Description in when it reads the row.
	DescriptionOf string `json:"-"`
}

// CountKeys are the counts the programs' forms ask for, as Contribution.Counts,
// hand-kept entries' `counts:` and `edit --set KEY=N` name them: views (of
// a post or threads), sessions (a talk given several times, episodes),
// live and on-demand views of a stream or video, and in-person attendees.
var CountKeys = []string{"views", "sessions", "live_views", "ondemand_views", "attendees"}

// ReachMetrics are the metrics that count people reached, of which the
// largest is a row's Reach (docs/log.md#csv-columns); comments, reactions
// and forks are not reach.
var ReachMetrics = []string{"views", "listeners", "attendees", "stars", "downloads"}

// ReachKnown reports whether c's Reach is known rather than 0 for want of
// a count: it is positive, or a person set it (`edit --reach`), or a
// source reported one of ReachMetrics, 0 included. A hand-kept entry's
// `reach: 0` reads as unknown: a hand-kept 0 is stored as no value.
func (c *Contribution) ReachKnown() bool {
	if c.Reach > 0 {
		return true
	}
	for _, f := range c.Curated {
		if f == "reach" {
			return true
		}
	}
	for _, k := range ReachMetrics {
		if _, ok := c.Metrics[k]; ok {
			return true
		}
	}
	return false
}

// ObservationRef is what a contribution keeps of each observation it was
// built from.
type ObservationRef struct {
	Source    string    `json:"source"`
	NativeID  string    `json:"native_id"`
	URL       string    `json:"url"`
	Title     string    `json:"title"`
	Date      string    `json:"date"`
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
}

// Filter selects rows of the log, as `export` and `list` flags do. Zero
// fields select everything; Since and Until are inclusive YYYY-MM-DD.
type Filter struct {
	Since, Until string
	Person       string
	Type         string
	All          bool // include contributions curated as excluded
	// Unsubmitted names a program: only rows no submission record of it
	// covers. Match cannot tell (it knows no records): EachRow applies
	// it, as every log service does.
	Unsubmitted string
	// MetricsHistory fills each row's MetricsHistory (EachRow reads the
	// store's metric history once): the JSON export and `list --metrics`
	// ask for it.
	MetricsHistory bool
}

// Match reports whether c passes the filter. Person and Type compare
// case-insensitively.
func (f Filter) Match(c *Contribution) bool {
	if c.Excluded && !f.All {
		return false
	}
	if f.Since != "" && c.Date < f.Since {
		return false
	}
	if f.Until != "" && c.Date > f.Until {
		return false
	}
	if f.Person != "" && !equalFold(c.Person, f.Person) {
		return false
	}
	if f.Type != "" && !equalFold(c.ActivityType, f.Type) {
		return false
	}
	return true
}
