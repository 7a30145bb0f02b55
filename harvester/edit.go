package harvester

import "time"

// Edit is a person's correction of one contribution (`contriblog edit`).
// Edits live apart from harvested data, are never touched by a harvest and
// always win over harvested values when the log is built.
//
// An edit is keyed by the id it was made through: the ShortID of one
// observation (the row's ID, or an older id of the row, which is the
// ShortID of another of its observations). It applies to the row holding
// that observation, whatever merges and splits come later, so a field set
// through an id never moves to another post. It also records the
// observation keys the row held when it was last edited (Anchors): the
// row a --split keeps apart, the row a --merge joins and leads, and where
// the edit goes when its own observation is gone from the store (a
// forgotten source): the row holding its first stored anchor. When
// several edits reach one row, the most recently Updated wins field by
// field. Nil fields leave the harvested value alone. Build edits with
// NewEdit and Curate (docs/log.md#curation).
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
	// URL, Description, TargetAudience and AdditionalAreas (issue 15 item
	// 3) came later: edits stored before them decode with them nil.
	URL             *string  `json:"url,omitempty"`
	Description     *string  `json:"description,omitempty"`
	TargetAudience  []string `json:"target_audience,omitempty"`
	AdditionalAreas []string `json:"additional_areas,omitempty"`
	// PrivateDescription, MicrosoftEvent, HighImpact and Counts (issue
	// 16) likewise. A count set to nil clears what an earlier edit set.
	PrivateDescription *string           `json:"private_description,omitempty"`
	MicrosoftEvent     *string           `json:"microsoft_event,omitempty"`
	HighImpact         *bool             `json:"high_impact,omitempty"`
	Counts             map[string]*int64 `json:"counts,omitempty"`

	// MergeWith lists contribution ids forced into this one (--merge);
	// their anchors are kept in MergeAnchors so the merge survives id
	// changes. Merged is when the latest of them was made (zero for an
	// edit stored before it was kept: then Updated), which orders forced
	// merges. The row this edit was made through (Anchors, as they were
	// at that merge) leads the merged row: its title, URL and description
	// (see BuildLog); Curate records the row's curated values in the edit
	// at the merge, so that they win over the other rows'.
	MergeWith    []string  `json:"merge_with,omitempty"`
	MergeAnchors []string  `json:"merge_anchors,omitempty"`
	Merged       time.Time `json:"merged,omitzero"`
	// Split undoes merges: every observation of SplitAnchors (the rows
	// split through this edit; Anchors for an edit stored before it) and
	// any later one the rules would join to them becomes a row of its own.
	// Forced merges (--merge) still join rows across it.
	Split        bool     `json:"split,omitempty"`
	SplitAnchors []string `json:"split_anchors,omitempty"`

	// Updated is when a field was last set through this edit (when it
	// was made, for one that sets none): of two edits setting a field on
	// one row, the later wins.
	Updated time.Time `json:"updated"`
}
