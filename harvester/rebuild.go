package harvester

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
)

// Rebuild recomputes the contribution log from every stored observation and
// edit and stores it when it differs from the stored one. It reports
// whether the log changed and how many rows it has.
func (h *Harvester) Rebuild(ctx context.Context) (changed bool, rows int, err error) {
	return RebuildLog(ctx, h.Store, h.Log)
}

// RebuildLog is Rebuild for callers without a Harvester (the edit command).
func RebuildLog(ctx context.Context, st Store, opts LogOptions) (changed bool, rows int, err error) {
	var obs []Observation
	if err := st.ForEachObservation(ctx, func(o *Observation) error {
		obs = append(obs, *o)
		return nil
	}); err != nil {
		return false, 0, fmt.Errorf("read observations: %w", err)
	}
	edits, err := st.Edits(ctx)
	if err != nil {
		return false, 0, fmt.Errorf("read edits: %w", err)
	}
	log := BuildLog(obs, edits, opts)
	oldSum := sha256.New()
	if err := st.ForEachContribution(ctx, func(c *Contribution) error {
		return json.NewEncoder(oldSum).Encode(c)
	}); err != nil {
		return false, 0, fmt.Errorf("read log: %w", err)
	}
	newSum := sha256.New()
	enc := json.NewEncoder(newSum)
	for i := range log {
		if err := enc.Encode(&log[i]); err != nil {
			return false, 0, fmt.Errorf("hash log: %w", err)
		}
	}
	if string(oldSum.Sum(nil)) == string(newSum.Sum(nil)) {
		return false, len(log), nil
	}
	if err := st.ReplaceLog(ctx, log); err != nil {
		return false, 0, fmt.Errorf("store log: %w", err)
	}
	return true, len(log), nil
}
