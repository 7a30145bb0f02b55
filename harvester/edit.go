package harvester

import "time"

// Edit is a person's correction of one contribution (`contriblog edit`).
// Edits live apart from harvested data, are never touched by a harvest and
// always win over harvested values when the log is built.
//
// An edit is keyed by the contribution ID it was made on, and also records
// the observation keys that contribution held at the time (Anchors), so
// that it follows its observations when clusters later merge or split: it
// applies to the row holding the observation whose ShortID is ID, else to
// the row holding its first stored anchor. When several edits reach one
// row, the most recently Updated wins field by field. Nil pointer fields
// leave the harvested value alone. Build edits with NewEdit and Curate.
type Edit struct {
	ID      string   `json:"id"`
	Anchors []string `json:"anchors"`

	Exclude      *bool   `json:"exclude,omitempty"`
	ActivityType *string `json:"activity_type,omitempty"`
	Title        *string `json:"title,omitempty"`
	Date         *string `json:"date,omitempty"` // YYYY-MM-DD
	Role         *string `json:"role,omitempty"`
	Area         *string `json:"area,omitempty"`
	Reach        *int64  `json:"reach,omitempty"`
	Quantity     *int    `json:"quantity,omitempty"`

	// MergeWith lists contribution ids forced into this one (--merge);
	// their anchors are kept in MergeAnchors so the merge survives id
	// changes.
	MergeWith    []string `json:"merge_with,omitempty"`
	MergeAnchors []string `json:"merge_anchors,omitempty"`
	// Split undoes merges: every observation of the contribution (and any
	// later one the rules would join to it) becomes a row of its own, until
	// a later --merge clears Split.
	Split bool `json:"split,omitempty"`

	Updated time.Time `json:"updated"`
}
