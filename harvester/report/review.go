package report

import (
	_ "embed"
	"encoding/json"
	"html/template"
	"strconv"
	"strings"

	"github.com/contriblog/contriblog/harvester"
)

// Review makes the page the daemon's review page (docs/report.md#review-mode):
// the same report, with excluded rows listed (and left out of the
// figures), a button per action on each row of the table, and a small
// embedded script that sends each action to the daemon and redraws what
// it changed. Without JavaScript the page is the report.
type Review struct {
	// CSRFToken is the daemon's token, which the script sends back in the
	// X-CSRF-Token header of every change.
	CSRFToken string
}

// The review page's script and its extra style sheet, embedded as the
// report's own are.
var (
	//go:embed assets/review.js
	reviewScript string
	//go:embed assets/review.css
	reviewSheet string
	// reviewStyle is the review page's style sheet: the report's, then
	// the review's.
	reviewStyle = styleSheet + reviewSheet
)

// ReviewPolicy is the Content-Security-Policy of the review page, which
// the page also carries in a meta element: nothing loads from anywhere,
// the one embedded script and style sheet are allowed by their hashes,
// and the script may talk to the page's own origin only. The daemon
// sends it as a header, with frame-ancestors 'none' (which a meta element
// cannot carry).
var ReviewPolicy = "default-src 'none'; script-src '" + styleHash(reviewScript) + "'; style-src '" + styleHash(reviewStyle) +
	"'; img-src data:; connect-src 'self'; form-action 'self'; base-uri 'none'"

// reviewPage is what the review page adds to the report's.
type reviewPage struct {
	CSRF   string
	Script template.JS
	// Types are the activity types the edit form offers.
	Types []string
	// Counts are the counts the edit form sets (harvester.CountKeys).
	Counts []string
}

// rowReview is what a row's buttons need: its values for the edit form
// and what the program holds of it.
type rowReview struct {
	Excluded   bool
	Splittable bool // it holds several observations
	// Records are the ids of the program's submission records that cover
	// the row, which unmarking removes; RecordIDs them as a JSON array.
	Records   []string
	RecordIDs string
	// The edit form's values.
	Area, Reach, Quantity string
	Counts                string // JSON object of the counts a person gave
}

func newReviewPage(r *Review, vocab *harvester.Vocabulary) *reviewPage {
	if r == nil {
		return nil
	}
	return &reviewPage{CSRF: r.CSRFToken, Script: template.JS(reviewScript), Types: vocab.Names(),
		Counts: harvester.CountKeys}
}

// newRowReview is r's review values; program is the program the table
// follows ("" for none).
func newRowReview(r *Row, program string) rowReview {
	rv := rowReview{Excluded: r.Excluded, Splittable: len(r.Observations) > 1, Area: r.PrimaryArea}
	if r.ReachKnown() {
		rv.Reach = strconv.FormatInt(r.Reach, 10)
	}
	if r.Quantity > 0 {
		rv.Quantity = strconv.Itoa(r.Quantity)
	}
	counts := map[string]int64{}
	for k, v := range r.Counts {
		counts[k] = v
	}
	b, _ := json.Marshal(counts) // a map of numbers cannot fail
	rv.Counts = string(b)
	if program != "" {
		for _, s := range r.Submissions {
			if strings.EqualFold(s.Program, program) {
				rv.Records = append(rv.Records, s.ID)
			}
		}
		ids, _ := json.Marshal(rv.Records) // strings cannot fail
		rv.RecordIDs = string(ids)
	}
	return rv
}
