package config

import (
	"strings"
	"testing"
)

// TestSourceTypes: every registered source type describes itself soundly
// (spec.Type.Check) and once, under the name its sources report.
func TestSourceTypes(t *testing.T) {
	seen := map[string]bool{}
	for _, st := range SourceTypes {
		if err := st.Check(); err != nil {
			t.Error(err)
		}
		if seen[st.Name] {
			t.Errorf("source type %s is registered twice", st.Name)
		}
		seen[st.Name] = true
	}
}

// TestListingKeyChecked: a type's ListingKey must name one of its URL
// keys; the calendar and Sessionize types name theirs.
func TestListingKeyChecked(t *testing.T) {
	for _, st := range SourceTypes {
		if (st.Name == "ics" || st.Name == "sessionize") != (st.ListingKey == "url") {
			t.Errorf("source type %s: ListingKey %q", st.Name, st.ListingKey)
		}
	}
	bad := *SourceTypes[0]
	bad.ListingKey = "max_bytes"
	if err := bad.Check(); err == nil || !strings.Contains(err.Error(), `ListingKey "max_bytes" is not a URL key`) {
		t.Errorf("Check = %v", err)
	}
}
