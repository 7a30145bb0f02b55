package daemon

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"

	"github.com/contriblog/contriblog/harvester"
)

// The wire format of an edit, POST /edit/{id}'s form, in one place for
// the client (editForm) and the server (decodeEdit). Commands and the
// Edit hook see only harvester.EditRequest.

// EditFields are the form fields POST /edit/{id} accepts, each the
// `contriblog edit` flag of the same name: exclude, include and split are
// booleans ("1", "true"; a bare field is true); type, title, date
// (YYYY-MM-DD), role, area, url (http or https) and description are
// text; audience and additional-area are repeatable ("" alone clears);
// reach and quantity whole numbers; private-description and
// microsoft-event text; high-impact a boolean ("false" sets it false);
// set KEY=N, a count (repeatable; KEY= clears); merge the id of a
// contribution to merge into this one (repeatable).
var EditFields = harvester.EditFields

// editForm encodes req as the form POST /edit/{id} takes. Only what req
// sets is sent; an empty text field clears the curated value.
func editForm(req harvester.EditRequest) url.Values {
	form := url.Values{}
	if req.Exclude != nil {
		if *req.Exclude {
			form.Set("exclude", "true")
		} else {
			form.Set("include", "true")
		}
	}
	for _, f := range []struct {
		name string
		v    *string
	}{{"type", req.ActivityType}, {"title", req.Title}, {"date", req.Date}, {"role", req.Role}, {"area", req.Area},
		{"url", req.URL}, {"description", req.Description}, {"private-description", req.PrivateDescription},
		{"microsoft-event", req.MicrosoftEvent}} {
		if f.v != nil {
			form.Set(f.name, *f.v)
		}
	}
	for name, list := range map[string][]string{"audience": req.TargetAudience, "additional-area": req.AdditionalAreas} {
		switch {
		case list == nil:
		case len(list) == 0:
			form.Set(name, "") // clear
		default:
			form[name] = append([]string(nil), list...)
		}
	}
	if req.Reach != nil {
		form.Set("reach", strconv.FormatInt(*req.Reach, 10))
	}
	if req.Quantity != nil {
		form.Set("quantity", strconv.Itoa(*req.Quantity))
	}
	if req.HighImpact != nil {
		form.Set("high-impact", strconv.FormatBool(*req.HighImpact))
	}
	for _, k := range harvester.CountKeys { // the keys SetField takes, in a fixed order
		if v, ok := req.Counts[k]; ok {
			n := ""
			if v != nil {
				n = strconv.FormatInt(*v, 10)
			}
			form.Add("set", k+"="+n)
		}
	}
	if len(req.Merge) > 0 {
		form["merge"] = append([]string(nil), req.Merge...)
	}
	if req.Split {
		form.Set("split", "true")
	}
	return form
}

// decodeEdit reads POST /edit/{id}'s form into an edit request. Every
// field but merge, audience, additional-area and set may be given once;
// an unknown field is refused.
func decodeEdit(form url.Values) (harvester.EditRequest, error) {
	var req harvester.EditRequest
	if err := onlyKeys(form, EditFields...); err != nil {
		return req, err
	}
	if len(form) == 0 {
		return req, fmt.Errorf("nothing to change: send at least one of the form fields %v", EditFields)
	}
	// In EditFields' order, so that of several mistakes the same one is
	// reported every time.
	for _, k := range EditFields {
		if n := len(form[k]); n > 1 && !slices.Contains(harvester.RepeatableEditFields, k) {
			return req, fmt.Errorf("%s given %d times", k, n)
		}
	}
	for _, k := range EditFields {
		for _, v := range form[k] {
			if err := req.SetField(k, v); err != nil {
				return req, err
			}
		}
	}
	return req, nil
}
