package config

import (
	"fmt"
	"strings"

	"github.com/contriblog/contriblog/sources/yamldoc"

	"github.com/contriblog/contriblog/harvester"
)

// areas reads areas: a mapping of technology area to keywords (a list, or
// one string), in file order.
func (p *parser) areas(f field) []harvester.Area {
	fields, _ := p.mapping(f.Val, "areas")
	var out []harvester.Area
	for _, af := range fields {
		key := yamldoc.Sub("areas", af.Key)
		name := strings.TrimSpace(af.Key)
		if name == "" {
			p.errorf(af.KeyNode, "areas", "an area needs a name")
			continue
		}
		if yamldoc.Absent(af.Val) {
			p.errorf(af.KeyNode, key, "area %q has no keywords: give a list such as [bicep, terraform]", name)
			continue
		}
		kws, ok := p.strList(af.Val, key)
		if !ok {
			continue
		}
		if len(kws) == 0 {
			p.errorf(af.Val, key, "area %q has no keywords: give a list such as [bicep, terraform]", name)
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
	items, _ := p.list(f.Val, "activity_types")
	families := harvester.NewVocabulary(nil).Families()
	seen := map[string]int{} // lower-cased name -> line
	var out []harvester.ActivityType
	for i, it := range items {
		path := yamldoc.Index("activity_types", i)
		fields, ok := p.mapping(it, path)
		if !ok {
			continue
		}
		var t harvester.ActivityType
		for _, kf := range fields {
			key := yamldoc.Sub(path, kf.Key)
			var s scalar
			switch kf.Key {
			case "name":
				s, _ = p.str(kf.Val, key)
				t.Name = s.value
			case "family":
				s, _ = p.str(kf.Val, key)
				t.Family = strings.ToLower(s.value)
				if t.Family != "" && !contains(families, t.Family) {
					p.warnf(kf.Val, key, "family %q is new: items of this type merge only with types of the same family (known families: %s)", t.Family, strings.Join(families, ", "))
				}
			case "role":
				s, _ = p.str(kf.Val, key)
				t.Role = s.value
			default:
				p.unknownKey(kf, path, activityTypeKeys)
			}
		}
		if t.Name == "" {
			p.errorf(it, yamldoc.Sub(path, "name"), "an activity type needs a name")
			continue
		}
		if t.Family == "" {
			p.errorf(it, yamldoc.Sub(path, "family"), "activity type %q needs a family (one of %s, or a new one)", t.Name, strings.Join(families, ", "))
		}
		if line, dup := seen[strings.ToLower(t.Name)]; dup {
			p.errorf(it, yamldoc.Sub(path, "name"), "activity type %q is listed twice (first at line %d)", t.Name, line)
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
	msg := fmt.Sprintf("unknown key %q", f.Key)
	if s := harvester.SuggestName(f.Key, valid); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	} else {
		msg += "; valid keys here: " + strings.Join(valid, ", ")
	}
	p.errorf(f.KeyNode, yamldoc.Sub(path, f.Key), "%s", msg)
}
