package stackexchange

import (
	"errors"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/sources/spec"
)

// Spec describes the stackexchange source type to the config and the
// wiring.
var Spec = spec.Type{
	Name: "stackexchange",
	Keys: []spec.Key{
		{Name: "site", Kind: spec.String, Default: DefaultSite, Check: CheckSite},
		{Name: "user", Kind: spec.String, Required: true, Check: checkUser},
		{Name: "key", Kind: spec.Secret, SentTo: "base_url"},
		{Name: "base_url", Kind: spec.URL, Default: DefaultBaseURL},
		{Name: "group", Kind: spec.String, Default: GroupMonth, Check: checkGroup},
		{Name: "max_wait", Kind: spec.Duration, Default: DefaultMaxWait},
		spec.MaxBytes,
	},
	Activity: harvester.TypeOnlineSupport,
	Build: func(s spec.Settings) (harvester.Source, error) {
		return New(Config{Name: s.Name, Person: s.Person, Activity: s.Activity,
			Site: s.Values.String("site"), User: s.Values.String("user"), Key: s.Values.String("key"),
			BaseURL: s.Values.String("base_url"), Group: s.Values.String("group"), Since: s.Since,
			Location: s.Timezone, MaxWait: s.Values.Duration("max_wait"), MaxBytes: s.Values.Size("max_bytes"),
			Client: s.Client, Logger: s.Logger, Now: s.Now})
	},
}

func checkUser(v string) error {
	_, err := ParseUser(v)
	return err
}

func checkGroup(v string) error {
	if v != GroupAnswer && v != GroupMonth {
		return errors.New("group is answer (a row per answer) or month (a row per calendar month)")
	}
	return nil
}
