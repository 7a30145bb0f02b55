package config

import (
	"path/filepath"
	"strings"
	"time"

	"github.com/contriblog/contriblog/sources/yamldoc"

	"go.yaml.in/yaml/v3"

	"github.com/contriblog/contriblog/harvester"
)

// topKeys are the keys of the config's top level, in contract order.
var topKeys = []string{"person", "database", "since", "timezone", "schedule", "export",
	"backup", "listen", "listen_token", "areas", "activity_types", "program", "programs", "sources"}

// config reads the top level into cfg. Keys are read in dependency order
// (timezone before since, activity_types before sources), not file order;
// problems are sorted by line afterwards.
func (p *parser) config(root *yaml.Node, cfg *Config) {
	fields, ok := p.mapping(root, "")
	if !ok {
		return
	}
	top := map[string]field{}
	for _, f := range fields {
		if strings.HasPrefix(f.Key, "x-") {
			continue // an extension key, as in Compose files: a home for YAML anchors
		}
		if !contains(topKeys, f.Key) {
			p.unknownKey(f, "", topKeys)
			continue
		}
		if !yamldoc.Absent(f.Val) {
			top[f.Key] = f
		} else if f.Key == "listen_token" {
			// An empty token is a mistake, not a wish for none: it must
			// not leave a listener open that the file meant to protect.
			p.errorf(f.Val, f.Key, "the token is empty: write listen_token: ${VAR} and set VAR to a bearer token, or remove the key")
		}
	}
	if f, ok := top["person"]; ok {
		s, _ := p.str(f.Val, "person")
		cfg.Person = s.value
	}
	p.timezone(top, cfg)
	p.since(top, cfg)
	p.database(top, cfg)
	cfg.Schedule = DefaultSchedule
	if f, ok := top["schedule"]; ok {
		cfg.Schedule, _ = p.schedule(f, "schedule")
	}
	cfg.Export = Export{Format: DefaultFormat}
	if f, ok := top["export"]; ok {
		cfg.Export = p.export(f, cfg.Dir)
	}
	p.backup(top, cfg)
	p.listenKeys(top, cfg)
	if f, ok := top["areas"]; ok {
		cfg.Areas = p.areas(f)
	}
	p.programs(top, cfg)
	if f, ok := top["activity_types"]; ok {
		cfg.ActivityTypes = p.activityTypes(f)
	}
	cfg.Vocabulary = harvester.NewVocabulary(cfg.ActivityTypes)
	if f, ok := top["sources"]; ok {
		cfg.Sources = p.sources(f, cfg)
	} else {
		p.warnf(nil, "sources", "no sources are configured: harvest will find nothing")
	}
	p.personWarning(root, cfg)
}

func (p *parser) timezone(top map[string]field, cfg *Config) {
	cfg.Timezone, cfg.TimezoneName = time.Local, time.Local.String()
	if f, ok := top["timezone"]; ok {
		if loc, name, ok := p.location(f, "timezone"); ok {
			cfg.Timezone, cfg.TimezoneName = loc, name
		}
	}
}

// since reads the harvest window's start; by default midnight twelve
// months before now, in the config's time zone.
func (p *parser) since(top map[string]field, cfg *Config) {
	now := p.now.In(cfg.Timezone)
	cfg.Since = time.Date(now.Year()-1, now.Month(), now.Day(), 0, 0, 0, 0, cfg.Timezone)
	f, ok := top["since"]
	if !ok {
		return
	}
	s, ok := p.str(f.Val, "since")
	if !ok {
		return
	}
	t, err := time.ParseInLocation(harvester.DateLayout, s.value, cfg.Timezone)
	if err != nil {
		if why := yamldoc.NoSuchDay(s.value); why != "" {
			p.errorf(f.Val, "since", "%s", why)
			return
		}
		p.errorf(f.Val, "since", "expected a date as YYYY-MM-DD, got %s", s.show())
		return
	}
	cfg.Since = t
}

func (p *parser) database(top map[string]field, cfg *Config) {
	if f, ok := top["database"]; ok {
		cfg.Database, _ = p.path(f, "database", cfg.Dir)
		return
	}
	db, err := defaultDatabase(p.getenv)
	if err != nil {
		p.errorf(nil, "database", "no default location (%s): set database: in the config", err.Error())
		return
	}
	cfg.Database = db
}

// path reads a file path: ~/ is the home directory, and a relative path
// is relative to dir (the config file's directory).
func (p *parser) path(f field, key, dir string) (string, bool) {
	s, ok := p.str(f.Val, key)
	if !ok {
		return "", false
	}
	v := s.value
	if v == "~" || strings.HasPrefix(v, "~/") || strings.HasPrefix(v, `~\`) {
		home := homeDir(p.getenv)
		if home == "" {
			p.errorf(f.Val, key, "cannot expand ~: no home directory is known")
			return "", false
		}
		v = filepath.Join(home, v[1:])
	}
	if !filepath.IsAbs(v) {
		v = filepath.Join(dir, v)
	}
	return filepath.Clean(v), true
}

// exportFormats are the formats of export.format; "markdown" is read as md.
var exportFormats = []string{"csv", "json", "md"}

// export reads export: {path, format, excel}. Without a format, the
// path's extension chooses one (.json, .md), else csv. excel is for CSV
// only: with another format it is ignored, with a warning.
func (p *parser) export(f field, dir string) Export {
	e := Export{}
	fields, _ := p.mapping(f.Val, "export")
	var excel *yaml.Node
	for _, kf := range fields {
		key := yamldoc.Sub("export", kf.Key)
		switch kf.Key {
		case "path":
			e.Path, _ = p.path(kf, key, dir)
		case "format":
			s, ok := p.str(kf.Val, key)
			v := strings.ToLower(s.value)
			if v == "markdown" {
				v = "md"
			}
			if ok && !contains(exportFormats, v) {
				p.errorf(kf.Val, key, "expected one of csv, json, md, got %s", s.show())
			} else if ok {
				e.Format = v
			}
		case "excel":
			e.Excel, _ = p.boolean(kf.Val, key)
			excel = kf.Val
		default:
			p.unknownKey(kf, "export", []string{"path", "format", "excel"})
		}
	}
	if e.Format == "" {
		e.Format = FormatOf(e.Path)
	}
	if e.Excel && e.Format != "csv" {
		p.warnf(excel, "export.excel", "ignored: a byte-order mark is for CSV only, and export.format is %s", e.Format)
		e.Excel = false
	}
	return e
}

// FormatOf is the export format a file's extension names: json for .json,
// md for .md and .markdown, else DefaultFormat (csv).
func FormatOf(path string) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".json":
		return "json"
	case ".md", ".markdown":
		return "md"
	}
	return DefaultFormat
}

// listenKeys reads listen and listen_token: a listen address that other
// machines can reach must have a token.
func (p *parser) listenKeys(top map[string]field, cfg *Config) {
	f, hasListen := top["listen"]
	tf, hasToken := top["listen_token"]
	if hasToken {
		if s, ok := p.secret(tf, "listen_token"); ok {
			cfg.ListenToken = s
		}
	}
	if !hasListen {
		if hasToken {
			p.warnf(tf.KeyNode, "listen_token", "listen_token is set but listen is not: nothing will be served")
		}
		return
	}
	addr, loopback, ok := p.listen(f, "listen")
	if !ok {
		return
	}
	cfg.Listen = addr
	if !loopback && !hasToken {
		p.errorf(f.Val, "listen", "%s can be reached from other machines: set listen_token: ${VAR} (a bearer token) too, or listen on 127.0.0.1", strings.TrimSpace(addr))
	}
}

// secret reads a token. A token written in the file rather than taken
// from ${VAR} is a warning; its value never appears in any message.
func (p *parser) secret(f field, key string) (string, bool) {
	s, ok := p.scalar(f.Val, key, "a string")
	if !ok {
		return "", false
	}
	v := strings.TrimSpace(s.value)
	if v == "" {
		p.errorf(f.Val, key, "the token is empty")
		return "", false
	}
	if strings.IndexFunc(v, func(r rune) bool { return r <= ' ' || r == 0x7f }) >= 0 {
		p.errorf(f.Val, key, "the token contains white space or control characters (its value is not shown)")
		return "", false
	}
	if !s.fromEnv {
		p.warnf(f.Val, key, "the token is written in the config file; write %s: ${VAR} and set the environment variable VAR, so the secret stays out of the file", f.Key)
	}
	return v, true
}

// personWarning notes sources that end up with no person: their rows
// would have an empty Person column. A type whose entries may carry their
// own (a file source) is left out.
func (p *parser) personWarning(root *yaml.Node, cfg *Config) {
	if cfg.Person != "" {
		return
	}
	for _, s := range cfg.Sources {
		if s.Person == "" && s.Spec != nil && !s.Spec.PersonInEntries {
			p.warnf(root, "person", "person is not set: the Person column will be empty for source %s and any other without person:", s.Name)
			return
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
