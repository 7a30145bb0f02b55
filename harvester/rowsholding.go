package harvester

import (
	"context"
	"fmt"
)

// RowsHolding returns the rows of st's stored log that have the ID of, or
// hold an observation of, any of before (rows as they were before an edit), in
// log order, each once: after an edit, the rows that now hold what was
// edited — the same rows after a field edit, the merged row after a
// merge, every part after a split.
func RowsHolding(ctx context.Context, st Store, before []Contribution) ([]Contribution, error) {
	keys, ids := map[string]bool{}, map[string]bool{}
	for i := range before {
		ids[before[i].ID] = true
		for _, o := range before[i].Observations {
			keys[ObservationKey(o.Source, o.NativeID)] = true
		}
	}
	var out []Contribution
	err := st.ForEachContribution(ctx, func(c *Contribution) error {
		if ids[c.ID] {
			out = append(out, *c)
			return nil
		}
		for _, o := range c.Observations {
			if keys[ObservationKey(o.Source, o.NativeID)] {
				out = append(out, *c)
				return nil
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the log: %w", err)
	}
	return out, nil
}
