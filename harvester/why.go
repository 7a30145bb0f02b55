package harvester

import (
	"context"
	"fmt"
	"strings"
)

// AreaExplanation says why a row has each of its technology areas
// (`contriblog list --why ID`), as tagRow gave them.
type AreaExplanation struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// Areas are the row's areas, the primary first, each with its reasons.
	Areas []AreaWhy `json:"areas"`
	// Keywords tells whether keywords were looked for: not when the row's
	// hand-kept entries name areas, nor when the config has no areas.
	Keywords bool `json:"keywords"`
}

// AreaWhy is one area of a row and why it has it.
type AreaWhy struct {
	Area    string       `json:"area"`
	Primary bool         `json:"primary"`
	Reasons []AreaReason `json:"reasons"`
}

// The kinds of AreaReason.
const (
	ReasonCurated  = "curated"   // set with `edit --area` or `--additional-area`
	ReasonHandKept = "hand-kept" // an entry's primary_area or additional_areas
	ReasonKeyword  = "keyword"   // a keyword of the config's areas
	ReasonSource   = "source"    // the source's own `areas:`
	ReasonUnknown  = "unknown"   // none of these: the stored log is older than the config
)

// AreaReason is one reason a row has an area.
type AreaReason struct {
	Kind string `json:"kind"`
	// Keyword and Hits: the keyword (ReasonKeyword) and how often it
	// occurs in Field.
	Keyword string `json:"keyword,omitempty"`
	Hits    int    `json:"hits,omitempty"`
	// Field is where: title, description or categories for a keyword;
	// primary_area or additional_areas for a hand-kept entry.
	Field string `json:"field,omitempty"`
	// Source and NativeID name the observation (for ReasonSource, the
	// source only). A keyword in the row's title or description names
	// the observation it was taken from when that is known.
	Source   string `json:"source,omitempty"`
	NativeID string `json:"native_id,omitempty"`
}

// ExplainAreas says why the row c, built with opts, has each of its areas,
// from its member observations obs (others are ignored). It retraces
// tagRow: a curated value, else hand-kept areas, else keyword hits in the
// row's title and description and each member's categories; then each
// member source's `areas:`.
func ExplainAreas(c *Contribution, obs []Observation, opts LogOptions) AreaExplanation {
	ex := AreaExplanation{ID: c.ID, Title: c.Title}
	members := memberObservations(c, obs)
	var reasons []areaReason
	hand := false
	for _, o := range members {
		if a := strings.TrimSpace(o.PrimaryArea); a != "" {
			hand = true
			reasons = append(reasons, areaReason{a, AreaReason{Kind: ReasonHandKept, Field: "primary_area", Source: o.Source, NativeID: o.NativeID}})
		}
		for _, a := range o.AdditionalAreas {
			if a = strings.TrimSpace(a); a != "" {
				hand = true
				reasons = append(reasons, areaReason{a, AreaReason{Kind: ReasonHandKept, Field: "additional_areas", Source: o.Source, NativeID: o.NativeID}})
			}
		}
	}
	if !hand && len(opts.Areas) > 0 {
		ex.Keywords = true
		reasons = append(reasons, keywordReasons(c, members, opts.Areas)...)
	}
	for _, s := range c.Sources {
		for _, a := range opts.SourceAreas[s] {
			reasons = append(reasons, areaReason{a, AreaReason{Kind: ReasonSource, Source: s}})
		}
	}
	areas := append([]string{c.PrimaryArea}, c.AdditionalAreas...)
	for i, a := range areas {
		if a == "" {
			continue
		}
		why := AreaWhy{Area: a, Primary: i == 0}
		field := "additional_areas"
		if why.Primary {
			field = "primary_area"
		}
		if curatedField(c, field) {
			why.Reasons = []AreaReason{{Kind: ReasonCurated}}
		} else {
			for _, r := range reasons {
				if strings.EqualFold(strings.TrimSpace(r.area), strings.TrimSpace(a)) {
					why.Reasons = append(why.Reasons, r.AreaReason)
				}
			}
		}
		if len(why.Reasons) == 0 {
			why.Reasons = []AreaReason{{Kind: ReasonUnknown}}
		}
		ex.Areas = append(ex.Areas, why)
	}
	return ex
}

// areaReason is a reason with the area it gives.
type areaReason struct {
	area string
	AreaReason
}

// keywordReasons are the keyword hits of each area in the fields tagRow
// reads: the row's title and description (the leading observation's, or
// curated) and each member's categories.
func keywordReasons(c *Contribution, members []*Observation, areas []Area) []areaReason {
	type field struct {
		name, text       string
		source, nativeID string
	}
	title := field{name: "title", text: c.Title}
	if !curatedField(c, "title") {
		for _, r := range c.Observations {
			if CleanText(r.Title) == CleanText(c.Title) {
				title.source, title.nativeID = r.Source, r.NativeID
				break
			}
		}
	}
	desc := field{name: "description", text: c.Description}
	if c.DescriptionOf != "" && !curatedField(c, "description") {
		desc.source, desc.nativeID = SplitObservationKey(c.DescriptionOf)
	}
	fields := []field{title, desc}
	for _, o := range members {
		if len(o.Categories) > 0 {
			fields = append(fields, field{"categories", strings.Join(o.Categories, "\n"), o.Source, o.NativeID})
		}
	}
	t := newTagger(areas)
	var out []areaReason
	for i, a := range t.areas {
		for _, f := range fields {
			text := strings.ToLower(f.text)
			for k := range t.keywords[i] {
				if n := t.keywords[i][k].count(text); n > 0 {
					out = append(out, areaReason{a.Name, AreaReason{Kind: ReasonKeyword, Keyword: t.keywords[i][k].String(),
						Hits: n, Field: f.name, Source: f.source, NativeID: f.nativeID}})
				}
			}
		}
	}
	return out
}

// memberObservations are those of obs that c holds, in c's order.
func memberObservations(c *Contribution, obs []Observation) []*Observation {
	byKey := make(map[string]*Observation, len(obs))
	for i := range obs {
		byKey[obs[i].Key()] = &obs[i]
	}
	var out []*Observation
	for _, r := range c.Observations {
		if o, ok := byKey[ObservationKey(r.Source, r.NativeID)]; ok {
			out = append(out, o)
		}
	}
	return out
}

func curatedField(c *Contribution, field string) bool {
	for _, f := range c.Curated {
		if f == field {
			return true
		}
	}
	return false
}

// ExplainRow finds the row of st's stored log that id names (as
// FindContribution does: its ID, or the id of one of its observations)
// and explains its areas with opts, the options the log was built with.
// An unknown id is an error wrapping ErrNotFound.
func ExplainRow(ctx context.Context, st Store, id string, opts LogOptions) (AreaExplanation, error) {
	want := strings.ToLower(strings.TrimSpace(id))
	var row, byObs *Contribution
	err := st.ForEachContribution(ctx, func(c *Contribution) error {
		if want == "" {
			return nil
		}
		if c.ID == want && row == nil {
			row = c
		}
		for _, r := range c.Observations {
			if byObs == nil && ShortID(ObservationKey(r.Source, r.NativeID)) == want {
				byObs = c
			}
		}
		return nil
	})
	if err != nil {
		return AreaExplanation{}, fmt.Errorf("read the log: %w", err)
	}
	if row == nil {
		row = byObs
	}
	if row == nil {
		return AreaExplanation{}, fmt.Errorf("contribution %q: %w", strings.TrimSpace(id), ErrNotFound)
	}
	keys := make(map[string]bool, len(row.Observations))
	for _, r := range row.Observations {
		keys[ObservationKey(r.Source, r.NativeID)] = true
	}
	var obs []Observation
	err = st.ForEachObservation(ctx, OmitDescriptions, func(o *Observation) error {
		if keys[o.Key()] {
			obs = append(obs, *o)
		}
		return nil
	})
	if err != nil {
		return AreaExplanation{}, fmt.Errorf("read observations: %w", err)
	}
	return ExplainAreas(row, obs, opts), nil
}
