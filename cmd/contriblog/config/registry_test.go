package config

import "testing"

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
