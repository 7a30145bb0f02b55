package memstore

import (
	"context"
	"errors"
)

// ForgetSource removes the source's observations, their metric points,
// and its state as the bbolt
// store does.
func (s *Store) ForgetSource(ctx context.Context, name string) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if name == "" {
		return 0, errors.New("forget source: no source name")
	}
	n := 0
	for k, o := range s.Obs {
		if o.Source == name {
			delete(s.Obs, k)
			delete(s.history, k)
			n++
		}
	}
	delete(s.States, name)
	if n > 0 {
		s.rev++
	}
	return n, nil
}
