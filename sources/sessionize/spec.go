package sessionize

import (
	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/sources/spec"
)

// Spec describes the sessionize source type to the config and the wiring.
var Spec = spec.Type{
	Name: "sessionize",
	Keys: []spec.Key{{Name: "url", Kind: spec.URL, Required: true}, {Name: "speaker", Kind: spec.String, Required: true},
		{Name: "event", Kind: spec.String}, spec.MaxBytes},
	Activity:   harvester.TypeThirdParty,
	ListingKey: "url",
	Build: func(s spec.Settings) (harvester.Source, error) {
		return New(Config{Name: s.Name, URL: s.Values.String("url"), Person: s.Person, Activity: s.Activity,
			Speaker: s.Values.String("speaker"), Event: s.Values.String("event"), Since: s.Since, Timezone: s.Timezone,
			MaxBytes: s.Values.Size("max_bytes"), Client: s.Client, Logger: s.Logger}), nil
	},
}
