package harvester

import (
	"fmt"
	"sort"
	"strings"
)

// Activity families group activity types whose items can be the same work
// seen in two places (docs/deduplication.md#rule-3-same-work-same-time).
const (
	FamilyWriting   = "writing"
	FamilyMedia     = "media" // video and audio
	FamilySpeaking  = "speaking"
	FamilyCode      = "code"
	FamilyBook      = "book"
	FamilySupport   = "support"
	FamilyMentoring = "mentoring"
)

// Names of the default activity types (docs/log.md#activity-types).
const (
	TypeBlog          = "Blog"
	TypeArticle       = "Article"
	TypeBook          = "Book/E-book"
	TypePodcast       = "Podcast"
	TypeVideo         = "Webinar/Online Training/Video/Livestream"
	TypeThirdParty    = "Speaker/Presenter at Third-party Event"
	TypeMicrosoft     = "Speaker/Presenter at Microsoft Event"
	TypeOpenSource    = "Open Source/Project/Sample code/Tools"
	TypeOnlineSupport = "Online Support"
	TypeMentorship    = "Mentorship/Coaching"
	TypeUserGroup     = "User Group Owner"
)

// ActivityType is one entry of the activity vocabulary: its name as the
// nomination form spells it, its family and the role its items get unless
// a source or a person says otherwise.
type ActivityType struct {
	Name   string `json:"name"`
	Family string `json:"family"`
	Role   string `json:"role"`
}

// DefaultActivityTypes returns the contract's vocabulary, in the order the
// contract lists it.
func DefaultActivityTypes() []ActivityType {
	return []ActivityType{
		{TypeBlog, FamilyWriting, "Author"},
		{TypeArticle, FamilyWriting, "Author"},
		{TypeBook, FamilyBook, "Author"},
		{TypePodcast, FamilyMedia, "Speaker"},
		{TypeVideo, FamilyMedia, "Presenter"},
		{TypeThirdParty, FamilySpeaking, "Speaker"},
		{TypeMicrosoft, FamilySpeaking, "Speaker"},
		{TypeOpenSource, FamilyCode, "Contributor"},
		{TypeOnlineSupport, FamilySupport, "Contributor"},
		{TypeMentorship, FamilyMentoring, "Mentor"},
		{TypeUserGroup, FamilySpeaking, "Organizer"},
	}
}

// Vocabulary is the set of known activity types: the defaults plus what
// the config's activity_types adds or renames. The zero value is not
// usable; build one with NewVocabulary.
type Vocabulary struct {
	types  []ActivityType
	byName map[string]int // lower-cased name -> index
}

// NewVocabulary returns the default types with extra applied in order: an
// extra type whose name matches a default (case-insensitively) replaces
// it, any other is added.
func NewVocabulary(extra []ActivityType) *Vocabulary {
	v := &Vocabulary{byName: map[string]int{}}
	for _, t := range append(DefaultActivityTypes(), extra...) {
		k := strings.ToLower(t.Name)
		if i, ok := v.byName[k]; ok {
			v.types[i] = t
			continue
		}
		v.byName[k] = len(v.types)
		v.types = append(v.types, t)
	}
	return v
}

// Lookup finds a type by name, case-insensitively.
func (v *Vocabulary) Lookup(name string) (ActivityType, bool) {
	i, ok := v.byName[strings.ToLower(strings.TrimSpace(name))]
	if !ok {
		return ActivityType{}, false
	}
	return v.types[i], true
}

// Resolve returns the vocabulary's spelling of name, or an error that lists
// every known type.
func (v *Vocabulary) Resolve(name string) (string, error) {
	if t, ok := v.Lookup(name); ok {
		return t.Name, nil
	}
	return "", fmt.Errorf("unknown activity type %q; known types: %s", name, strings.Join(v.Names(), ", "))
}

// Names lists the known types in vocabulary order.
func (v *Vocabulary) Names() []string {
	names := make([]string, len(v.types))
	for i, t := range v.types {
		names[i] = t.Name
	}
	return names
}

// Family returns the family of the named type; an unknown type is a family
// of its own so that it never merges with anything else by rule 3.
func (v *Vocabulary) Family(name string) string {
	if t, ok := v.Lookup(name); ok && t.Family != "" {
		return t.Family
	}
	return "type:" + strings.ToLower(name)
}

// Role returns the default role of the named type, or "" when unknown.
func (v *Vocabulary) Role(name string) string {
	t, _ := v.Lookup(name)
	return t.Role
}

// Families lists the distinct families, sorted.
func (v *Vocabulary) Families() []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range v.types {
		if !seen[t.Family] {
			seen[t.Family] = true
			out = append(out, t.Family)
		}
	}
	sort.Strings(out)
	return out
}

func equalFold(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}
