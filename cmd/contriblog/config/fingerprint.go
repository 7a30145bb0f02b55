package config

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"

	"github.com/contriblog/contriblog/sources/spec"
)

// Fingerprint identifies what the source harvests: its type, person,
// activity, match terms, timezone and every key of its type but a Secret
// one (a token is never part of it, not even hashed). The harvester reads
// a source in full when its fingerprint is not the one its stored
// validators were read with (docs/configuration.md#a-config-change-takes-effect).
//
// It leaves out what does not change what is read: name, schedule,
// enabled, areas and priority (the log applies the last two), and the
// harvest window's since, which the harvester compares on its own (a
// window that grows backwards is read in full; one that shrinks, as the
// default does day by day, is not).
//
// It is a truncated SHA-256 of those values: a URL key may hold a secret
// (a private calendar address), which the fingerprint does not reveal.
func (s Source) Fingerprint() string {
	tz := ""
	if s.Timezone != nil {
		tz = s.Timezone.String()
	}
	match := slices.Clone(s.Match)
	slices.Sort(match) // the order of the terms changes nothing
	fields := []any{"contriblog source config v1", s.Type, s.Person, s.Activity, match, tz}
	if s.Spec != nil {
		for _, k := range s.Spec.Keys {
			if k.Kind == spec.Secret {
				continue
			}
			v, ok := s.Values[k.Name]
			if !ok {
				continue
			}
			fields = append(fields, k.Name, v)
		}
	}
	b, err := json.Marshal(fields)
	if err != nil {
		// Values hold strings, int64s and durations: never an error.
		// Should one come, no fingerprint: the source is compared by its
		// window only.
		return ""
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}
