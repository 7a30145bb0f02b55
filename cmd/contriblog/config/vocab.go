package config

import (
	"fmt"
	"strings"

	"github.com/contriblog/contriblog/harvester"
)

// areas reads areas: a mapping of technology area to keywords (a list, or
// one string), in file order.
func (p *parser) areas(f field) []harvester.Area {
	fields, _ := p.mapping(f.val, "areas")
	var out []harvester.Area
	for _, af := range fields {
		key := sub("areas", af.key)
		name := strings.TrimSpace(af.key)
		if name == "" {
			p.errorf(af.keyNode, "areas", "an area needs a name")
			continue
		}
		if absent(af.val) {
			p.errorf(af.keyNode, key, "area %q has no keywords: give a list such as [bicep, terraform]", name)
			continue
		}
		kws, ok := p.strList(af.val, key)
		if !ok {
			continue
		}
		if len(kws) == 0 {
			p.errorf(af.val, key, "area %q has no keywords: give a list such as [bicep, terraform]", name)
			continue
		}
		out = append(out, harvester.Area{Name: name, Keywords: kws})
	}
	return out
}

// activityTypeKeys are the keys of one activity_types entry.
var activityTypeKeys = []string{"name", "family", "role"}

// activityTypes reads activity_types: a list of {name, family, role}.
func (p *parser) activityTypes(f field) []harvester.ActivityType {
	items, _ := p.list(f.val, "activity_types")
	families := harvester.NewVocabulary(nil).Families()
	seen := map[string]int{} // lower-cased name -> line
	var out []harvester.ActivityType
	for i, it := range items {
		path := index("activity_types", i)
		fields, ok := p.mapping(it, path)
		if !ok {
			continue
		}
		var t harvester.ActivityType
		for _, kf := range fields {
			key := sub(path, kf.key)
			var s scalar
			switch kf.key {
			case "name":
				s, _ = p.str(kf.val, key)
				t.Name = s.value
			case "family":
				s, _ = p.str(kf.val, key)
				t.Family = strings.ToLower(s.value)
				if t.Family != "" && !contains(families, t.Family) {
					p.warnf(kf.val, key, "family %q is new: items of this type merge only with types of the same family (known families: %s)", t.Family, strings.Join(families, ", "))
				}
			case "role":
				s, _ = p.str(kf.val, key)
				t.Role = s.value
			default:
				p.unknownKey(kf, path, activityTypeKeys)
			}
		}
		if t.Name == "" {
			p.errorf(it, sub(path, "name"), "an activity type needs a name")
			continue
		}
		if t.Family == "" {
			p.errorf(it, sub(path, "family"), "activity type %q needs a family (one of %s, or a new one)", t.Name, strings.Join(families, ", "))
		}
		if line, dup := seen[strings.ToLower(t.Name)]; dup {
			p.errorf(it, sub(path, "name"), "activity type %q is listed twice (first at line %d)", t.Name, line)
			continue
		}
		seen[strings.ToLower(t.Name)] = it.Line
		out = append(out, t)
	}
	return out
}

// unknownKey reports a key that is not one of valid, suggesting the
// closest valid key when there is one.
func (p *parser) unknownKey(f field, path string, valid []string) {
	msg := fmt.Sprintf("unknown key %q", f.key)
	if s := closest(f.key, valid); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	} else {
		msg += "; valid keys here: " + strings.Join(valid, ", ")
	}
	p.errorf(f.keyNode, sub(path, f.key), "%s", msg)
}

// closest returns the entry of valid nearest to s by edit distance, if it
// is near enough to be a typo.
func closest(s string, valid []string) string {
	best, bestD := "", 3
	for _, v := range valid {
		if d := distance(strings.ToLower(s), v); d < bestD && d <= len(v)/2 {
			best, bestD = v, d
		}
	}
	return best
}

// distance is the Levenshtein distance between a and b, in bytes. Long
// strings are not compared: they are no typo of a key.
func distance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 3
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
