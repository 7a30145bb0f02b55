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
		prof, err := program.ParseNode(pf.Val, p.file, key, base)
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
