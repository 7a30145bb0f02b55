package harvester

import (
	"sort"
	"time"
)

// Area is a technology area of the config's `areas:` map: its name and the
// keywords (case-insensitive) that tag a contribution with it.
type Area struct {
	Name     string
	Keywords []string
}

// LogOptions is what building the log needs besides observations and
// edits.
type LogOptions struct {
	// Location is the person's time zone for dates (default time.Local).
	Location *time.Location
	// Vocabulary gives each activity type's family and default role.
	Vocabulary *Vocabulary
	// Areas tag contributions, in config order.
	Areas []Area
	// Priority is each source's `priority` (whose URL and title win a merge).
	Priority map[string]int
	// SourceAreas are each source's extra `areas` tags.
	SourceAreas map[string][]string
}

// BuildLog computes the contribution log from every stored observation and
// every curation edit. It is deterministic: the same observations and
// edits give the same log whatever their order.
//
// PLACEHOLDER (walking skeleton): one contribution per observation, except
// observations with the same URL, which are one. Replaced by the full
// contract §5 clustering.
func BuildLog(obs []Observation, edits []Edit, opts LogOptions) []Contribution {
	if opts.Vocabulary == nil {
		opts.Vocabulary = NewVocabulary(nil)
	}
	sort.Slice(obs, func(i, j int) bool { return obs[i].Key() < obs[j].Key() })
	byURL := map[string]int{}
	var log []Contribution
	for i := range obs {
		o := &obs[i]
		ref := ObservationRef{Source: o.Source, NativeID: o.NativeID, URL: o.URL, Title: o.Title,
			Date: o.Day(opts.Location), FirstSeen: o.FirstSeen, LastSeen: o.LastSeen}
		if j, ok := byURL[o.URL]; ok && o.URL != "" && !o.URLIsListing {
			c := &log[j]
			c.Observations = append(c.Observations, ref)
			c.Sources = append(c.Sources, o.Source)
			continue
		}
		role := o.Role
		if role == "" {
			role = opts.Vocabulary.Role(o.ActivityType)
		}
		q := o.Quantity
		if q == 0 {
			q = 1
		}
		if o.URL != "" && !o.URLIsListing {
			byURL[o.URL] = len(log)
		}
		log = append(log, Contribution{
			ID: o.ShortID(), Person: o.Person, ActivityType: o.ActivityType,
			Date: o.Day(opts.Location), EndDate: o.EndDay(opts.Location),
			Title: o.Title, Description: o.Description, URL: o.URL, Role: role,
			PrimaryArea: o.PrimaryArea, AdditionalAreas: o.AdditionalAreas, TargetAudience: o.TargetAudience,
			Quantity: q, Reach: o.Reach, OtherURLs: o.OtherURLs, Sources: []string{o.Source},
			Metrics: o.Metrics, Observations: []ObservationRef{ref},
		})
	}
	sort.SliceStable(log, func(i, j int) bool {
		if log[i].Date != log[j].Date {
			return log[i].Date < log[j].Date
		}
		return log[i].ID < log[j].ID
	})
	return log
}
