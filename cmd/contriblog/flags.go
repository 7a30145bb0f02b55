package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strings"
)

// globalFlags are accepted before or after the command (docs/cli.md#global-flags).
type globalFlags struct {
	config  string
	db      string
	verbose bool
	quiet   bool
}

// globalValueFlags are the global flags that take a value, which
// splitCommand must skip over to find the command name.
var globalValueFlags = map[string]bool{"c": true, "config": true, "db": true}

// splitCommand finds the command name among args: the first argument that
// is neither a flag nor a global flag's value. The rest, minus the name, is
// returned in order for the command's flag set (which knows the globals).
func splitCommand(args []string) (string, []string, error) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" || !strings.HasPrefix(a, "-") || a == "-" {
			if a == "--" {
				return "", nil, usagef("no command given")
			}
			rest := append(append([]string{}, args[:i]...), args[i+1:]...)
			return a, rest, nil
		}
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		if globalValueFlags[name] {
			i++ // skip the value
		}
		if name == "h" || name == "help" {
			// `contriblog -h export` is export's help, as `export -h` is.
			if cmd, _, err := splitCommand(args[i+1:]); err == nil && cmd != "" {
				return "help", []string{cmd}, nil
			}
			return "help", nil, nil
		}
	}
	return "", nil, nil
}

// newFlagSet returns a flag set for one command, with the global flags
// registered on it so they work before or after the command. usage is the
// command's synopsis, after "contriblog NAME"; the flag package prints
// nothing (see printHelp and flagError).
func (m *Main) newFlagSet(name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&m.g.config, "c", "", "config `file`")
	fs.StringVar(&m.g.config, "config", "", "config `file`")
	fs.StringVar(&m.g.db, "db", "", "database `file` (overrides database: in the config)")
	fs.BoolVar(&m.g.verbose, "v", false, "log every detail, as structured lines")
	fs.BoolVar(&m.g.verbose, "verbose", false, "log every detail, as structured lines")
	fs.BoolVar(&m.g.quiet, "q", false, "no progress line; warnings and errors only")
	fs.BoolVar(&m.g.quiet, "quiet", false, "no progress line; warnings and errors only")
	m.synopsis = usage
	fs.Usage = func() {} // printHelp prints it, once, when asked
	return fs
}

// errHelp is -h or --help: the command's help was printed (exit 0).
var errHelp = errors.New("help printed")

// parse parses args with fs, allowing positional arguments between flags
// (`edit ID --exclude`), and returns the positional ones. -h and --help
// print the command's help to stdout and return errHelp.
func (m *Main) parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if err == flag.ErrHelp {
				m.printHelp(m.Stdout, fs)
				return nil, errHelp
			}
			return nil, flagError(fs, err)
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		if args[0] == "--" {
			pos = append(pos, args[1:]...)
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	m.setupLogger()
	return pos, nil
}

// setupLogger builds the stderr logger the global flags ask for: plain
// lines of warnings and errors (plainHandler), or with -v every record in
// the structured text format. `run` replaces it with newLogger's.
func (m *Main) setupLogger() {
	m.plainLog = !m.g.verbose
	if m.plainLog {
		m.logger = slog.New(newPlainHandler(m.Stderr, slog.LevelWarn))
		return
	}
	m.logger = m.newLogger(false)
}

// passLogger is the harvester's logger. A pass logs one line per source,
// which the daemon needs and a person at a terminal does not: harvest and
// demo print the same in their table, and each error once under it. So
// with plain logging only what goes wrong beyond a source's own error (a
// store that fails, a panic) is logged.
func (m *Main) passLogger() *slog.Logger {
	if m.plainLog {
		return slog.New(newPlainHandler(m.Stderr, slog.LevelError))
	}
	return m.logger
}

// newLogger is the program's logger on stderr, as text or (for the
// daemon's --log-format json) JSON, at the level the global flags ask
// for. Log lines carry servers' errors and sources' names: every one goes
// through harvester.Printable first (printableHandler).
func (m *Main) newLogger(json bool) *slog.Logger {
	opts := &slog.HandlerOptions{Level: m.logLevel()}
	var h slog.Handler = slog.NewTextHandler(m.Stderr, opts)
	if json {
		h = slog.NewJSONHandler(m.Stderr, opts)
	}
	return slog.New(printableHandler{h})
}

func (m *Main) printUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: contriblog [-c FILE] [--db FILE] [-v|-q] COMMAND [flags]")
	fmt.Fprintln(w, "\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-9s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun `contriblog help COMMAND` (or `contriblog COMMAND --help`) for a command's flags. Exit codes: 0 ok, 1 a source failed, 2 usage or config error.")
}

// stringsFlag is a repeatable string flag (--source a --source b).
type stringsFlag []string

func (s *stringsFlag) String() string { return strings.Join(*s, ",") }
func (s *stringsFlag) Set(v string) error {
	*s = append(*s, v)
	return nil
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
