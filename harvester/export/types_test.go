package export

import (
	"errors"
	"strings"
	"testing"

	"github.com/contriblog/contriblog/harvester"
)

// A filter's type is a full name or the table's label, in any case; any
// other name is an error that suggests the nearest labels.
func TestResolveType(t *testing.T) {
	vocab := harvester.NewVocabulary([]harvester.ActivityType{{Name: "Conference keynote", Family: harvester.FamilySpeaking}})
	tests := []struct{ in, want, err string }{
		{"", "", ""},
		{"Talk", harvester.TypeThirdParty, ""},
		{"talk", harvester.TypeThirdParty, ""},
		{"TALK (ms)", harvester.TypeMicrosoft, ""},
		{"OSS", harvester.TypeOpenSource, ""},
		{"mentoring", harvester.TypeMentorship, ""},
		{"User group", harvester.TypeUserGroup, ""},
		{" Blog ", harvester.TypeBlog, ""},
		{"speaker/presenter at third-party event", harvester.TypeThirdParty, ""},
		{"Book/E-book", harvester.TypeBook, ""},
		{"book", harvester.TypeBook, ""},
		{"conference KEYNOTE", "Conference keynote", ""},
		{"Tlak", "", `unknown activity type "Tlak"; did you mean "Talk"?`},
		{"mentor", "", `unknown activity type "mentor"; did you mean "Mentoring"?`},
		{"Podcats", "", `did you mean "Podcast"?`},
		{"Keynote", "", `unknown activity type "Keynote"; types: Blog, Article, Book, Podcast, Video, Talk, Talk (MS), OSS, Support, Mentoring, User group, Conference keynote (or a type's full name`},
	}
	for _, tt := range tests {
		got, err := ResolveType(vocab, tt.in)
		if tt.err == "" {
			if err != nil || got != tt.want {
				t.Errorf("ResolveType(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.err) || !errors.Is(err, ErrUnknownType) {
			t.Errorf("ResolveType(%q) = %q, %v; want an error with %q", tt.in, got, err, tt.err)
		}
	}
}
