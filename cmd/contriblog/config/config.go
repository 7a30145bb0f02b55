// Package config loads and validates contriblog's YAML config file
// (docs/configuration.md): every key, every default, ${VAR} expansion, and an error
// for every problem with its file, line and key.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/contriblog/contriblog/sources/fetch"
	"github.com/contriblog/contriblog/sources/file"
	"github.com/contriblog/contriblog/sources/spec"
	"github.com/contriblog/contriblog/sources/yamldoc"

	"go.yaml.in/yaml/v3"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/program"
)

// Defaults that the config file may override.
const (
	DefaultSchedule = "@every 6h"
	DefaultFormat   = "csv"
	// DefaultBackupKeep is how many daily backups `run` keeps.
	DefaultBackupKeep = 7
	// MaxFileSize bounds the config file Load reads: a config is a few
	// kilobytes, and the cap keeps a wrong path (a log, a disk image)
	// from filling memory before the YAML parser sees a byte.
	MaxFileSize = 4 << 20
)

// Config is a loaded config file with every default applied and every
// value validated. Paths are absolute.
type Config struct {
	Path string // the file as named to Load or Parse
	Dir  string // its directory, absolute: relative paths are relative to it

	Person string
	// Database is absolute; by default $XDG_DATA_HOME/contriblog/contriblog.db
	// (or the platform's per-user data directory).
	Database string
	// Since is the start of the harvest window, midnight in Timezone; by
	// default 12 months before now.
	Since        time.Time
	Timezone     *time.Location // default time.Local
	TimezoneName string         // as written, or "Local"
	Schedule     string         // a robfig/cron spec, default DefaultSchedule
	Export       Export
	Backup       Backup
	Listen       string // host:port, or "" for none
	ListenToken  string // a secret: never log or print it

	Areas         []harvester.Area         // in file order
	ActivityTypes []harvester.ActivityType // the config's activity_types, in file order
	Vocabulary    *harvester.Vocabulary    // the defaults with ActivityTypes applied
	Sources       []Source                 // in file order

	// Program is the program (program:) that export, check and the other
	// program-aware commands use when they are not told; "" for none: the
	// general log. Programs are the built-in profiles with the config's
	// programs: applied (docs/programs.md).
	Program  string
	Programs map[string]*program.Profile
	// ProgramAPIs are the programs: entries' token and base_url, by
	// program name (contriblog submit).
	ProgramAPIs map[string]ProgramAPI

	// Secrets are the config's secrets — tokens, the secret parts of its
	// URLs, the values it took from ${VAR} — that whatever contriblog
	// prints, serves or stores passes through (fetch.Secrets.Redact).
	Secrets *fetch.Secrets

	// Warnings are problems that do not stop contriblog (a token written
	// as a literal), formatted like errors: "file:line: key: message".
	Warnings []string
}

// Export is the file `run` writes after every pass.
type Export struct {
	Path   string // absolute, or "" for none
	Format string // csv, json or md
	// Excel makes a CSV export open right in Excel by double-click: a
	// UTF-8 byte order mark and CRLF line ends (export.excel).
	Excel bool
}

// Backup is how many daily copies of the database `run` keeps, and where
// (`backup: {keep, dir}`); `contriblog backup` writes to Dir too.
type Backup struct {
	Keep int    // default DefaultBackupKeep; 0 keeps none (the daemon makes none)
	Dir  string // absolute; default "backups" beside the database file
}

// Source is one entry of `sources:` with the config's defaults applied.
type Source struct {
	Name, Type string // Type is Spec.Name: feed, github, ics, sessionize, file, ...
	Line       int    // line of the source's entry in the config file
	Person     string // defaults to Config.Person
	Schedule   string // "" means the global schedule
	Enabled    bool   // default true
	// Activity is a name from the Vocabulary, spelled as it spells it;
	// the default is Spec.Activity ("" for a file source, whose entries
	// carry their own).
	Activity string
	Match    []string
	Areas    []string
	// TargetAudience fills the Target Audience of the source's rows that
	// state none of their own (a hand-kept entry's wins).
	TargetAudience []string
	Timezone       *time.Location // defaults to Config.Timezone
	Priority       int

	// Spec describes the source's type and builds it.
	Spec *spec.Type
	// Values are the keys of Spec.Keys, decoded, with their defaults
	// (a github token among them: never log or print Values).
	Values spec.Values
	// Unset are the ${VAR}s of the source's own keys that are not set:
	// their keys are missing from Values, and the source fails when it
	// is harvested (UnsetError).
	Unset []UnsetVar
}

// Options are Load's and Parse's dependencies on the environment.
type Options struct {
	Getenv func(string) string // default os.Getenv
	Now    func() time.Time    // default time.Now
	// SourceTypes are the types a source may have; default SourceTypes.
	SourceTypes []*spec.Type
}

func (o Options) withDefaults() Options {
	if o.Getenv == nil {
		o.Getenv = os.Getenv
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.SourceTypes == nil {
		o.SourceTypes = SourceTypes
	}
	return o
}

// Load reads the config file at path and parses it as Parse does.
func Load(path string, opts Options) (*Config, error) {
	// Not os.ReadFile: the path may name /dev/zero (endless), a named
	// pipe (blocks until a writer comes) or a directory.
	data, err := file.ReadRegular(path, MaxFileSize)
	if err != nil {
		return nil, errors.Join(&Error{File: path, Msg: readMessage(err), wrapped: err})
	}
	return Parse(data, path, opts)
}

// readMessage says what is wrong with reading the config file, without
// repeating its name (the Error carries it).
func readMessage(err error) string {
	var (
		pe         *fs.PathError
		notRegular *file.NotRegularError
		tooLarge   *file.TooLargeError
	)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such config file (pass --config FILE or set $CONTRIBLOG_CONFIG)"
	case errors.As(err, &notRegular):
		return "the config file is a " + notRegular.Kind + ", not a regular file"
	case errors.As(err, &tooLarge):
		return fmt.Sprintf("the config file is larger than %d MiB, the limit for a config: is it the right file?", tooLarge.Limit>>20)
	case errors.As(err, &pe):
		return "cannot read the config file: " + pe.Err.Error()
	}
	return "cannot read the config file: " + err.Error()
}

// Parse parses and validates a config file's content; path names it in
// messages and anchors relative paths. It returns every problem found,
// joined with errors.Join, each a *Error; on error the Config is nil.
func Parse(data []byte, path string, opts Options) (*Config, error) {
	opts = opts.withDefaults()
	label := path
	if label == "" {
		label = "config"
	}
	root, yerr := document(label, data)
	if yerr != nil {
		return nil, errors.Join(yerr)
	}
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return nil, errors.Join(&Error{File: label, Msg: "cannot find the config's directory: " + err.Error(), wrapped: err})
	}
	p := &parser{problems: problems{file: label}, getenv: opts.Getenv, now: opts.Now(), types: opts.SourceTypes}
	cfg := &Config{Path: path, Dir: dir}
	p.config(root, cfg)
	if err := p.err(); err != nil {
		return nil, err
	}
	cfg.Warnings = p.warnings()
	cfg.Secrets = p.secrets(cfg)
	return cfg, nil
}

// document parses data as exactly one YAML document and returns its root.
func document(label string, data []byte) (*yaml.Node, *Error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &Error{File: label, Msg: "the config is empty: it needs at least a sources: list"}
		}
		return nil, syntaxError(label, data, err)
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, syntaxError(label, data, err)
	default:
		return nil, &Error{File: label, Line: next.Line, Msg: "more than one YAML document (---): put everything in one"}
	}
	if len(doc.Content) == 0 || yamldoc.Absent(doc.Content[0]) {
		return nil, &Error{File: label, Line: doc.Line, Msg: "the config is empty: it needs at least a sources: list"}
	}
	return doc.Content[0], nil
}

// HasSource reports whether the config has a source named name.
func (c *Config) HasSource(name string) bool {
	for _, s := range c.Sources {
		if s.Name == name {
			return true
		}
	}
	return false
}
