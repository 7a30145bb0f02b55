package config

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/program"
	"github.com/contriblog/contriblog/sources/file"
	"github.com/contriblog/contriblog/sources/yamldoc"
)

// programs reads `program:` (the program commands export for and check
// against when they are not told) and `programs:` (profiles that
// override or extend the built-in ones: `mvp: {file: ./mvp-2027.yaml}`,
// or the keys of a profile written inline) into cfg.Program and
// cfg.Programs (docs/programs.md#your-own-profile). It runs after areas:,
// which it checks against the program's list.
func (p *parser) programs(top map[string]field, cfg *Config) {
	cfg.Programs = map[string]*program.Profile{}
	for _, name := range program.Names() {
		cfg.Programs[name], _ = program.Builtin(name)
	}
	if f, ok := top["programs"]; ok {
		fields, _ := p.mapping(f.Val, "programs")
		for _, pf := range fields {
			p.profile(pf, cfg)
		}
	}
	if f, ok := top["program"]; ok {
		s, _ := p.str(f.Val, "program")
		name := strings.ToLower(s.value)
		if _, ok := cfg.Programs[name]; ok {
			cfg.Program = name
		} else {
			p.errorf(f.Val, "program", "%s", UnknownProgram(name, cfg.ProgramNames()))
		}
	}
	p.checkAreas(top, cfg)
}

// profile reads one entry of programs:.
func (p *parser) profile(pf field, cfg *Config) {
	key := yamldoc.Sub("programs", pf.Key)
	name := strings.ToLower(strings.TrimSpace(pf.Key))
	base := cfg.Programs[name]
	fields, ok := p.mapping(pf.Val, key)
	if !ok {
		return
	}
	var inline bool
	for _, f := range fields {
		if f.Key == "token" || f.Key == "base_url" {
			p.programAPI(name, f, key, cfg)
			continue
		}
		if f.Key != "file" {
			inline = true
			continue
		}
		path, ok := p.path(f, yamldoc.Sub(key, "file"), cfg.Dir)
		if !ok {
			return
		}
		data, err := file.ReadRegular(path, MaxFileSize)
		if err != nil {
			p.errorf(f.Val, yamldoc.Sub(key, "file"), "%s: %s", path, readMessage(err))
			return
		}
		prof, err := program.Parse(data, path, base)
		if err != nil {
			p.profileErrors(err)
			return
		}
		base = prof
	}
	if inline {
		prof, err := program.ParseNode(profileKeys(pf.Val), p.file, key, base)
		if err != nil {
			p.profileErrors(err)
			return
		}
		base = prof
	}
	if base == nil {
		p.errorf(pf.Val, key, "program %q is not built in: give its profile (file: PATH, or its keys here)", name)
		return
	}
	if base.Name != name {
		p.errorf(pf.KeyNode, key, "the profile is named %q: list it under programs: as %q", base.Name, base.Name)
		return
	}
	cfg.Programs[name] = base
}

// ProgramAPI is how contriblog reaches a program's API (`contriblog
// submit`): the member's token and the API's base URL ("" for the
// program's own). Unset lists the ${VAR}s of its keys that are not set:
// only submit needs them (UnsetError).
type ProgramAPI struct {
	Token, BaseURL string
	Unset          []UnsetVar
}

// UnsetError is nil when the API's ${VAR}s are set; else it names them.
func (a ProgramAPI) UnsetError(file string) error {
	if len(a.Unset) == 0 {
		return nil
	}
	return &unsetError{file: file, vars: a.Unset}
}

// programAPI reads programs.NAME.token and programs.NAME.base_url.
func (p *parser) programAPI(name string, f field, key string, cfg *Config) {
	if cfg.ProgramAPIs == nil {
		cfg.ProgramAPIs = map[string]ProgramAPI{}
	}
	api := cfg.ProgramAPIs[name]
	k := yamldoc.Sub(key, f.Key)
	p.unset = &api.Unset
	defer func() { p.unset = nil }()
	switch f.Key {
	case "token":
		if yamldoc.Absent(f.Val) {
			// As listen_token: an empty token is a mistake, not a wish
			// for none.
			p.errorf(f.Val, k, "the token is empty: write token: ${VAR} and set VAR to your token, or remove the key")
			break
		}
		api.Token, _ = p.secret(f, k)
	case "base_url":
		api.BaseURL, _ = p.url(f, k)
	}
	cfg.ProgramAPIs[name] = api
}

// profileKeys is the mapping n without the keys a profile does not have
// (the config's file, token and base_url).
func profileKeys(n *yaml.Node) *yaml.Node {
	n = yamldoc.Resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return n
	}
	c := *n
	c.Content = nil
	for i := 0; i+1 < len(n.Content); i += 2 {
		switch n.Content[i].Value {
		case "file", "token", "base_url":
			continue
		}
		c.Content = append(c.Content, n.Content[i], n.Content[i+1])
	}
	return &c
}

// profileErrors records a profile's problems as the config's errors, each
// at its own file and line.
func (p *parser) profileErrors(err error) {
	var list interface{ Unwrap() []error }
	errs := []error{err}
	if errors.As(err, &list) {
		errs = list.Unwrap()
	}
	for _, e := range errs {
		var pe *program.Problem
		if errors.As(e, &pe) {
			p.errs = append(p.errs, &Error{File: pe.File, Line: pe.Line, Key: pe.Key, Msg: pe.Msg})
		} else {
			p.errs = append(p.errs, &Error{File: p.file, Msg: e.Error()})
		}
	}
}

// checkAreas warns about an area of areas: that the config's program
// does not list: its rows would go to the form with an area it refuses.
func (p *parser) checkAreas(top map[string]field, cfg *Config) {
	prof := cfg.Programs[cfg.Program]
	f, ok := top["areas"]
	if prof == nil || len(prof.Areas) == 0 || !ok {
		return
	}
	fields, _ := yamldoc.Mapping(f.Val, "areas", func(*yaml.Node, string, string, ...any) {})
	for _, af := range fields {
		name := strings.TrimSpace(af.Key)
		if _, ok := prof.Area(name); ok || name == "" {
			continue
		}
		msg := fmt.Sprintf("%q is not an area of %s", name, prof.Title)
		if s := prof.NearestArea(name); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		} else {
			msg += "; `contriblog programs " + prof.Name + "` lists them"
		}
		p.warnf(af.KeyNode, yamldoc.Sub("areas", af.Key), "%s", msg)
	}
}

// ProgramNames are the names of cfg's programs, sorted.
func (c *Config) ProgramNames() []string {
	out := make([]string, 0, len(c.Programs))
	for n := range c.Programs {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Profile returns the profile of the program name, or of the config's
// program: when name is empty; nil, nil when neither names one (the
// general log). An unknown name is an error that names the known ones.
func (c *Config) Profile(name string) (*program.Profile, error) {
	name = strings.ToLower(strings.TrimSpace(name))
	if name == "" {
		name = c.Program
	}
	if name == "" {
		return nil, nil
	}
	if p, ok := c.Programs[name]; ok {
		return p, nil
	}
	return nil, errors.New(UnknownProgram(name, c.ProgramNames()))
}

// UnknownProgram says that name is no program, with the nearest name.
func UnknownProgram(name string, known []string) string {
	msg := fmt.Sprintf("unknown program %q", name)
	if s := harvester.SuggestName(name, known); s != "" {
		return msg + fmt.Sprintf(" (did you mean %q?)", s)
	}
	return msg + "; programs: " + strings.Join(known, ", ")
}
