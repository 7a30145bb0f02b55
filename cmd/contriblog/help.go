package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/contriblog/contriblog/harvester"
)

// globalFlagNames are the flags newFlagSet gives every command.
var globalFlagNames = map[string]bool{"c": true, "config": true, "db": true, "v": true, "verbose": true, "q": true, "quiet": true}

// printHelp writes a command's help: its synopsis and summary, then its
// flags and the global ones, spelt as a person types them (--source, not
// Go's -source) with a short alias beside its long name (-o, --output
// FILE). docs/cli.md#help.
func (m *Main) printHelp(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(w, "usage: contriblog %s %s\n", fs.Name(), m.synopsis)
	if c, ok := commands[fs.Name()]; ok {
		fmt.Fprintf(w, "\n%s.\n", strings.ToUpper(c.summary[:1])+c.summary[1:])
	}
	own, global := flagGroups(fs)
	if len(own) > 0 {
		fmt.Fprintln(w, "\nflags:")
		writeFlags(w, own)
	}
	fmt.Fprintln(w, "\nglobal flags (before or after the command):")
	writeFlags(w, global)
}

// flagGroups gathers fs's flags into aliases (the names bound to one
// variable, as -o and --output are), split into the command's own and
// the global ones, each group's names short first.
func flagGroups(fs *flag.FlagSet) (own, global [][]*flag.Flag) {
	var groups [][]*flag.Flag
	index := map[uintptr]int{}
	fs.VisitAll(func(f *flag.Flag) {
		v := reflect.ValueOf(f.Value)
		if v.Kind() == reflect.Pointer {
			if i, ok := index[v.Pointer()]; ok {
				groups[i] = append(groups[i], f)
				return
			}
			index[v.Pointer()] = len(groups)
		}
		groups = append(groups, []*flag.Flag{f})
	})
	for _, g := range groups {
		sort.SliceStable(g, func(i, j int) bool { return len(g[i].Name) < len(g[j].Name) })
		if globalFlagNames[g[0].Name] {
			global = append(global, g)
		} else {
			own = append(own, g)
		}
	}
	return own, global
}

// writeFlags writes one line per group: its spellings, the value it
// takes, what it does and its default.
func writeFlags(w io.Writer, groups [][]*flag.Flag) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, g := range groups {
		long := g[len(g)-1]
		arg, usage := flag.UnquoteUsage(long)
		names := make([]string, len(g))
		for i, f := range g {
			names[i] = dashed(f.Name)
		}
		spelling := strings.Join(names, ", ")
		if arg != "" {
			spelling += " " + strings.ToUpper(arg)
		}
		if d := long.DefValue; d != "" && d != "false" && d != "0" {
			usage += fmt.Sprintf(" (default %s)", d)
		}
		fmt.Fprintf(tw, "  %s\t%s\n", spelling, usage)
	}
	tw.Flush()
}

// dashed is a flag's name as it is typed: -o, --output.
func dashed(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// flagError rewrites the flag package's errors in --long spelling, with a
// suggestion for a misspelt flag.
func flagError(fs *flag.FlagSet, err error) error {
	msg := err.Error()
	hint := fmt.Sprintf(" (see `contriblog %s --help`)", fs.Name())
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		var names []string
		fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
		if near := harvester.SuggestName(strings.TrimLeft(name, "-"), names); near != "" {
			return usagef("%s: unknown flag %s; did you mean %s?", fs.Name(), dashed(name), dashed(near))
		}
		return usagef("%s: unknown flag %s%s", fs.Name(), dashed(name), hint)
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
		f := fs.Lookup(name)
		arg := "a value"
		if f != nil {
			if a, _ := flag.UnquoteUsage(f); a != "" {
				arg = strings.ToUpper(a)
			}
		}
		return usagef("%s: %s needs %s%s", fs.Name(), dashed(name), arg, hint)
	}
	fs.VisitAll(func(f *flag.Flag) {
		msg = strings.Replace(msg, "flag -"+f.Name+":", dashed(f.Name)+":", 1)
		msg = strings.Replace(msg, "for -"+f.Name+":", "for "+dashed(f.Name)+":", 1)
	})
	return usagef("%s: %s", fs.Name(), msg)
}

// unknownCommand is the error for a command name that is not one, with
// the nearest command when it looks like a typo of it.
func unknownCommand(name string) error {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	if near := harvester.SuggestName(name, names); near != "" {
		return usagef("unknown command %q; did you mean `contriblog %s`?", name, near)
	}
	return usagef("unknown command %q; commands: %s (see `contriblog help`)", name, strings.Join(names, ", "))
}

// runHelp is `contriblog help [COMMAND]`: the overview, or a command's
// help as `COMMAND --help` prints it.
func (m *Main) runHelp(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] == "help" {
		m.printUsage(m.Stdout)
		return nil
	}
	if len(args) > 1 {
		return usagef("help takes one command name, got %d arguments", len(args))
	}
	cmd, ok := commands[args[0]]
	if !ok {
		return unknownCommand(args[0])
	}
	return cmd.run(m, ctx, []string{"--help"})
}
