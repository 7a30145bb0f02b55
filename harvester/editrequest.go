package harvester

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// EditRequest is one `contriblog edit ID ...` invocation. Nil fields and
// zero values were not given. An empty string for ActivityType, Title,
// Date, Role, Area, URL or Description removes that field's curated
// value, so the harvested one shows again; so does a non-nil empty
// TargetAudience or AdditionalAreas.
type EditRequest struct {
	Exclude      *bool // true: --exclude; false: --include
	ActivityType *string
	Title        *string
	Date         *string // YYYY-MM-DD
	Role         *string
	Area         *string
	URL          *string // http or https
	Description  *string
	// TargetAudience and AdditionalAreas replace the row's lists when not
	// nil (every --audience, every --additional-area); empty clears them.
	TargetAudience  []string
	AdditionalAreas []string
	Reach           *int64
	Quantity        *int
	// PrivateDescription and MicrosoftEvent are text like Description
	// ("" clears); HighImpact sets the flag either way (--high-impact,
	// --high-impact=false).
	PrivateDescription *string
	MicrosoftEvent     *string
	HighImpact         *bool
	// Counts sets counts of CountKeys (each --set KEY=N); a nil value
	// (--set KEY=) clears the curated count, so the hand-kept one shows
	// again.
	Counts map[string]*int64
	Merge  []string // ids of rows to force into this one
	Split  bool
}

// EditFields names the fields of an EditRequest as SetField takes them:
// the `contriblog edit` flags, which are also the daemon's form fields.
var EditFields = []string{"exclude", "include", "type", "title", "date", "role", "area", "url", "description",
	"audience", "additional-area", "reach", "quantity", "private-description", "microsoft-event", "high-impact",
	"set", "merge", "split"}

// RepeatableEditFields are the EditFields that may be given several
// times, each adding a value.
var RepeatableEditFields = []string{"audience", "additional-area", "set", "merge"}

// SetField sets the field name (one of EditFields) from its text, as the
// flag of that name gives it: exclude, include and split are booleans
// ("1", "true"; "" is true, "false" leaves the request as it was); type,
// title, date, role, area and description are taken as given; url must
// be an http or https address (or "" to clear); each audience,
// additional-area and merge adds a value ("" alone clears the list);
// reach and quantity are whole numbers (Curate checks their ranges);
// private-description and microsoft-event are text as description is;
// high-impact is a boolean that "false" sets to false; each set is
// KEY=N, KEY one of CountKeys and N a whole number of 0 or more, or KEY=
// to clear. The error names the field and the value; it does not wrap
// ErrInvalidEdit, since the caller knows whether a flag or a form field
// was wrong.
func (r *EditRequest) SetField(name, value string) error {
	switch name {
	case "exclude", "include", "split":
		return r.setBool(name, value)
	case "private-description":
		r.PrivateDescription = &value
	case "microsoft-event":
		r.MicrosoftEvent = &value
	case "high-impact":
		b, err := parseFlagBool(name, value)
		if err != nil {
			return err
		}
		r.HighImpact = &b
	case "set":
		return r.setCount(value)
	case "type":
		r.ActivityType = &value
	case "title":
		r.Title = &value
	case "date":
		r.Date = &value
	case "role":
		r.Role = &value
	case "area":
		r.Area = &value
	case "url":
		v := strings.TrimSpace(value)
		if err := checkEditURL(v); err != nil {
			return fmt.Errorf("%s %q: %w", name, value, err)
		}
		r.URL = &v
	case "description":
		r.Description = &value
	case "audience":
		r.TargetAudience = addListValue(r.TargetAudience, value)
	case "additional-area":
		r.AdditionalAreas = addListValue(r.AdditionalAreas, value)
	case "reach", "quantity":
		n, err := strconv.ParseInt(strings.TrimSpace(value), 10, 64)
		if err != nil {
			return fmt.Errorf("%s %q: expected a whole number", name, value)
		}
		if name == "reach" {
			r.Reach = &n
		} else {
			q := int(n)
			r.Quantity = &q
		}
	case "merge":
		r.Merge = append(r.Merge, strings.TrimSpace(value))
	default:
		return fmt.Errorf("unknown field %q", name)
	}
	return nil
}

// parseFlagBool reads a boolean flag's or form field's value: a bare one
// ("") is true.
func parseFlagBool(name, value string) (bool, error) {
	v := strings.TrimSpace(value)
	if v == "" {
		return true, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("%s=%q: expected true or false", name, v)
	}
	return b, nil
}

func (r *EditRequest) setBool(name, value string) error {
	b, err := parseFlagBool(name, value)
	if err != nil {
		return err
	}
	if name == "split" {
		r.Split = b
		return nil
	}
	if b {
		ex := name == "exclude"
		if r.Exclude != nil && *r.Exclude != ex {
			return errors.New("exclude and include contradict each other")
		}
		r.Exclude = &ex
	}
	return nil
}

// addListValue adds a repeatable field's value: a list given only as ""
// is an empty, non-nil list (clear).
func addListValue(list []string, value string) []string {
	if list == nil {
		list = []string{}
	}
	if v := CleanText(value); v != "" {
		list = append(list, v)
	}
	return list
}

// checkEditURL accepts "" (clear) or an absolute http or https URL with a
// host: an Activity URL is a page a reviewer opens.
func checkEditURL(v string) error {
	if v == "" {
		return nil
	}
	if strings.ContainsFunc(v, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return errors.New("a URL has no spaces or control characters")
	}
	u, err := url.Parse(v)
	if err != nil {
		return errors.New("not a URL")
	}
	if s := strings.ToLower(u.Scheme); s != "http" && s != "https" {
		return errors.New("want an http:// or https:// address")
	}
	if u.Hostname() == "" {
		return errors.New("the address has no host")
	}
	if u.User != nil {
		return errors.New("an address with a user name or password is refused: it would be exported")
	}
	return nil
}

// empty reports whether the request changes nothing.
func (r *EditRequest) empty() bool {
	return r.Exclude == nil && r.ActivityType == nil && r.Title == nil && r.Date == nil && r.Role == nil &&
		r.Area == nil && r.URL == nil && r.Description == nil && r.TargetAudience == nil && r.AdditionalAreas == nil &&
		r.Reach == nil && r.Quantity == nil && r.PrivateDescription == nil && r.MicrosoftEvent == nil &&
		r.HighImpact == nil && r.Counts == nil && len(r.Merge) == 0 && !r.Split
}

// setsFields reports whether the request sets a field (anything but a
// merge or a split).
func (r *EditRequest) setsFields() bool {
	fields := *r
	fields.Merge, fields.Split = nil, false
	return !fields.empty()
}

// setFields validates req's field values and sets them on e. An empty
// string clears the curated value; --include clears --exclude (a
// harvested row is never excluded).
func setFields(e *Edit, req *EditRequest, opts *LogOptions) error {
	if req.Exclude != nil {
		e.Exclude = nil
		if *req.Exclude {
			e.Exclude = ptr(true)
		}
	}
	if req.ActivityType != nil {
		e.ActivityType = nil
		if v := CleanText(*req.ActivityType); v != "" {
			name, err := opts.vocabulary().Resolve(v)
			if err != nil {
				return fmt.Errorf("%w: type: %w", ErrInvalidEdit, err)
			}
			e.ActivityType = &name
		}
	}
	if req.Date != nil {
		e.Date = nil
		if v := strings.TrimSpace(*req.Date); v != "" {
			if !validDate(v) {
				return fmt.Errorf("%w: date %q: want a calendar date as YYYY-MM-DD", ErrInvalidEdit, v)
			}
			e.Date = &v
		}
	}
	e.Title = setText(e.Title, req.Title)
	e.Role = setText(e.Role, req.Role)
	e.Area = setText(e.Area, req.Area)
	if e.Area != nil && req.Area != nil {
		e.Area = ptr(areaName(opts.Areas, *e.Area))
	}
	if req.URL != nil {
		if err := checkEditURL(strings.TrimSpace(*req.URL)); err != nil {
			return fmt.Errorf("%w: url %q: %w", ErrInvalidEdit, *req.URL, err)
		}
		e.URL = setText(e.URL, req.URL)
	}
	e.Description = setText(e.Description, req.Description)
	if req.TargetAudience != nil {
		e.TargetAudience = nil
		for _, a := range req.TargetAudience {
			e.TargetAudience = appendFold(e.TargetAudience, CleanText(a))
		}
	}
	if req.AdditionalAreas != nil {
		e.AdditionalAreas = nil
		for _, a := range req.AdditionalAreas {
			e.AdditionalAreas = appendFold(e.AdditionalAreas, areaName(opts.Areas, CleanText(a)))
		}
	}
	if req.Reach != nil {
		if *req.Reach < 0 {
			return fmt.Errorf("%w: reach %d: want 0 or more", ErrInvalidEdit, *req.Reach)
		}
		e.Reach = ptr(*req.Reach)
	}
	if req.Quantity != nil {
		if *req.Quantity < 1 {
			return fmt.Errorf("%w: quantity %d: want 1 or more", ErrInvalidEdit, *req.Quantity)
		}
		e.Quantity = ptr(*req.Quantity)
	}
	return setFormsFields(e, req)
}

// setText returns the curated text after a request: unchanged when not
// requested, nil for an empty request (clear), else the cleaned text.
func setText(cur, req *string) *string {
	if req == nil {
		return cur
	}
	if v := CleanText(*req); v != "" {
		return &v
	}
	return nil
}

// areaName spells name like the config's area it names, if any, so that
// "identity & access" tags the same area as the keywords do.
func areaName(areas []Area, name string) string {
	for _, a := range areas {
		if strings.EqualFold(strings.TrimSpace(a.Name), name) {
			return a.Name
		}
	}
	return name
}

// validDate reports whether s is a real calendar date as YYYY-MM-DD.
func validDate(s string) bool {
	t, err := time.Parse(DateLayout, s)
	return err == nil && t.Format(DateLayout) == s
}
