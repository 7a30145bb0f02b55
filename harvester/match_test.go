package harvester

import "testing"

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"priya raman", "priya raman"},
		{"Zoë  Ångström", "zoe angstrom"},
		{"  Priya\tRaman ", "priya raman"},
		{"ÉLODIE", "elodie"},
		{"a ", "a"},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMatcher(t *testing.T) {
	tests := []struct {
		terms []string
		texts []string
		want  bool
	}{
		{nil, []string{"anything"}, true},
		{[]string{"  "}, []string{"anything"}, true},
		{[]string{"Priya Raman"}, []string{"Talk by PRIYA  RAMAN"}, true},
		{[]string{"Zoe Angstrom"}, []string{"", "with Zoë Ångström"}, true},
		{[]string{"Zoë"}, []string{"zoe"}, true},
		{[]string{"Priya"}, []string{"Marta Silva", "Joost"}, false},
		{[]string{"Priya"}, nil, false},
	}
	for _, tt := range tests {
		if got := NewMatcher(tt.terms).Match(tt.texts...); got != tt.want {
			t.Errorf("NewMatcher(%q).Match(%q) = %v, want %v", tt.terms, tt.texts, got, tt.want)
		}
	}
}

func TestHTTPURLAndJoin(t *testing.T) {
	for in, want := range map[string]string{
		" https://example.com/x ": "https://example.com/x",
		"http://example.com":      "http://example.com",
		"mailto:a@example.com":    "",
		"/relative":               "",
		"https://":                "",
		"javascript:alert(1)":     "",
	} {
		if got := HTTPURL(in); got != want {
			t.Errorf("HTTPURL(%q) = %q, want %q", in, got, want)
		}
	}
	if got := JoinNonEmpty(" — ", "a", " ", "", " b "); got != "a — b" {
		t.Errorf("JoinNonEmpty = %q", got)
	}
}

func TestEditDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"title", "titel", 1}, {"date", "data", 1}, {"zoë", "zoe", 1}, {"", "abc", 3},
		{"lsit", "list", 1}, {"exprot", "export", 1}, {"ca", "abc", 3}, {"sorce", "source", 1},
	} {
		if got := EditDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("EditDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestSuggestName(t *testing.T) {
	names := []string{"title", "date", "export", "list", "Ada Lovelace", "go"}
	for _, tt := range []struct{ in, want string }{
		{"titel", "title"}, {"colour", ""}, {"EXPROT", "export"}, {"lsit", "list"},
		{"ada lovelce", "Ada Lovelace"}, {"xy", ""}, // two edits are too many for a name of two letters
		{"", ""},
	} {
		if got := SuggestName(tt.in, names); got != tt.want {
			t.Errorf("SuggestName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
