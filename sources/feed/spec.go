package feed

import (
	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/sources/spec"
)

// Spec describes the feed source type to the config and the wiring.
var Spec = spec.Type{
	Name:     "feed",
	Keys:     []spec.Key{{Name: "url", Kind: spec.URL, Required: true}, spec.MaxBytes},
	Activity: harvester.TypeBlog,
	Build: func(s spec.Settings) (harvester.Source, error) {
		return New(Config{Name: s.Name, URL: s.Values.String("url"), Person: s.Person, Activity: s.Activity,
			Match: s.Match, Since: s.Since, MaxBytes: s.Values.Size("max_bytes"), Client: s.Client, Logger: s.Logger}), nil
	},
}
