package export

import (
	"strconv"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/program"
)

// FormHeader is the CSV header of a form program's export (the MVP's,
// docs/programs.md#microsoft-mvp): the form's fields in its words, in
// order, with contriblog's ID, Person, Other URLs and Sources.
var FormHeader = []string{"ID", "Person", "Activity Type", "Published Date", "End Date", "Title", "Description",
	"Private Description", "Activity URL", "Role", "Primary Technology Area", "Additional Technology Areas",
	"Target Audience", "Quantity", "Number of Views", "Number of Sessions", "Livestream Views", "On-demand Views",
	"In-Person Attendees", "Microsoft Event", "High Impact", "Other URLs", "Sources"}

// formCounts are the count keys of FormHeader's count columns, in order.
var formCounts = []string{"views", "sessions", "live_views", "ondemand_views", "attendees"}

// formRow is a form program's JSON object: FormHeader's fields in
// snake_case, a count null where the type does not ask for it or it is
// not known.
type formRow struct {
	ID                 string   `json:"id"`
	Person             string   `json:"person"`
	ActivityType       string   `json:"activity_type"`
	PublishedDate      string   `json:"published_date"`
	EndDate            string   `json:"end_date"`
	Title              string   `json:"title"`
	Description        string   `json:"description"`
	PrivateDescription string   `json:"private_description"`
	ActivityURL        string   `json:"activity_url"`
	Role               string   `json:"role"`
	PrimaryArea        string   `json:"primary_technology_area"`
	AdditionalAreas    []string `json:"additional_technology_areas"`
	TargetAudience     []string `json:"target_audience"`
	Quantity           int      `json:"quantity"`
	Views              *int64   `json:"number_of_views"`
	Sessions           *int64   `json:"number_of_sessions"`
	LiveViews          *int64   `json:"livestream_views"`
	OnDemandViews      *int64   `json:"on_demand_views"`
	Attendees          *int64   `json:"in_person_attendees"`
	MicrosoftEvent     string   `json:"microsoft_event"`
	HighImpact         bool     `json:"high_impact"`
	OtherURLs          []string `json:"other_urls"`
	Sources            []string `json:"sources"`
}

var formShape = shape{
	header: FormHeader,
	open:   "[", close: "]",
	record: func(c *harvester.Contribution, e *program.Entry) []string {
		r := make([]string, 0, len(FormHeader))
		r = append(r, cell(c.ID), cell(c.Person), cell(e.Type.Name), cell(c.Date), cell(c.EndDate),
			defuse(title(c)), defuse(description(c)), defuse(privateDescription(c)), cell(c.URL), cell(e.Role),
			cell(e.PrimaryArea), defuse(joinList(e.AdditionalAreas, false)), defuse(joinList(e.Audiences, false)),
			strconv.Itoa(quantity(c)))
		for _, k := range formCounts {
			v := ""
			if n := count(c, e.Type, k); n != nil {
				v = strconv.FormatInt(*n, 10)
			}
			r = append(r, v)
		}
		high := ""
		if c.HighImpact {
			high = "yes"
		}
		return append(r, cell(e.Event), high, defuse(joinList(c.OtherURLs, true)), defuse(joinList(c.Sources, false)))
	},
	object: func(c *harvester.Contribution, e *program.Entry) any {
		t := e.Type
		return formRow{ID: harvester.CleanText(c.ID), Person: harvester.CleanText(c.Person), ActivityType: harvester.CleanText(t.Name),
			PublishedDate: harvester.CleanText(c.Date), EndDate: harvester.CleanText(c.EndDate),
			Title: title(c), Description: description(c), PrivateDescription: privateDescription(c),
			ActivityURL: harvester.CleanText(c.URL), Role: harvester.CleanText(e.Role), PrimaryArea: harvester.CleanText(e.PrimaryArea),
			AdditionalAreas: cleanList(e.AdditionalAreas), TargetAudience: cleanList(e.Audiences), Quantity: quantity(c),
			Views: count(c, t, "views"), Sessions: count(c, t, "sessions"), LiveViews: count(c, t, "live_views"),
			OnDemandViews: count(c, t, "ondemand_views"), Attendees: count(c, t, "attendees"),
			MicrosoftEvent: harvester.CleanText(e.Event), HighImpact: c.HighImpact,
			OtherURLs: cleanList(c.OtherURLs), Sources: cleanList(c.Sources)}
	},
}

// StarsHeader is the CSV header of the GitHub Stars export: the API's
// keys.
var StarsHeader = []string{"type", "title", "description", "url", "date"}

// starsRow is one contribution as the Stars API takes it.
type starsRow struct {
	Type        string `json:"type"`
	Title       string `json:"title"`
	Description string `json:"description"`
	URL         string `json:"url"`
	Date        string `json:"date"`
}

// starsDate is the row's date as the API's ISO 8601 timestamp: midnight
// UTC of the day, as a client given only the day sends it; "" for none.
func starsDate(c *harvester.Contribution) string {
	if d := harvester.CleanText(c.Date); d != "" {
		return d + "T00:00:00Z"
	}
	return ""
}

var starsShape = shape{
	header: StarsHeader,
	open:   `{"data":[`, close: "]}",
	record: func(c *harvester.Contribution, e *program.Entry) []string {
		return []string{cell(e.Type.Name), defuse(title(c)), defuse(description(c)), cell(c.URL), starsDate(c)}
	},
	object: func(c *harvester.Contribution, e *program.Entry) any {
		return starsRow{Type: harvester.CleanText(e.Type.Name), Title: title(c), Description: description(c),
			URL: harvester.CleanText(c.URL), Date: starsDate(c)}
	},
}

// AdvocuHeader is the CSV header of the Advocu export: the draft
// request's keys, flattened, after its kind.
var AdvocuHeader = []string{"kind", "title", "description", "tags", "additionalInfo", "private",
	"metrics.readers", "metrics.attendees", "contentType", "activityDate", "activityUrl"}

// advocuDraft is one row for Advocu: the draft endpoint's kind
// (activity-drafts/{kind}) and its request body.
type advocuDraft struct {
	Kind string     `json:"kind"`
	Body advocuBody `json:"body"`
}

type advocuBody struct {
	Title          string         `json:"title"`
	Description    string         `json:"description"`
	Tags           []string       `json:"tags"`
	AdditionalInfo string         `json:"additionalInfo,omitempty"`
	Private        bool           `json:"private"`
	Metrics        *advocuMetrics `json:"metrics,omitempty"`
	ContentType    string         `json:"contentType,omitempty"`
	ActivityDate   string         `json:"activityDate,omitempty"`
	ActivityURL    string         `json:"activityUrl,omitempty"`
}

// advocuMetrics are the draft's metrics: each present only when at least
// 1, as Advocu takes them. Readers are the views count, attendees the
// attendees count.
type advocuMetrics struct {
	Readers   *int64 `json:"readers,omitempty"`
	Attendees *int64 `json:"attendees,omitempty"`
}

// advocuDated are the kinds whose body has activityDate and activityUrl.
var advocuDated = map[string]bool{"content-creation": true, "public-speaking": true, "mentoring": true}

// draft maps a placed row onto its Advocu draft. eventFormat, country and
// city (public speaking, mentoring) are left out: contriblog does not
// know them, and the member completes the draft in Advocu.
func draft(c *harvester.Contribution, e *program.Entry) advocuDraft {
	t := e.Type
	b := advocuBody{Title: title(c), Description: description(c), AdditionalInfo: privateDescription(c)}
	if e.PrimaryArea != "" {
		b.Tags = append(b.Tags, harvester.CleanText(e.PrimaryArea))
	}
	b.Tags = orEmpty(append(b.Tags, cleanList(e.AdditionalAreas)...))
	positive := func(v *int64) *int64 {
		if v == nil || *v < 1 {
			return nil
		}
		return v
	}
	m := advocuMetrics{Readers: positive(count(c, t, "views")), Attendees: positive(count(c, t, "attendees"))}
	if m.Readers != nil || m.Attendees != nil {
		b.Metrics = &m
	}
	if t.Kind == "content-creation" {
		b.ContentType = harvester.CleanText(t.ContentType)
	}
	if advocuDated[t.Kind] {
		b.ActivityDate, b.ActivityURL = harvester.CleanText(c.Date), harvester.CleanText(c.URL)
	}
	return advocuDraft{Kind: harvester.CleanText(t.Kind), Body: b}
}

var advocuShape = shape{
	header: AdvocuHeader,
	open:   "[", close: "]",
	record: func(c *harvester.Contribution, e *program.Entry) []string {
		d := draft(c, e)
		num := func(v *int64) string {
			if v == nil {
				return ""
			}
			return strconv.FormatInt(*v, 10)
		}
		var readers, attendees string
		if d.Body.Metrics != nil {
			readers, attendees = num(d.Body.Metrics.Readers), num(d.Body.Metrics.Attendees)
		}
		b := &d.Body
		return []string{d.Kind, defuse(b.Title), defuse(b.Description), defuse(joinList(b.Tags, false)), defuse(b.AdditionalInfo),
			strconv.FormatBool(b.Private), readers, attendees, defuse(b.ContentType), b.ActivityDate, defuse(b.ActivityURL)}
	},
	object: func(c *harvester.Contribution, e *program.Entry) any { return draft(c, e) },
}
