package export

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/program"
)

// Payload is what a program's API takes for one row, exactly as the
// program's JSON export writes it: a GitHub Stars contribution, or an
// Advocu draft (its kind and body). `contriblog submit` sends it and
// keeps it with the row's submission record.
type Payload struct {
	Kind string          `json:"kind,omitempty"` // Advocu's draft kind (activity-drafts/{kind}); "" for Stars
	Body json.RawMessage `json:"body"`
}

// PayloadOf maps c onto p's API: refused says why the program does not
// take the row (a type, area or role it does not list: never guessed),
// and is "" when it does. A program without an API (the MVP form) is an
// error.
func PayloadOf(p *program.Profile, c *harvester.Contribution) (pl Payload, refused string, err error) {
	if p.Format != program.FormatStars && p.Format != program.FormatAdvocu {
		return pl, "", fmt.Errorf("%s has no API contriblog can send to (its export is a form to fill in by hand)", p.Name)
	}
	e, refusals := p.Place(c)
	if len(refusals) > 0 {
		why := make([]string, len(refusals))
		for i, r := range refusals {
			why[i] = harvester.CleanText(r.Msg)
		}
		return pl, strings.Join(why, "; "), nil
	}
	var v any
	if p.Format == program.FormatStars {
		v = starsShape.object(c, &e)
	} else {
		d := draft(c, &e)
		pl.Kind, v = d.Kind, d.Body
	}
	if pl.Body, err = json.Marshal(v); err != nil {
		return pl, "", fmt.Errorf("encode the %s request of %s: %w", p.Name, c.ID, err)
	}
	return pl, "", nil
}
