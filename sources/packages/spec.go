package packages

import (
	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/sources/spec"
)

// Spec describes the packages source type to the config and the wiring.
var Spec = spec.Type{
	Name: "packages",
	Keys: []spec.Key{
		{Name: "npm", Kind: spec.List, Check: CheckNPMName},
		{Name: "nuget", Kind: spec.List, Check: CheckNuGetID},
		{Name: "npm_base_url", Kind: spec.URL, Default: DefaultNPMBaseURL},
		{Name: "npm_registry_url", Kind: spec.URL, Default: DefaultNPMRegistryURL},
		{Name: "nuget_base_url", Kind: spec.URL, Default: DefaultNuGetBaseURL},
		spec.MaxBytes,
	},
	Activity: harvester.TypeOpenSource,
	Build: func(s spec.Settings) (harvester.Source, error) {
		return New(Config{Name: s.Name, Person: s.Person, Activity: s.Activity,
			NPM: s.Values.List("npm"), NuGet: s.Values.List("nuget"),
			NPMBaseURL: s.Values.String("npm_base_url"), NPMRegistryURL: s.Values.String("npm_registry_url"),
			NuGetBaseURL: s.Values.String("nuget_base_url"), Since: s.Since, Now: s.Now, Location: s.Timezone,
			MaxBytes: s.Values.Size("max_bytes"), Client: s.Client, Logger: s.Logger})
	},
}
