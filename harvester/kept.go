package harvester

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// Reasons a source, or the harvester, drops an item it read: the keys of
// Batch.Dropped and SourceState.LastDropped (docs/sources.md#what-a-pass-keeps).
// A source may use a reason of its own; it is shown as it is spelled.
const (
	DroppedSince        = "since"         // dated before the harvest window
	DroppedMatch        = "match"         // mentions none of the source's match terms
	DroppedNoID         = "no_id"         // nothing to know it by again
	DroppedRepeated     = "repeated"      // the same item twice in one document
	DroppedCancelled    = "cancelled"     // a cancelled event
	DroppedOtherPerson  = "other_person"  // by someone else (another speaker, author)
	DroppedNotAccepted  = "not_accepted"  // a session not accepted by the event
	DroppedService      = "service"       // a break, a lunch: no one's contribution
	DroppedNotPublished = "not_published" // a draft, a private repository or a fork
)

// droppedWords say each reason in the words `harvest` and `sources` print,
// in the order they print them.
var droppedWords = []struct{ reason, words string }{
	{DroppedSince, "older than since"},
	{DroppedMatch, "not matching match"},
	{DroppedOtherPerson, "by someone else"},
	{DroppedNotAccepted, "not accepted"},
	{DroppedService, "service sessions"},
	{DroppedNotPublished, "drafts, forks or private"},
	{DroppedCancelled, "cancelled"},
	{DroppedRepeated, "repeated"},
	{DroppedNoID, "without an id"},
}

// KeptSummary says what a full read kept and why it dropped the rest:
// "3 of 15 (12 older than since)", "0 of 40 (38 not matching match, 2
// older than since)". Reasons come in a fixed order, unknown ones last
// by name.
func KeptSummary(seen, kept int, dropped map[string]int) string {
	s := fmt.Sprintf("%d of %d", kept, seen)
	var parts []string
	for _, w := range droppedWords {
		if n := dropped[w.reason]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, w.words))
		}
	}
	for _, r := range slices.Sorted(maps.Keys(dropped)) {
		if n := dropped[r]; n > 0 && !slices.ContainsFunc(droppedWords, func(w struct{ reason, words string }) bool { return w.reason == r }) {
			parts = append(parts, fmt.Sprintf("%d %s", n, Printable(r)))
		}
	}
	if len(parts) > 0 {
		s += " (" + strings.Join(parts, ", ") + ")"
	}
	return s
}

// RecordRead records in st what saving b as of pass did, when b is a full
// read (not NotModified): its validators' fingerprint and window, and its
// counts (kept is what was stored: r's new, updated and unchanged). A
// "not modified" pass keeps the counts of the last full read. Stores call
// it when they save a batch.
func (st *SourceState) RecordRead(b *Batch, pass time.Time, r SaveResult) {
	if b == nil || b.NotModified {
		return
	}
	st.Config, st.ReadSince = b.Config, b.Since
	st.LastRead, st.LastSeen, st.LastKept = pass, b.Seen, r.New+r.Updated+r.Unchanged
	st.LastDropped = nil
	for k, n := range b.Dropped {
		if n > 0 {
			if st.LastDropped == nil {
				st.LastDropped = map[string]int{}
			}
			st.LastDropped[k] = n
		}
	}
}
