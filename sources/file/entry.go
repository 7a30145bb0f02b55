package file

import (
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/sources/yamldoc"
)

// reader turns entries into observations, recording every problem.
type reader struct {
	*problems
	cfg   Config
	vocab *harvester.Vocabulary
}

// entry reads one entry; false when it has any problem.
func (r *reader) entry(n *yaml.Node, path string) (harvester.Observation, bool) {
	fields, ok := r.mapping(n, path)
	if !ok {
		return harvester.Observation{}, false
	}
	before := len(r.errs)
	o := harvester.Observation{Source: r.cfg.Name, Person: r.cfg.Person, AllDay: true}
	var id string
	set := map[string]bool{}
	for _, f := range fields {
		if yamldoc.Absent(f.Val) {
			continue // null or "": not given, as the JSON export writes an empty end_date
		}
		set[f.Key] = true
		r.field(&o, &id, f, key(path, f.Key))
	}
	if !set["title"] {
		r.errorf(n, key(path, "title"), "title is required")
	} else if o.Title == "" && valueOf(fields, "title").Kind == yaml.ScalarNode {
		r.errorf(valueOf(fields, "title"), key(path, "title"), "title is empty once its HTML is removed")
	}
	if !set["date"] {
		r.errorf(n, key(path, "date"), "date is required (YYYY-MM-DD)")
	}
	if !set["activity_type"] {
		r.defaultActivity(&o, n, path)
	}
	if !o.EndDate.IsZero() && !o.Date.IsZero() && o.EndDate.Before(o.Date) {
		r.errorf(n, key(path, "end_date"), "end_date %s is before date %s", o.EndDate.Format(harvester.DateLayout), o.Date.Format(harvester.DateLayout))
	}
	if len(r.errs) > before {
		return harvester.Observation{}, false
	}
	o.NativeID = nativeID(id, o.Title, o.Date.Format(harvester.DateLayout))
	return o, true
}

// valueOf returns the value of key k among fields (nil when missing).
func valueOf(fields []field, k string) *yaml.Node {
	for _, fl := range fields {
		if fl.Key == k {
			return fl.Val
		}
	}
	return nil
}

// defaultActivity gives an entry without activity_type the source's
// activity, if it has one.
func (r *reader) defaultActivity(o *harvester.Observation, n *yaml.Node, path string) {
	if r.cfg.Activity == "" {
		r.errorf(n, key(path, "activity_type"), "activity_type is required (or set activity: on the source); known types: %s", strings.Join(r.vocab.Names(), ", "))
		return
	}
	name, err := r.vocab.Resolve(r.cfg.Activity)
	if err != nil {
		r.errorf(n, key(path, "activity_type"), "the source's activity: %s", err.Error())
		return
	}
	o.ActivityType = name
}

// field reads one key of an entry into o (and the person's id into id).
func (r *reader) field(o *harvester.Observation, id *string, f field, k string) {
	switch f.Key {
	case "id":
		*id = r.str(f, k)
	case "title":
		o.Title = harvester.PlainText(r.str(f, k))
	case "date":
		o.Date = r.date(f, k)
	case "end_date":
		o.EndDate = r.date(f, k)
	case "activity_type":
		if s := r.str(f, k); s != "" {
			name, err := r.vocab.Resolve(s)
			if err != nil {
				r.errorf(f.Val, k, "%s", err.Error())
			}
			o.ActivityType = name
		}
	case "description":
		o.Description = harvester.PlainText(r.str(f, k))
	case "url":
		o.URL = r.url(f.Val, k)
	case "role":
		o.Role = harvester.CleanText(r.str(f, k))
	case "primary_area":
		o.PrimaryArea = harvester.CleanText(r.str(f, k))
	case "person":
		if p := harvester.CleanText(r.str(f, k)); p != "" {
			o.Person = p
		}
	default:
		r.listField(o, f, k)
	}
}

// listField reads the list and number keys, and reports unknown ones.
func (r *reader) listField(o *harvester.Observation, f field, k string) {
	switch f.Key {
	case "additional_areas":
		o.AdditionalAreas = r.strList(f, k)
	case "target_audience":
		o.TargetAudience = r.strList(f, k)
	case "other_urls":
		for i, u := range r.nodeList(f, k) {
			if v := r.url(u, yamldoc.Index(k, i)); v != "" {
				o.OtherURLs = append(o.OtherURLs, v)
			}
		}
	case "quantity":
		o.Quantity = int(r.count(f, k, math.MaxInt32))
	case "reach":
		o.Reach = r.count(f, k, math.MaxInt64)
	default:
		if !r.formsField(o, f, k) {
			r.unknownKey(f, k)
		}
	}
}

// str reads a scalar as a trimmed string.
func (r *reader) str(f field, k string) string {
	if f.Val.Kind != yaml.ScalarNode {
		r.errorf(f.Val, k, "expected a string, got %s", yamldoc.Describe(f.Val))
		return ""
	}
	return strings.TrimSpace(f.Val.Value)
}

// date reads a calendar day, YYYY-MM-DD, as midnight UTC.
func (r *reader) date(f field, k string) time.Time {
	s := r.str(f, k)
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(harvester.DateLayout, s)
	if err != nil {
		if why := yamldoc.NoSuchDay(s); why != "" {
			r.errorf(f.Val, k, "%s", why)
			return time.Time{}
		}
		r.errorf(f.Val, k, "expected a date as YYYY-MM-DD, got %q", shorten(s))
		return time.Time{}
	}
	return t
}

// url reads an absolute http(s) URL.
func (r *reader) url(n *yaml.Node, k string) string {
	if n.Kind != yaml.ScalarNode {
		r.errorf(n, k, "expected a URL, got %s", yamldoc.Describe(n))
		return ""
	}
	s := strings.TrimSpace(n.Value)
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || !strings.EqualFold(u.Scheme, "http") && !strings.EqualFold(u.Scheme, "https") || strings.ContainsAny(s, " \t\n") {
		r.errorf(n, k, "not an absolute http(s) URL: %q", shorten(s))
		return ""
	}
	return s
}

// count reads a whole number from 0 to max.
func (r *reader) count(f field, k string, max int64) int64 {
	s := r.str(f, k)
	if s == "" {
		return 0
	}
	v, err := strconv.ParseInt(strings.ReplaceAll(s, "_", ""), 10, 64)
	switch {
	case err != nil:
		r.errorf(f.Val, k, "expected a whole number, got %q", shorten(s))
	case v < 0:
		r.errorf(f.Val, k, "must not be negative, got %d", v)
	case v > max:
		r.errorf(f.Val, k, "%d is too large", v)
	default:
		return v
	}
	return 0
}

// nodeList reads a list; a single value is a list of one.
func (r *reader) nodeList(f field, k string) []*yaml.Node {
	switch f.Val.Kind {
	case yaml.SequenceNode:
		out := make([]*yaml.Node, 0, len(f.Val.Content))
		for _, c := range f.Val.Content {
			if c = yamldoc.Resolve(c); !yamldoc.Absent(c) {
				out = append(out, c)
			}
		}
		return out
	case yaml.ScalarNode:
		return []*yaml.Node{f.Val}
	}
	r.errorf(f.Val, k, "expected a list, got %s", yamldoc.Describe(f.Val))
	return nil
}

// strList reads a list of strings; a single string may list several
// separated by ";", as the CSV export writes them.
func (r *reader) strList(f field, k string) []string {
	var out []string
	if f.Val.Kind == yaml.ScalarNode {
		for _, s := range strings.Split(f.Val.Value, ";") {
			if s = harvester.CleanText(s); s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	for i, n := range r.nodeList(f, k) {
		if n.Kind != yaml.ScalarNode {
			r.errorf(n, yamldoc.Index(k, i), "expected a string, got %s", yamldoc.Describe(n))
			continue
		}
		if s := harvester.CleanText(n.Value); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func shorten(s string) string {
	if r := []rune(s); len(r) > 100 {
		return string(r[:100]) + "…"
	}
	return s
}
