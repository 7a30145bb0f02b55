package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/contriblog/contriblog/harvester"
)

// runForget is `contriblog forget SOURCE [--yes]` (docs/cli.md#forget):
// it says what forgetting the source removes, then removes it when --yes
// is given or a person at a terminal confirms. Off a terminal without
// --yes it refuses (exit 2): a script must say so.
func (m *Main) runForget(ctx context.Context, args []string) error {
	fs := m.newFlagSet("forget", "SOURCE [--yes]")
	var yes bool
	fs.BoolVar(&yes, "yes", false, "remove without asking")
	fs.BoolVar(&yes, "y", false, "remove without asking")
	pos, err := m.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || strings.TrimSpace(pos[0]) == "" {
		return usagef("forget takes exactly one source name (see `contriblog sources`)")
	}
	source := pos[0]
	cfg, err := m.loadConfig()
	if err != nil {
		return err
	}
	svc, err := m.openLogService(cfg, writeAccess)
	if err != nil {
		return err
	}
	defer svc.Close()
	rep, err := svc.Forget(ctx, source, false)
	if err != nil {
		return forgetError(err)
	}
	m.printForget(&rep)
	if rep.Observations == 0 && len(rep.Removed)+len(rep.Changed) == 0 && !yes {
		// Only a state (or nothing) to remove: no data is at stake.
		yes = true
	}
	if !yes {
		ok, err := m.confirm(source)
		if err != nil {
			return err
		}
		if !ok {
			fmt.Fprintln(m.Stdout, "Nothing forgotten.")
			return nil
		}
	}
	rep, err = svc.Forget(ctx, source, true)
	if err != nil {
		return forgetError(err)
	}
	fmt.Fprintf(m.Stdout, "Forgot source %s: %s removed; the log has %s fewer and %s changed.\n", cell(source),
		plural(rep.Observations, "observation"), plural(len(rep.Removed), "row"), plural(len(rep.Changed), "row"))
	if rep.Configured {
		fmt.Fprintf(m.Stdout, "The config still names %s: its next harvest fetches it again (remove it from the config, or fix its url first).\n", cell(source))
	}
	return nil
}

// printForget says what forgetting would remove.
func (m *Main) printForget(rep *harvester.ForgetReport) {
	w := m.Stdout
	if rep.Observations == 0 && len(rep.Removed)+len(rep.Changed) == 0 {
		fmt.Fprintf(w, "Source %s has no stored observations; forgetting it removes its state, if any.\n", cell(rep.Source))
		return
	}
	fmt.Fprintf(w, "Forgetting source %s removes %s and its state.\n", cell(rep.Source), plural(rep.Observations, "stored observation"))
	fmt.Fprintf(w, "  %s of the log disappear%s%s\n", plural(len(rep.Removed), "row"), verbS(len(rep.Removed)), idList(rep.Removed))
	fmt.Fprintf(w, "  %s keep%s other sources' observations and change%s\n", plural(len(rep.Changed), "row"),
		verbS(len(rep.Changed)), verbS(len(rep.Changed))+idList(rep.Changed))
	fmt.Fprintln(w, "Curation (edits) of the rows that stay is kept.")
}

// confirm asks a person at a terminal whether to forget source; off a
// terminal it refuses with a usage error that says to add --yes.
func (m *Main) confirm(source string) (bool, error) {
	if m.Stdin == nil || m.StdinIsTerminal == nil || !m.StdinIsTerminal() {
		return false, usagef("nothing removed: stdin is not a terminal to confirm on; add --yes (`contriblog forget %s --yes`) to remove them", cell(source))
	}
	fmt.Fprintf(m.Stderr, "Forget source %s? [y/N] ", cell(source))
	line, err := bufio.NewReader(m.Stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return false, fmt.Errorf("read the answer: %w", err)
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return true, nil
	}
	return false, nil
}

// forgetError makes an unknown source a usage error (exit 2).
func forgetError(err error) error {
	if errors.Is(err, harvester.ErrNotFound) {
		return usageError{fmt.Errorf("forget: %w", err)}
	}
	return err
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// verbS is the -s of a verb whose subject counts n.
func verbS(n int) string {
	if n == 1 {
		return "s"
	}
	return ""
}

// idList shows a few ids after a colon, so that a person can look at
// them with `contriblog list --all`.
func idList(ids []string) string {
	const shown = 8
	switch {
	case len(ids) == 0:
		return ""
	case len(ids) > shown:
		return ": " + strings.Join(ids[:shown], " ") + fmt.Sprintf(" and %d more", len(ids)-shown)
	}
	return ": " + strings.Join(ids, " ")
}
