package ics

import (
	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/sources/spec"
)

// Spec describes the ics source type to the config and the wiring.
var Spec = spec.Type{
	Name:       "ics",
	Keys:       []spec.Key{{Name: "url", Kind: spec.URL, Required: true}, spec.MaxBytes},
	Activity:   harvester.TypeThirdParty,
	ListingKey: "url",
	Build: func(s spec.Settings) (harvester.Source, error) {
		return New(Config{Name: s.Name, URL: s.Values.String("url"), Person: s.Person, Activity: s.Activity,
			Match: s.Match, Since: s.Since, Timezone: s.Timezone, MaxBytes: s.Values.Size("max_bytes"),
			Client: s.Client, Logger: s.Logger, Now: s.Now}), nil
	},
}
