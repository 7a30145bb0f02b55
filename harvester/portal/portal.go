// Package portal reads what a person already entered in a program's
// portal — the MVP portal's "Account Privacy Data" export, the GitHub
// Stars API's list — and matches it to the rows of the log, so that
// contriblog knows what is in and never has anything entered twice
// (docs/programs.md#already-entered-some-by-hand).
package portal

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/contriblog/contriblog/harvester"
)

// Entry is one activity a program holds.
type Entry struct {
	RemoteID    string // the program's id for it, when it says
	Title       string
	Description string
	URL         string
	Date        string // YYYY-MM-DD, "" when unknown
	Type        string // the program's activity type
	Areas       []string
	Audience    []string
	HighImpact  bool
	Reach       int64
	// Raw is the entry as the program gave it, kept with the record.
	Raw json.RawMessage
}

// gdprDeleted marks an entry the portal deleted at the member's request.
const gdprDeleted = "[GDPR Delete]"

// ParseMVP reads the MVP portal's privacy export: the activities under
// mostValuableProfessionalProgram.activities, every field optional. It
// returns the entries in file order and how many it skipped as deleted
// ("[GDPR Delete]" as title or description).
func ParseMVP(data []byte) (entries []Entry, deleted int, err error) {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, 0, fmt.Errorf("not the MVP portal's JSON export: %w", err)
	}
	program, ok := field(doc, "mostValuableProfessionalProgram")
	if !ok {
		return nil, 0, fmt.Errorf("not the MVP portal's JSON export: it has no mostValuableProfessionalProgram")
	}
	var prog map[string]json.RawMessage
	if err := json.Unmarshal(program, &prog); err != nil {
		return nil, 0, fmt.Errorf("mostValuableProfessionalProgram: %w", err)
	}
	list, ok := field(prog, "activities")
	if !ok {
		return nil, 0, nil // a member with no activity yet
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(list, &raws); err != nil {
		return nil, 0, fmt.Errorf("mostValuableProfessionalProgram.activities: %w", err)
	}
	for i, raw := range raws {
		var a map[string]json.RawMessage
		if err := json.Unmarshal(raw, &a); err != nil {
			return nil, 0, fmt.Errorf("mostValuableProfessionalProgram.activities[%d]: %w", i, err)
		}
		e := Entry{
			RemoteID:    text(a, "id", "activityId"),
			Title:       harvester.CleanText(text(a, "title")),
			Description: harvester.CleanText(text(a, "description")),
			URL:         strings.TrimSpace(text(a, "url", "activityUrl")),
			Type:        text(a, "activityTypeName", "activityType"),
			Areas:       texts(a, "technologyFocusArea", "technologyFocusAreas", "additionalTechnologyAreas"),
			Audience:    texts(a, "targetAudience"),
			HighImpact:  truth(a, "isHighImpact"),
			Reach:       number(a, "annualReach", "reach"),
			Raw:         raw,
		}
		if e.Title == gdprDeleted || e.Description == gdprDeleted {
			deleted++
			continue
		}
		if e.Date, err = day(text(a, "dateCreated", "date", "activityDate", "startDate")); err != nil {
			return nil, 0, fmt.Errorf("mostValuableProfessionalProgram.activities[%d] (%q): %w", i, e.Title, err)
		}
		entries = append(entries, e)
	}
	return entries, deleted, nil
}

// field finds key in m, ignoring case: the export's casing has varied.
func field(m map[string]json.RawMessage, key string) (json.RawMessage, bool) {
	if v, ok := m[key]; ok {
		return v, true
	}
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return nil, false
}

// text is the first of keys that holds a string (or a number, as text).
func text(m map[string]json.RawMessage, keys ...string) string {
	for _, k := range keys {
		v, ok := field(m, k)
		if !ok {
			continue
		}
		var s string
		if json.Unmarshal(v, &s) == nil && strings.TrimSpace(s) != "" {
			return strings.TrimSpace(s)
		}
		var n json.Number
		if json.Unmarshal(v, &n) == nil {
			return n.String()
		}
	}
	return ""
}

// texts is the first of keys that holds a list of strings, or one string
// (split on ";" and ",", as portals join lists).
func texts(m map[string]json.RawMessage, keys ...string) []string {
	for _, k := range keys {
		v, ok := field(m, k)
		if !ok {
			continue
		}
		var list []string
		if json.Unmarshal(v, &list) == nil && len(list) > 0 {
			return cleanList(list)
		}
		var s string
		if json.Unmarshal(v, &s) == nil && strings.TrimSpace(s) != "" {
			return cleanList(strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == ',' }))
		}
	}
	return nil
}

func cleanList(list []string) []string {
	var out []string
	for _, s := range list {
		if s = harvester.CleanText(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// truth reads true, "True" or "true".
func truth(m map[string]json.RawMessage, key string) bool {
	v, ok := field(m, key)
	if !ok {
		return false
	}
	var b bool
	if json.Unmarshal(v, &b) == nil {
		return b
	}
	var s string
	if json.Unmarshal(v, &s) == nil {
		b, _ = strconv.ParseBool(strings.TrimSpace(s))
	}
	return b
}

// number reads a whole number, or a string holding one.
func number(m map[string]json.RawMessage, keys ...string) int64 {
	s := text(m, keys...)
	n, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
	if err != nil || n < 0 {
		return 0
	}
	return int64(n)
}

// dateLayouts are the spellings of a date portals have used.
var dateLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04:05", "2006-01-02 15:04:05",
	harvester.DateLayout, "1/2/2006 3:04:05 PM", "1/2/2006 15:04:05", "1/2/2006"}

// day is s as YYYY-MM-DD: the calendar day the portal wrote ("" for no
// date).
func day(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.Format(harvester.DateLayout), nil
		}
	}
	return "", fmt.Errorf("date %q: not a date this reader knows", s)
}
