// Package spec describes a type of source: its name in the config, the
// config keys it takes with their kinds and defaults, its default
// activity, and how to build it. Each source package exports one Type
// (feed.Spec, github.Spec, ...); the config reads, checks and defaults a
// source's keys from it, and the wiring builds the source with it, so
// adding a source type is one package and one line in the list of types
// (cmd/contriblog/config/registry.go). The model is Prometheus'
// discovery/registry.go.
//
// It is a package of its own, not a file of package harvester, because a
// source is built with the shared *fetch.Client, which harvester may not
// name (harvester imports no adapter); it sits beside the sources it
// describes and imports only harvester and fetch.
package spec

import (
	"fmt"
	"log/slog"
	"regexp"
	"time"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/sources/fetch"
)

// Type describes one type of source.
type Type struct {
	// Name is the value of a source's type: key, lowercase.
	Name string
	// Keys are the keys this type takes besides the ones every source
	// takes (name, type, person, schedule, enabled, activity, match,
	// areas, timezone, priority, target_audience), in the order messages
	// list them.
	Keys []Key
	// Activity is the activity type of a source that names none, as the
	// default vocabulary spells it; "" for none.
	Activity string
	// ListingKey names the URL key that is a listing — a calendar, an
	// event's list of sessions — rather than any item's page: that URL is
	// never a contribution's link, whatever source names it; "" for none.
	ListingKey string
	// PersonInEntries says that the source's items name their own person,
	// so a config without person: is no cause for a warning.
	PersonInEntries bool
	// Build makes the source from its settings. It is called once per
	// source per command; an error is a mistake in the config.
	Build func(Settings) (harvester.Source, error)
}

// Key is one config key of a source type.
type Key struct {
	Name     string
	Kind     Kind
	Required bool
	// Default is the value when the key is absent, of Kind's Go type
	// (string, int64 for Size, time.Duration for Duration); nil leaves
	// the key out of Values.
	Default any
	// Check, for a String key, says what is wrong with a value, and for
	// a List key with each entry: the config reports "<error>: <value>".
	Check func(string) error
	// SentTo, for a Secret key, names the URL key the secret is sent to,
	// so that the config can warn when that URL is plain http:// to
	// another machine (fetch refuses to send a secret there).
	SentTo string
}

// Kind is how the config reads a key's value.
type Kind int

// The kinds of value, and the Go type each is decoded to.
const (
	String   Kind = iota + 1 // string, trimmed, not empty
	URL                      // string: an absolute http(s) URL
	Path                     // string: absolute; ~/ and relative to the config's directory
	Secret                   // string: a token, best written as ${VAR}; never shown
	Size                     // int64: a byte count such as 16MiB
	Duration                 // time.Duration: such as 5m
	List                     // []string: a list of strings (or one string), none empty
)

// MaxBytes is the max_bytes key of a source fetched over HTTP: the most
// a response may hold, default fetch.DefaultMaxBytes.
var MaxBytes = Key{Name: "max_bytes", Kind: Size, Default: int64(fetch.DefaultMaxBytes)}

// Settings are what Build gets: the keys every source takes, this type's
// Values, and what the whole program shares.
type Settings struct {
	Name, Person string
	Activity     string // resolved against the vocabulary
	Match        []string
	Timezone     *time.Location
	Values       Values // this type's keys, defaults applied

	Since      time.Time // start of the harvest window
	Vocabulary *harvester.Vocabulary
	Client     *fetch.Client // shared by every source: the per-host limit holds across them
	Logger     *slog.Logger  // already With("source", Name)
	Now        func() time.Time
}

// Values are a source's type-specific keys, decoded: key name to a value
// of the key's Kind's Go type. Absent keys without a default are missing.
type Values map[string]any

// String returns a String, URL, Path or Secret value; "" when absent.
func (v Values) String(key string) string { s, _ := v[key].(string); return s }

// Size returns a Size value; 0 when absent.
func (v Values) Size(key string) int64 { n, _ := v[key].(int64); return n }

// Duration returns a Duration value; 0 when absent.
func (v Values) Duration(key string) time.Duration { d, _ := v[key].(time.Duration); return d }

// List returns a List value; nil when absent.
func (v Values) List(key string) []string { l, _ := v[key].([]string); return l }

// Key returns the key named name and whether t takes it.
func (t *Type) Key(name string) (Key, bool) {
	for _, k := range t.Keys {
		if k.Name == name {
			return k, true
		}
	}
	return Key{}, false
}

// KeyNames lists the names of t's keys in order.
func (t *Type) KeyNames() []string {
	out := make([]string, len(t.Keys))
	for i, k := range t.Keys {
		out[i] = k.Name
	}
	return out
}

var nameRe = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// Check reports what is wrong with the description itself: a bad name, a
// key twice, a default of the wrong Go type, a Check on a key that is not
// a String or a List, a SentTo or ListingKey that names no URL key, no Build. The
// config's tests run it over every registered type.
func (t *Type) Check() error {
	if !nameRe.MatchString(t.Name) {
		return fmt.Errorf("source type %q: the name is lowercase letters, digits and _", t.Name)
	}
	if t.Build == nil {
		return fmt.Errorf("source type %s: no Build", t.Name)
	}
	seen := map[string]bool{}
	for _, k := range t.Keys {
		if err := t.checkKey(k, seen); err != nil {
			return fmt.Errorf("source type %s: key %q: %w", t.Name, k.Name, err)
		}
	}
	if k, ok := t.Key(t.ListingKey); t.ListingKey != "" && (!ok || k.Kind != URL) {
		return fmt.Errorf("source type %s: ListingKey %q is not a URL key", t.Name, t.ListingKey)
	}
	return nil
}

func (t *Type) checkKey(k Key, seen map[string]bool) error {
	if !nameRe.MatchString(k.Name) || seen[k.Name] {
		return fmt.Errorf("a bad or repeated name")
	}
	seen[k.Name] = true
	ok := k.Default == nil
	switch k.Kind {
	case String, URL, Path, Secret:
		_, is := k.Default.(string)
		ok = ok || is
	case Size:
		_, is := k.Default.(int64)
		ok = ok || is
	case Duration:
		_, is := k.Default.(time.Duration)
		ok = ok || is
	case List:
		_, is := k.Default.([]string)
		ok = ok || is
	default:
		return fmt.Errorf("unknown kind %d", k.Kind)
	}
	if !ok {
		return fmt.Errorf("default %#v is not of its kind's Go type", k.Default)
	}
	if k.Check != nil && k.Kind != String && k.Kind != List {
		return fmt.Errorf("Check is for String and List keys only")
	}
	if u, found := t.Key(k.SentTo); k.SentTo != "" && (k.Kind != Secret || !found || u.Kind != URL) {
		return fmt.Errorf("SentTo %q is not a URL key of a Secret", k.SentTo)
	}
	return nil
}
