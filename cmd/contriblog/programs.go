package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/contriblog/contriblog/cmd/contriblog/config"
	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/program"
)

// runPrograms is `contriblog programs [NAME] [--yaml]`: the programs the
// config knows, or one program's profile as the commands use it (the
// built-in one with the config's programs: applied), docs/programs.md.
func (m *Main) runPrograms(ctx context.Context, args []string) error {
	fs := m.newFlagSet("programs", "[NAME] [--yaml]")
	yamlOut := fs.Bool("yaml", false, "print the built-in profile NAME as YAML, to start a profile of your own from")
	pos, err := m.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return usagef("programs takes at most one program name (got %d)", len(pos))
	}
	if *yamlOut {
		if len(pos) != 1 {
			return usagef("--yaml prints one built-in profile: give its name (%s)", strings.Join(program.Names(), ", "))
		}
		data, ok := program.BuiltinYAML(strings.ToLower(pos[0]))
		if !ok {
			return usagef("%s", config.UnknownProgram(pos[0], program.Names()))
		}
		_, err := m.Stdout.Write(data)
		return err
	}
	cfg, err := m.programsConfig()
	if err != nil {
		return err
	}
	w := bufio.NewWriter(m.Stdout)
	defer w.Flush()
	if len(pos) == 0 {
		printProgramList(w, cfg)
		return nil
	}
	p, err := cfg.Profile(pos[0])
	if err != nil {
		return usageError{err}
	}
	printProfile(w, p, cfg.Vocabulary)
	return nil
}

// programsConfig is the config, or, before there is one, the built-in
// programs alone: a person may look at a program before writing a config.
func (m *Main) programsConfig() (*config.Config, error) {
	if _, err := config.Find(m.g.config, m.Getenv); err != nil {
		cfg := &config.Config{Programs: map[string]*program.Profile{}, Vocabulary: harvester.NewVocabulary(nil)}
		for _, name := range program.Names() {
			cfg.Programs[name], _ = program.Builtin(name)
		}
		return cfg, nil
	}
	return m.loadConfig()
}

// printProgramList writes one line per program, the config's own marked.
func printProgramList(w io.Writer, cfg *config.Config) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tTITLE\tPROFILE")
	for _, name := range cfg.ProgramNames() {
		p := cfg.Programs[name]
		mark := ""
		if name == cfg.Program {
			mark = " (program: in the config)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s%s\n", name, cell(p.Title), cell(p.Source), mark)
	}
	tw.Flush()
	fmt.Fprintln(w, "\n`contriblog programs NAME` shows one; `export --program NAME` and `check --program NAME` use it.")
}

// printProfile writes a profile as a person reads it: limits, types with
// what maps onto them and what they ask, lists.
func printProfile(w io.Writer, p *program.Profile, vocab *harvester.Vocabulary) {
	fmt.Fprintf(w, "%s: %s\nprofile: %s\n", p.Name, cell(p.Title), cell(p.Source))
	var limits []string
	for _, l := range []struct {
		name string
		v    int
		unit string
	}{{"title", p.Limits.Title, "characters at most"}, {"title", p.Limits.TitleMin, "characters at least"},
		{"description", p.Limits.Description, "characters"}, {"private description", p.Limits.PrivateDescription, "characters"},
		{"URL", p.Limits.URL, "characters"}, {"dates", p.Limits.WindowMonths, "months back at most"}} {
		if l.v > 0 {
			limits = append(limits, fmt.Sprintf("%s %d %s", l.name, l.v, l.unit))
		}
	}
	if len(limits) > 0 {
		fmt.Fprintf(w, "limits: %s\n", strings.Join(limits, "; "))
	}
	fmt.Fprintln(w, "\ntypes:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  TYPE\tFROM\tROLES\tASKS")
	for _, t := range p.Types {
		name := t.Name
		if t.Kind != "" {
			name += " (" + t.Kind + ")"
		}
		var asks []string
		for _, c := range t.Counts {
			var notes []string
			if t.Requires(c.Key) {
				notes = append(notes, "required")
			}
			if len(c.From) > 0 {
				notes = append(notes, "from sources: "+strings.Join(c.From, ", "))
			}
			asks = append(asks, withNotes(c.Key, notes))
		}
		for _, f := range t.Fields {
			if t.Requires(f) {
				f += " (required)"
			}
			asks = append(asks, f)
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", cell(name), orDash(cell(strings.Join(t.From, "; "))),
			orDash(cell(strings.Join(t.Roles, ", "))), orDash(strings.Join(asks, ", ")))
	}
	tw.Flush()
	if un := p.Unmapped(vocab); len(un) > 0 {
		fmt.Fprintf(w, "\nnot taken (left out of this program's export, with a warning): %s\n", cell(strings.Join(un, "; ")))
	}
	if len(p.Roles) > 0 {
		var pairs []string
		for _, from := range sortedKeys(p.Roles) {
			pairs = append(pairs, from+" → "+p.Roles[from])
		}
		fmt.Fprintf(w, "\nroles shown as: %s\n", cell(strings.Join(pairs, ", ")))
	}
	list := func(title string, values []string, free string) {
		if len(values) == 0 {
			fmt.Fprintf(w, "\n%s: %s\n", title, free)
			return
		}
		fmt.Fprintf(w, "\n%s: %s\n", title, cell(strings.Join(values, "; ")))
	}
	list("target audiences", p.Audiences, "any")
	if len(p.Events) > 0 {
		list("events", p.Events, "")
	}
	if len(p.Areas) == 0 {
		fmt.Fprintln(w, "\nareas: any (the program's list is not known; give yours under programs: in the config)")
		return
	}
	fmt.Fprintln(w, "\nareas:")
	var category string
	var names []string
	flush := func() {
		if len(names) > 0 {
			label := category
			if label == "" {
				label = "-"
			}
			fmt.Fprintf(w, "  %s: %s\n", cell(label), cell(strings.Join(names, "; ")))
		}
		names = nil
	}
	for _, a := range p.Areas {
		if a.Category != category {
			flush()
			category = a.Category
		}
		names = append(names, a.Name)
	}
	flush()
}

// withNotes is s with notes in brackets, if any.
func withNotes(s string, notes []string) string {
	if len(notes) == 0 {
		return s
	}
	return s + " (" + strings.Join(notes, "; ") + ")"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
