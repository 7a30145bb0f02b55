package memstore

import (
	"context"
	"fmt"
	"sort"

	"github.com/contriblog/contriblog/harvester"
)

// Submissions returns copies of the records, ordered by program and id.
func (s *Store) Submissions(ctx context.Context) ([]harvester.Submission, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.read(ctx); err != nil {
		return nil, err
	}
	out := make([]harvester.Submission, 0, len(s.subs))
	for _, r := range s.subs {
		c, err := clone(r)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Program != out[j].Program {
			return out[i].Program < out[j].Program
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// SaveSubmissions stores copies of subs, all or none.
func (s *Store) SaveSubmissions(ctx context.Context, subs []harvester.Submission) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	copies := make([]harvester.Submission, len(subs))
	for i := range subs {
		if err := subs[i].Check(); err != nil {
			return fmt.Errorf("save submission: %w", err)
		}
		c, err := clone(subs[i])
		if err != nil {
			return fmt.Errorf("save submission %s/%s: encode: %w", subs[i].Program, subs[i].ID, err)
		}
		copies[i] = c
	}
	for _, c := range copies {
		s.subs[c.Program+"\x00"+c.ID] = c
	}
	return nil
}

// DeleteSubmissions removes program's records of ids.
func (s *Store) DeleteSubmissions(ctx context.Context, program string, ids []string) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		k := program + "\x00" + id
		if _, ok := s.subs[k]; ok {
			delete(s.subs, k)
			n++
		}
	}
	return n, nil
}
