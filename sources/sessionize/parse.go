package sessionize

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"time"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/sources/fetch"
)

// Parse reads a Sessionize view/All document (or view/Sessions,
// view/GridSmart, view/Speakers) and returns one observation per
// non-service session of cfg.Speaker that starts on or after cfg.Since.
// Sessions without a time (view/Speakers) have a zero Date and are dated
// by the store's first sight. A speaker who is not in the document is an
// error naming the nearest names; so are a truncated document, JSON of
// another shape and an HTML page. Parse never panics.
func Parse(data []byte, cfg Config) ([]harvester.Observation, error) {
	obs, _, err := parse(data, cfg)
	return obs, err
}

// parse is Parse that also counts the sessions it left out, by reason
// (harvester.Batch.Dropped): every session of the event is read.
func parse(data []byte, cfg Config) ([]harvester.Observation, map[string]int, error) {
	cfg = defaults(cfg)
	d, err := decode(data)
	if err != nil {
		return nil, nil, err
	}
	sp, err := findSpeaker(d.speakers, cfg.Speaker)
	if err != nil {
		return nil, nil, err
	}
	listed := map[string]bool{}
	for _, id := range d.bySpeaker[sp.id] {
		listed[id] = true
	}
	var obs []harvester.Observation
	dropped := map[string]int{}
	seen := map[string]bool{}
	for _, se := range d.sessions {
		why := ""
		switch {
		case se.service:
			why = harvester.DroppedService
		case !(se.has(sp) || listed[se.id]):
			why = harvester.DroppedOtherPerson
		case !accepted(se.status):
			why = harvester.DroppedNotAccepted
		}
		if why != "" {
			dropped[why]++
			continue
		}
		o := observation(se, sp, cfg)
		switch {
		case seen[o.NativeID]:
			dropped[harvester.DroppedRepeated]++
			continue
		case !cfg.Since.IsZero() && !o.Date.IsZero() && o.Date.Before(cfg.Since):
			dropped[harvester.DroppedSince]++
			continue
		}
		seen[o.NativeID] = true
		obs = append(obs, o)
	}
	return obs, dropped, nil
}

// accepted reports whether a session's status (absent from most public
// views) lets it count: Sessionize lists accepted sessions, but an export
// of the whole call for papers also holds declined and waitlisted ones.
func accepted(status string) bool {
	return status == "" || strings.EqualFold(status, "Accepted")
}

// has reports whether p speaks in the session, by id where both have one.
func (se session) has(p person) bool {
	for _, q := range se.speakers {
		if p.id != "" && q.id != "" {
			if strings.EqualFold(p.id, q.id) {
				return true
			}
			continue
		}
		if p.name != "" && harvester.Fold(p.name) == harvester.Fold(q.name) {
			return true
		}
	}
	return false
}

func observation(se session, sp person, cfg Config) harvester.Observation {
	o := harvester.Observation{
		Source: cfg.Name, Person: cfg.Person, ActivityType: cfg.Activity,
		NativeID: se.id, Title: harvester.Truncate(se.title, 300), FeedTitle: harvester.CleanText(cfg.Event),
		Categories: se.categories, Meta: map[string]string{},
	}
	if o.NativeID == "" {
		sum := sha256.Sum256([]byte(se.title + "\x00" + se.starts))
		o.NativeID = "sha256:" + hex.EncodeToString(sum[:12])
	}
	if o.Title == "" {
		o.Title = "Untitled session"
	}
	var local bool
	o.Date, local = localTime(se.starts, cfg.Timezone)
	o.EndDate, _ = localTime(se.ends, cfg.Timezone)
	if o.Date.IsZero() {
		o.DateFallback, o.EndDate = "first_seen", time.Time{}
	}
	if o.EndDate.Before(o.Date) {
		o.EndDate = time.Time{}
	}
	if local {
		o.Meta["tz_fallback"] = "event-local time without offset; read in " + cfg.Timezone.String()
	}
	if len(se.speakers) >= 3 {
		o.Role = "Panelist"
	}
	describe(&o, se, sp)
	links(&o, se, cfg.URL)
	return o
}

// describe writes the description (the session's, then the event and
// room, then the co-speakers), the authors and the structured Meta.
func describe(o *harvester.Observation, se session, sp person) {
	var others []string
	for _, q := range se.speakers {
		if q.name == "" {
			continue
		}
		o.Authors = append(o.Authors, q.name)
		if !(sp.id != "" && strings.EqualFold(sp.id, q.id)) && harvester.Fold(q.name) != harvester.Fold(sp.name) {
			others = append(others, q.name)
		}
	}
	if len(o.Authors) == 0 && sp.name != "" {
		o.Authors = []string{sp.name}
	}
	with := ""
	if len(others) > 0 {
		with = "with " + strings.Join(others, ", ")
	}
	o.Description = harvester.JoinNonEmpty(" — ", se.desc, harvester.JoinNonEmpty(", ", o.FeedTitle, se.room), with)
	for k, v := range map[string]string{"event": o.FeedTitle, "room": se.room, "speakers": strings.Join(o.Authors, "; ")} {
		if v != "" {
			o.Meta[k] = v
		}
	}
	if len(o.Meta) == 0 {
		o.Meta = nil
	}
}

// links picks the recording, else the live stream, as URL, without
// credentials. Sessions have no page of their own: without either the URL
// is empty. The endpoint's URL is a listing, and is never a session's
// link (docs/sources.md#sessionize), even when a session names it.
func links(o *harvester.Observation, se session, endpoint string) {
	listing := []string{harvester.CanonicalURL(endpoint), harvester.CanonicalURL(fetch.Public(endpoint))}
	own := func(raw string) string {
		u := harvester.HTTPURL(raw)
		if u == "" || slices.Contains(listing, harvester.CanonicalURL(u)) {
			return ""
		}
		return fetch.Public(u)
	}
	rec, live := own(se.recording), own(se.live)
	switch {
	case rec != "":
		o.URL = rec
		if live != "" && live != rec {
			o.OtherURLs = []string{live}
		}
	case live != "":
		o.URL = live
	}
}

// localTime parses an ISO 8601 time. One with an offset (or Z) is that
// instant; one without is event-local, read in loc (local reports so). A
// local time that occurs twice at a fall-back change is the first of the
// two, as in iCalendar.
func localTime(s string, loc *time.Location) (t time.Time, local bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, false
	}
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return firstOfTwo(t, loc), true
		}
	}
	return time.Time{}, false
}

// firstOfTwo moves a wall-clock time that a fall-back change repeats to
// its first occurrence (Go's time.Date picks the second).
func firstOfTwo(t time.Time, loc *time.Location) time.Time {
	_, after := t.Zone()
	_, before := t.Add(-6 * time.Hour).Zone()
	if before <= after {
		return t
	}
	e := t.Add(-time.Duration(before-after) * time.Second)
	if e.In(loc).Format("2006-01-02T15:04:05") == t.Format("2006-01-02T15:04:05") {
		return e
	}
	return t
}
