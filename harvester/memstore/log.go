package memstore

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/contriblog/contriblog/harvester"
)

// StoreLog keeps a copy of log in log order. Like the bbolt store, which
// hashes the rows it was given with their positions, it finds a log
// unchanged when it is the log last given, row for row; the rows are
// compared as they are kept (a described row without its text), by their
// JSON. The stored Log is compared too, so that a test may set it by hand.
func (s *Store) StoreLog(ctx context.Context, log []harvester.Contribution, stamp string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return false, err
	}
	rows := make([]harvester.Contribution, len(log))
	for i := range log {
		row, err := clone(keptRow(log[i]))
		if err != nil {
			return false, fmt.Errorf("replace log: encode %s: %w", log[i].ID, err)
		}
		row.DescriptionOf = keptRow(log[i]).DescriptionOf
		rows[i] = row
	}
	given := fingerprint(rows)
	// The log is ordered by date, rows of one date as given.
	slices.SortStableFunc(rows, func(a, b harvester.Contribution) int { return strings.Compare(a.Date, b.Date) })
	same := (s.given == "" || s.given == given) && fingerprint(rows) == fingerprint(s.Log)
	s.stamp, s.given = stamp, given
	if same {
		return false, nil
	}
	s.Log = rows
	return true, nil
}

// keptRow is c as the bbolt store keeps it: a row whose description is
// one of its observations' keeps only the reference, any other its own
// text and no reference.
func keptRow(c harvester.Contribution) harvester.Contribution {
	if describedBy(&c) >= 0 {
		c.Description = ""
	} else {
		c.DescriptionOf = ""
	}
	return c
}

// describedBy is the position in c.Observations of the observation that
// c.DescriptionOf names, or -1.
func describedBy(c *harvester.Contribution) int {
	if c.DescriptionOf == "" {
		return -1
	}
	source, nativeID := harvester.SplitObservationKey(c.DescriptionOf)
	return slices.IndexFunc(c.Observations, func(o harvester.ObservationRef) bool {
		return o.Source == source && o.NativeID == nativeID
	})
}

// fingerprint identifies rows as kept, in their order.
func fingerprint(rows []harvester.Contribution) string {
	var b strings.Builder
	b.WriteString("log")
	for i := range rows {
		c := keptRow(rows[i])
		j, _ := json.Marshal(c) // rows that get here were encoded once
		for _, part := range []string{string(j), c.DescriptionOf} {
			b.WriteString(strconv.Itoa(len(part)) + ":" + part)
		}
	}
	return b.String()
}

// readRow returns a copy of a stored row with its description filled in
// from the observation it names, as the bbolt store reads it.
func (s *Store) readRow(c *harvester.Contribution) (harvester.Contribution, error) {
	kept := keptRow(*c)
	out, err := clone(kept)
	if err != nil {
		return harvester.Contribution{}, fmt.Errorf("row %s: %w", c.ID, err)
	}
	out.DescriptionOf = kept.DescriptionOf
	if out.DescriptionOf != "" {
		if o, ok := s.Obs[out.DescriptionOf]; ok {
			out.Description = o.Description
		} else {
			// A row set by hand, naming an observation never stored
			// (which the bbolt store would report as damage).
			out.Description = c.Description
		}
	}
	return out, nil
}

// LogState returns the log's stamp and rows and the revision.
func (s *Store) LogState(ctx context.Context) (harvester.LogState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.read(ctx); err != nil {
		return harvester.LogState{}, err
	}
	excluded, persons := harvester.LogSummary(s.Log)
	return harvester.LogState{Stamp: s.stamp, Rows: len(s.Log), Excluded: excluded, Persons: persons, Revision: s.rev}, nil
}

// ForEachContribution walks copies of the log's rows, in log order.
func (s *Store) ForEachContribution(ctx context.Context, fn func(*harvester.Contribution) error) error {
	s.mu.Lock()
	if err := s.read(ctx); err != nil {
		s.mu.Unlock()
		return err
	}
	log := make([]harvester.Contribution, len(s.Log))
	for i := range s.Log {
		row, err := s.readRow(&s.Log[i])
		if err != nil {
			s.mu.Unlock()
			return err
		}
		log[i] = row
	}
	s.mu.Unlock()
	for i := range log {
		if i%1024 == 1023 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if err := fn(&log[i]); err != nil {
			return err
		}
	}
	return nil
}

// Contribution returns a copy of the first row with id.
func (s *Store) Contribution(ctx context.Context, id string) (harvester.Contribution, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.read(ctx); err != nil {
		return harvester.Contribution{}, err
	}
	for i := range s.Log {
		if id != "" && s.Log[i].ID == id {
			return s.readRow(&s.Log[i])
		}
	}
	return harvester.Contribution{}, fmt.Errorf("contribution %q: %w", id, harvester.ErrNotFound)
}
