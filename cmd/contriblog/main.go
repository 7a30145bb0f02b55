// Command contriblog harvests a person's community contributions (posts,
// videos, talks, open-source work) from feeds, GitHub, calendars and
// hand-kept files into one database, and exports a de-duplicated
// contribution log for award nominations.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/contriblog/contriblog/sources/fetch"

	// The zone database is embedded so that timezone: and CRON_TZ= work on
	// machines without one (Windows, minimal containers).
	_ "time/tzdata"
)

// Build information, set with -ldflags "-X main.version=… -X main.commit=…".
var (
	version = "dev"
	commit  = "unknown"
)

// Exit codes (docs/cli.md#exit-codes).
const (
	exitOK      = 0
	exitFailed  = 1 // the command ran but at least one source failed
	exitUsage   = 2 // usage or configuration error
	exitSignals = 130
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// After the first signal, restore the default handling: a second
		// SIGINT or SIGTERM ends the process at once.
		<-ctx.Done()
		stop()
	}()
	tuneGC(os.Getenv)
	m := NewMain()
	stopProfile := startProfile(os.Getenv("CONTRIBLOG_CPUPROFILE"))
	code := m.Run(ctx, os.Args[1:])
	stopProfile()
	stop()
	os.Exit(code)
}

// tuneGC trades memory for CPU where the user has not chosen: a pass
// allocates a lot of short-lived text (feed bodies, parsed items), and
// Go's default (GOGC=100) spends a noticeable share of a cold harvest
// collecting it. A heap allowed to grow 5x its live size, under a soft
// limit of 150 MiB, collects far less often and still stays small (a cold
// pass's live heap is well under the limit, so the limit is what bounds
// its memory; docs/performance.md#why-it-is-fast); past the limit the
// runtime collects as often as it must. GOGC and GOMEMLIMIT override both.
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(baseMemoryLimit)
		memoryLimitTuned = true
	}
}

const (
	// baseMemoryLimit is the soft limit tuneGC sets.
	baseMemoryLimit = 150 << 20
	// memoryPerSource is about what building the log keeps live per feed
	// of 50 items: the limit must stay above it, or past a thousand feeds
	// the collector runs without pause and a pass slows down markedly.
	memoryPerSource = 150 << 10
)

// memoryLimitTuned says that tuneGC chose the memory limit (the user did
// not), so that fitLimit may raise it.
var memoryLimitTuned bool

// fitLimit raises the soft memory limit for a pass over many sources.
func fitLimit(sources int) {
	if memoryLimitTuned {
		debug.SetMemoryLimit(max(baseMemoryLimit, int64(sources)*memoryPerSource))
	}
}

// Main is the program, with its environment as fields so that tests drive
// it in-process.
type Main struct {
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	Now            func() time.Time
	// IsTerminal reports whether stderr is a terminal (live progress).
	IsTerminal func() bool
	// Stdin is where `forget` reads a person's confirmation, when
	// StdinIsTerminal says a person is there to give one.
	Stdin           io.Reader
	StdinIsTerminal func() bool
	// Sleep waits between retries of a program's API and paces its
	// requests (`submit`); nil is a real wait. Tests make it instant.
	Sleep func(ctx context.Context, d time.Duration) error

	g      globalFlags
	logger *slog.Logger
	// synopsis is the running command's usage line (newFlagSet).
	synopsis string
	// plainLog says that logger writes plain lines for a person
	// (setupLogger), not the daemon's structured records.
	plainLog bool
	// secrets are the loaded config's, masked in whatever Run prints.
	secrets atomic.Pointer[fetch.Secrets]
}

// NewMain returns a Main wired to the process's environment.
func NewMain() *Main {
	return &Main{
		Stdout:          os.Stdout,
		Stderr:          os.Stderr,
		Getenv:          os.Getenv,
		Now:             time.Now,
		IsTerminal:      func() bool { return isTerminal(os.Stderr) },
		Stdin:           os.Stdin,
		StdinIsTerminal: func() bool { return isTTY(os.Stdin) },
	}
}

// usageError is a mistake in how the program was called: exit 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// sourcesFailed says a command ran but some source failed: exit 1.
var errSourcesFailed = errors.New("at least one source failed")

// Run runs the command line args and returns the exit code.
func (m *Main) Run(ctx context.Context, args []string) int {
	defer m.redactOutput()()
	name, rest, err := splitCommand(args)
	if err == nil && name == "" {
		m.printUsage(m.Stderr)
		return exitUsage
	}
	cmd, ok := commands[name]
	if err == nil && !ok {
		err = unknownCommand(name)
	}
	if err == nil {
		err = cmd.run(m, ctx, rest)
	}
	return m.exitCode(err)
}

// redactOutput makes Stdout and Stderr mask the config's secrets once it
// is loaded (redact.go); the function it returns writes what they held
// back and puts the writers back.
func (m *Main) redactOutput() func() {
	stdout, stderr := m.Stdout, m.Stderr
	out := &redactWriter{w: stdout, secrets: m.secrets.Load}
	errw := &redactWriter{w: stderr, secrets: m.secrets.Load}
	m.Stdout, m.Stderr = out, errw
	return func() {
		out.Flush()
		errw.Flush()
		m.Stdout, m.Stderr = stdout, stderr
	}
}

// exitCode prints err, if it needs printing, and returns the exit code
// for it. Errors quote servers, files and the daemon: each of their lines
// is made printable.
func (m *Main) exitCode(err error) int {
	var ue usageError
	switch {
	case err == nil, errors.Is(err, errHelp):
		return exitOK
	case errors.Is(err, errSourcesFailed), errors.Is(err, errProblems), errors.Is(err, errSubmitIncomplete):
		return exitFailed
	case errors.As(err, &ue):
		fmt.Fprintf(m.Stderr, "contriblog: %s\n", printableLines(err.Error()))
		return exitUsage
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(m.Stderr, "contriblog: interrupted")
		return exitSignals
	default:
		fmt.Fprintf(m.Stderr, "contriblog: %s\n", printableLines(err.Error()))
		return exitFailed
	}
}

// command is one subcommand: its one-line help and what runs it.
type command struct {
	summary string
	run     func(m *Main, ctx context.Context, args []string) error
}

var commands map[string]command

func init() {
	commands = map[string]command{
		"harvest":   {"one pass over every enabled source (or --source NAME), then exit", (*Main).runHarvest},
		"run":       {"the daemon: harvest on the config's schedule until stopped", (*Main).runDaemon},
		"export":    {"write the contribution log as csv, json or md", (*Main).runExport},
		"list":      {"show the contribution log as a table", (*Main).runList},
		"report":    {"write the log of a period as one self-contained HTML page with charts (-o FILE)", (*Main).runReport},
		"check":     {"before you submit: what a program's form would refuse in the log, one line each", (*Main).runCheck},
		"sources":   {"show every configured source and its state", (*Main).runSources},
		"edit":      {"curate contributions (exclude, retitle, merge, ...) by id or --source", (*Main).runEdit},
		"forget":    {"remove every observation of a SOURCE (after saying what goes; --yes)", (*Main).runForget},
		"programs":  {"show the recognition programs' profiles: types, counts, limits, areas", (*Main).runPrograms},
		"submit":    {"send the rows not yet in GitHub Stars or Advocu to its API (--dry-run first)", (*Main).runSubmit},
		"submitted": {"what is already in a program's portal: import mvp FILE, mark|unmark ID..., list", (*Main).runSubmitted},
		"validate":  {"check the config and the database, then exit", (*Main).runValidate},
		"backup":    {"write a consistent copy of the database (-o FILE, else the backup directory)", (*Main).runBackup},
		"restore":   {"replace the database with a checked copy of a backup FILE, keeping the old one aside", (*Main).runRestore},
		"service":   {"install|uninstall|start|stop|status the OS service that runs `run`", (*Main).runService},
		"demo":      {"run the whole pipeline against bundled sample sources", (*Main).runDemo},
		"version":   {"print version, commit and Go version", (*Main).runVersion},
		"help":      {"show this help", (*Main).runHelp},
	}
}

// startProfile writes a CPU profile to path when it is set
// (CONTRIBLOG_CPUPROFILE=cpu.out contriblog harvest): how the benchmark's
// figures are explained.
func startProfile(path string) func() {
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintf(os.Stderr, "contriblog: cpu profile: %v\n", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintf(os.Stderr, "contriblog: cpu profile: %v\n", err)
		f.Close()
		return func() {}
	}
	return func() { pprof.StopCPUProfile(); f.Close() }
}
