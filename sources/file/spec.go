package file

import (
	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/sources/spec"
)

// Spec describes the file source type to the config and the wiring. It
// has no default activity (each entry names its own) and its entries may
// name their own person.
var Spec = spec.Type{
	Name:            "file",
	Keys:            []spec.Key{{Name: "path", Kind: spec.Path, Required: true}},
	PersonInEntries: true,
	Build: func(s spec.Settings) (harvester.Source, error) {
		return New(Config{Name: s.Name, Path: s.Values.String("path"), Person: s.Person, Activity: s.Activity,
			Vocabulary: s.Vocabulary, Location: s.Timezone, Logger: s.Logger}), nil
	},
}
