package harvester

import (
	"crypto/sha256"
	"encoding/base32"
	"strings"
	"time"
)

// Observation is one item as one source saw it on its latest pass: a post
// in a feed, a pull request, a VEVENT, a Sessionize session, a hand-kept
// entry. Observations are what the store keeps; the contribution log is
// computed from them (and from curation) so that de-duplication can be
// recomputed without fetching anything again.
//
// Sources fill every field they know and leave the rest zero. The store
// sets FirstSeen and LastSeen.
type Observation struct {
	// Source is the configured source's name; NativeID is the item's stable
	// id within that source (GUID, UID, html_url, ...). Together they are the
	// observation's identity (docs/deduplication.md#rule-4-seen-again).
	Source   string `json:"source"`
	NativeID string `json:"native_id"`

	Person       string `json:"person,omitempty"`
	ActivityType string `json:"activity_type"`
	// Role is the role the source knows (Author for one's own repository,
	// Panelist for a panel); empty means the activity type's default role.
	Role string `json:"role,omitempty"`

	Title       string `json:"title"`
	Description string `json:"description,omitempty"` // plain text

	// URL is the item's own link. OtherURLs are further links of the same
	// item (enclosures, recordings, alternates).
	URL       string   `json:"url,omitempty"`
	OtherURLs []string `json:"other_urls,omitempty"`
	// CanonicalURL is a canonical or original link the item declares
	// (docs/deduplication.md#rule-2-declared-canonical): JSON Feed external_url, Atom rel="related",
	// RSS <source url>, dev.to's canonical_url.
	CanonicalURL string `json:"canonical_url,omitempty"`
	// URLIsListing says that URL is not the item's own page but a page that
	// several items of this source fall back to (a calendar's URL, an event
	// document). No source sets it since issue 15: a listing is never a
	// row's link (nor an identity for rule 1), and may be a secret address.
	// Observations stored before keep it, and OwnURL hides their URL.
	URLIsListing bool `json:"url_is_listing,omitempty"`

	// Date is when it was published or happened; EndDate when it ended (zero
	// when it has no end). When AllDay is set both are calendar days stored
	// as midnight UTC and no time zone applies to them.
	Date    time.Time `json:"date"`
	EndDate time.Time `json:"end_date"`
	AllDay  bool      `json:"all_day,omitempty"`
	// DateFallback names where Date came from when the item gave no
	// publication date: "updated", or "first_seen" (the store then dates it
	// by the pass that first saw it).
	DateFallback string `json:"date_fallback,omitempty"`

	Authors    []string `json:"authors,omitempty"`
	Categories []string `json:"categories,omitempty"`
	// FeedTitle is the title of the feed, calendar or event the item came
	// from; title normalisation drops a " | FeedTitle" suffix.
	FeedTitle string `json:"feed_title,omitempty"`

	// Metrics are platform counts: views, stars, attendees, ...
	Metrics map[string]int64 `json:"metrics,omitempty"`
	// Meta holds source-specific facts worth keeping (a pull request's
	// state and repository, a time-zone fallback, a location).
	Meta map[string]string `json:"meta,omitempty"`

	// Values a person wrote by hand (file source); zero means unknown.
	PrimaryArea     string   `json:"primary_area,omitempty"`
	AdditionalAreas []string `json:"additional_areas,omitempty"`
	TargetAudience  []string `json:"target_audience,omitempty"`
	Quantity        int      `json:"quantity,omitempty"`
	Reach           int64    `json:"reach,omitempty"`
	// What the programs' forms ask (Contribution's fields of the same
	// names), from hand-kept entries.
	PrivateDescription string           `json:"private_description,omitempty"`
	MicrosoftEvent     string           `json:"microsoft_event,omitempty"`
	HighImpact         bool             `json:"high_impact,omitempty"`
	Counts             map[string]int64 `json:"counts,omitempty"`

	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`

	// DescriptionOmitted says that this copy was read without its
	// Description, which is not empty (Store.ForEachObservation with
	// OmitDescriptions: the log needs to know which observations have
	// one, not their text, unless areas are tagged).
	DescriptionOmitted bool `json:"-"`
}

// Key is the observation's identity in the store: source and native id.
func (o *Observation) Key() string { return ObservationKey(o.Source, o.NativeID) }

// ObservationKey joins a source name and a native id into a store key. The
// NUL separator cannot occur in a source name.
func ObservationKey(source, nativeID string) string { return source + "\x00" + nativeID }

// SplitObservationKey is the inverse of ObservationKey.
func SplitObservationKey(key string) (source, nativeID string) {
	source, nativeID, _ = strings.Cut(key, "\x00")
	return source, nativeID
}

// ShortID is the short, stable base32 id derived from the observation's
// key. Contribution ids are the ShortID of one of their observations.
func (o *Observation) ShortID() string { return ShortID(o.Key()) }

// OwnURL is URL when it is the item's own link; "" for a listing
// (URLIsListing), which is shown nowhere.
func (o *Observation) OwnURL() string {
	if o.URLIsListing {
		return ""
	}
	return o.URL
}

// ShortID hashes s to ten lowercase base32 characters (50 bits): short
// enough to type after `contriblog edit`, wide enough that one person's
// log never sees a collision in practice.
func ShortID(s string) string {
	sum := sha256.Sum256([]byte(s))
	// Ten characters are the first 50 bits: the first 7 bytes encode to
	// them (and two more, dropped), as the whole sum would.
	var enc [12]byte
	shortIDEncoding.Encode(enc[:], sum[:7])
	return string(enc[:10])
}

// shortIDEncoding is standard base32 in lower case, without padding.
var shortIDEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// Day is the observation's calendar date, YYYY-MM-DD, in loc (all-day
// items keep their own calendar day). It is empty for a zero date.
func (o *Observation) Day(loc *time.Location) string { return dayOf(o.Date, o.AllDay, loc) }

// EndDay is like Day for EndDate.
func (o *Observation) EndDay(loc *time.Location) string { return dayOf(o.EndDate, o.AllDay, loc) }

func dayOf(t time.Time, allDay bool, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	if allDay {
		return t.UTC().Format(DateLayout)
	}
	if loc == nil {
		loc = time.Local
	}
	return t.In(loc).Format(DateLayout)
}

// DateLayout is the layout of every date the log shows.
const DateLayout = "2006-01-02"
