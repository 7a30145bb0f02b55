package advocutest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// The fields of each kind and their limits, from Advocu's published
// schemas (jochenkirstaetter/advocu-csharp src/Advocu.Core/Models/
// documentation.json) and docs/programs.md.
var (
	common = []string{"title", "description", "tags", "additionalInfo", "private", "metrics"}
	event  = []string{"eventFormat", "country", "city", "cityPlaceId", "inPersonAttendees", "activityDate", "activityUrl"}
	byKind = map[string][]string{
		"content-creation":          {"contentType", "activityDate", "activityUrl", "imageUrl"},
		"public-speaking":           event,
		"workshop":                  event,
		"mentoring":                 event,
		"product-feedback-given":    {"contentType", "productDescription", "activityDate"},
		"interaction-with-googlers": {"format", "interactionType", "activityDate", "additionalLinks"},
		"stories":                   {"whyIsSignificant", "significanceType", "activityUrl"},
	}
	maxLen = map[string]int{"title": 200, "description": 2000, "additionalInfo": 2000, "activityUrl": 500,
		"imageUrl": 500, "productDescription": 500, "additionalLinks": 2000, "whyIsSignificant": 2000}
	metrics      = []string{"readers", "attendees", "timeSpent", "impact"}
	eventFormats = []string{"In-Person", "Virtual", "Hybrid"}
	urlRE        = regexp.MustCompile(`^https?://[^\s/]+`)
)

// fieldError is one refused field, as the fake answers it:
// {"statusCode": 400, "message": "Validation failed", "errors": [{"field", "message"}]}.
type fieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// check reads a draft of kind and applies Advocu's rules: errs are its
// refused fields, err a body that is not a JSON object.
func (s *Server) check(r io.Reader, kind string) (json.RawMessage, []fieldError, error) {
	raw, err := io.ReadAll(io.LimitReader(r, 1<<20))
	if err != nil {
		return nil, nil, err
	}
	var d map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&d); err != nil || d == nil {
		return nil, nil, fmt.Errorf("the body is not a JSON object")
	}
	var errs []fieldError
	bad := func(field, format string, args ...any) {
		errs = append(errs, fieldError{field, fmt.Sprintf(format, args...)})
	}
	allowed := append(slices.Clone(common), byKind[kind]...)
	for _, k := range sortedKeys(d) {
		if !s.opts.AllowUnknown && !slices.Contains(allowed, k) {
			bad(k, "property %s should not exist", k)
			continue
		}
		if _, ok := maxLen[k]; ok || isText(k) {
			str, ok := d[k].(string)
			if !ok {
				bad(k, "%s must be a string", k)
			} else if n := utf8.RuneCountInString(str); n > maxLen[k] && maxLen[k] > 0 {
				bad(k, "%s must be shorter than or equal to %d characters, not %d", k, maxLen[k], n)
			}
		}
	}
	title, _ := d["title"].(string)
	if utf8.RuneCountInString(strings.TrimSpace(title)) < 3 {
		bad("title", "title must be longer than or equal to 3 characters")
	}
	if ct, _ := d["contentType"].(string); kind == "content-creation" && strings.TrimSpace(ct) == "" {
		bad("contentType", "contentType should not be empty")
	}
	errs = append(errs, checkValues(d)...)
	s.mu.Lock()
	ref, refused := s.refusals[title]
	s.mu.Unlock()
	if refused {
		errs = append([]fieldError{{ref[0], ref[1]}}, errs...)
	}
	return raw, errs, nil
}

// isText reports the fields that take a string without a length limit.
func isText(k string) bool {
	switch k {
	case "contentType", "activityDate", "eventFormat", "country", "city", "cityPlaceId", "format",
		"interactionType", "significanceType":
		return true
	}
	return false
}

// checkValues checks the values whose rules are not lengths.
func checkValues(d map[string]any) []fieldError {
	var errs []fieldError
	bad := func(field, format string, args ...any) {
		errs = append(errs, fieldError{field, fmt.Sprintf(format, args...)})
	}
	if v, ok := d["tags"]; ok {
		tags, ok := v.([]any)
		if !ok || slices.ContainsFunc(tags, func(t any) bool { _, s := t.(string); return !s }) {
			bad("tags", "tags must be an array of strings")
		}
	}
	if v, ok := d["private"]; ok {
		if _, ok := v.(bool); !ok {
			bad("private", "private must be a boolean value")
		}
	}
	if v, ok := d["metrics"]; ok {
		m, ok := v.(map[string]any)
		if !ok {
			bad("metrics", "metrics must be an object")
		}
		for _, k := range sortedKeys(m) {
			if !slices.Contains(metrics, k) {
				bad("metrics."+k, "property metrics.%s should not exist", k)
			} else if n, ok := m[k].(json.Number); !ok || !wholeAtLeast(n, 1) {
				bad("metrics."+k, "metrics.%s must be a whole number not less than 1", k)
			}
		}
	}
	if date, ok := d["activityDate"].(string); ok {
		if _, err := time.Parse(time.DateOnly, date); err != nil || len(date) != len(time.DateOnly) {
			bad("activityDate", "activityDate must be a date YYYY-MM-DD, not %q", date)
		}
	}
	for _, k := range []string{"activityUrl", "imageUrl"} {
		if u, ok := d[k].(string); ok && !urlRE.MatchString(u) {
			bad(k, "%s must be an http(s) URL", k)
		}
	}
	return append(errs, checkEvent(d)...)
}

// checkEvent checks the format of an event and the fields it allows:
// a place only in person, in-person attendees only for a hybrid event.
func checkEvent(d map[string]any) []fieldError {
	var errs []fieldError
	format, hasFormat := d["eventFormat"].(string)
	if hasFormat && !slices.Contains(eventFormats, format) {
		errs = append(errs, fieldError{"eventFormat", fmt.Sprintf("eventFormat must be one of %s", strings.Join(eventFormats, ", "))})
	}
	for _, k := range []string{"country", "city", "cityPlaceId"} {
		if _, ok := d[k]; ok && format == "Virtual" {
			errs = append(errs, fieldError{k, k + " is not accepted for a Virtual event"})
		}
	}
	if v, ok := d["inPersonAttendees"]; ok {
		n, isNum := v.(json.Number)
		switch {
		case format != "Hybrid":
			errs = append(errs, fieldError{"inPersonAttendees", "inPersonAttendees is accepted for a Hybrid event only"})
		case !isNum || !wholeAtLeast(n, 0):
			errs = append(errs, fieldError{"inPersonAttendees", "inPersonAttendees must be a whole number not less than 0"})
		}
	}
	return errs
}

func wholeAtLeast(n json.Number, least int64) bool {
	i, err := n.Int64()
	return err == nil && i >= least
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
