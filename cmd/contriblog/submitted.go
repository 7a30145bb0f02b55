package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/contriblog/contriblog/cmd/contriblog/config"
	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/portal"
	"github.com/contriblog/contriblog/harvester/program"
	"github.com/contriblog/contriblog/sources/file"
)

// maxPortalExport bounds the portal export `submitted import` reads.
const maxPortalExport = 64 << 20

// runSubmitted is `contriblog submitted import|mark|unmark|list`: what is
// already in a program's portal (docs/programs.md#already-entered-some-by-hand).
func (m *Main) runSubmitted(ctx context.Context, args []string) error {
	sub, rest, err := splitCommand(args)
	if err != nil {
		return err
	}
	switch sub {
	case "import":
		return m.runSubmittedImport(ctx, rest)
	case "mark", "unmark":
		return m.runSubmittedMark(ctx, sub, rest)
	case "list":
		return m.runSubmittedList(ctx, rest)
	case "help":
		fs := m.newFlagSet("submitted", "import mvp FILE [--add-missing] [--dry-run] | mark|unmark ID... [--program NAME] | list [--program NAME]")
		m.printHelp(m.Stdout, fs)
		fmt.Fprint(m.Stdout, `
commands:
  import   read the MVP portal's "Account Privacy Data" JSON export and record the rows it holds
  mark     record rows as entered by hand in the program's portal; unmark takes that back
  list     the records, by program

`+"`contriblog submitted COMMAND -h`"+` shows a command's flags. See docs/programs.md.
`)
		return errHelp
	case "":
		return usagef("submitted needs what to do: import, mark, unmark or list (see `contriblog submitted list -h`)")
	}
	msg := fmt.Sprintf("submitted: unknown %q: import, mark, unmark or list", sub)
	if s := harvester.SuggestName(sub, []string{"import", "mark", "unmark", "list"}); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	return usagef("%s", msg)
}

// profileFor is the program --program names, else the config's; a usage
// error when neither names one.
func profileFor(cfg *config.Config, name string) (*program.Profile, error) {
	p, err := cfg.Profile(name)
	if err != nil {
		return nil, usageError{err}
	}
	if p == nil {
		return nil, usagef("which program? give --program NAME (%s) or set program: in the config", strings.Join(cfg.ProgramNames(), ", "))
	}
	return p, nil
}

func (m *Main) runSubmittedImport(ctx context.Context, args []string) error {
	fs := m.newFlagSet("submitted import", "mvp FILE | stars [--add-missing] [--dry-run]")
	addMissing := fs.Bool("add-missing", false, "add the portal's entries no source knows to the log, as source mvp-portal")
	dryRun := fs.Bool("dry-run", false, "say what would be recorded and added; change nothing")
	pos, err := m.parse(fs, args)
	if err != nil {
		return err
	}
	var entries []portal.Entry
	var deleted int
	var cfg *config.Config
	var prof *program.Profile
	switch {
	case len(pos) == 2 && strings.EqualFold(pos[0], "mvp"):
		data, err := file.ReadRegular(pos[1], maxPortalExport)
		if err != nil {
			return usagef("%s: %v", pos[1], err)
		}
		if entries, deleted, err = portal.ParseMVP(data); err != nil {
			return usagef("%s: %v", pos[1], err)
		}
		if cfg, err = m.loadConfig(); err != nil {
			return err
		}
		if prof, err = profileFor(cfg, "mvp"); err != nil {
			return err
		}
	case len(pos) == 1 && strings.EqualFold(pos[0], "stars"):
		if cfg, err = m.loadConfig(); err != nil {
			return err
		}
		if prof, err = profileFor(cfg, "stars"); err != nil {
			return err
		}
		send, err := m.newSender(cfg, prof, cfg.ProgramAPIs[prof.Name])
		if err != nil {
			return err
		}
		list, err := send.list(ctx)
		if err != nil {
			return fmt.Errorf("read your contributions from GitHub Stars: %w", err)
		}
		entries = starsEntries(list)
		pos = append(pos, "GitHub Stars")
	case len(pos) >= 1 && strings.EqualFold(pos[0], "stars"):
		return usagef("submitted import stars reads from the Stars API and takes no file")
	case len(pos) >= 1 && !strings.EqualFold(pos[0], "mvp"):
		return usagef("submitted import reads the MVP portal's export (mvp FILE) or the Stars API (stars); %q has no import", pos[0])
	default:
		return usagef("submitted import takes the program and the file: `contriblog submitted import mvp \"MVP Account Privacy Data.json\"`, or `contriblog submitted import stars`")
	}
	svc, err := m.openLogService(cfg, writeAccess)
	if err != nil {
		return err
	}
	defer svc.Close()
	req := portal.ImportRequest{Program: prof.Name, Entries: entries, Deleted: deleted, AddMissing: *addMissing,
		Apply: !*dryRun, Person: cfg.Person}
	rep, err := portal.Import(ctx, svc, prof, cfg.Vocabulary, req, m.Now())
	if err != nil {
		return err
	}
	w := bufio.NewWriter(m.Stdout)
	defer w.Flush()
	printImport(w, pos[1], len(entries), &rep, *addMissing)
	return nil
}

// printImport says what an import found: matched, in doubt, entered twice,
// on one side only, and what it recorded.
func printImport(w io.Writer, name string, n int, rep *portal.ImportReport, addMissing bool) {
	fmt.Fprintf(w, "%s: %s", cell(name), plural(n, "activity"))
	if rep.Deleted > 0 {
		fmt.Fprintf(w, " (and %d deleted, skipped)", rep.Deleted)
	}
	fmt.Fprintln(w)
	pair := func(tw io.Writer, e portal.Entry, r portal.RowRef, how string) {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t← %q%s\n", r.ID, r.Date, cell(r.Title), cell(e.Title), how)
	}
	section := func(title string, lines func(tw io.Writer)) {
		fmt.Fprintf(w, "\n%s\n", title)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		lines(tw)
		tw.Flush()
	}
	if len(rep.Matched) > 0 {
		section(fmt.Sprintf("In the portal and in the log: %d", len(rep.Matched)), func(tw io.Writer) {
			for _, m := range rep.Matched {
				pair(tw, m.Entry, m.Row, " (by "+m.How+")")
			}
		})
	}
	if len(rep.Added) > 0 {
		section(fmt.Sprintf("Added to the log from the portal (source %s-portal): %d", rep.Program, len(rep.Added)), func(tw io.Writer) {
			for _, m := range rep.Added {
				pair(tw, m.Entry, m.Row, "")
			}
		})
	}
	if len(rep.Doubts) > 0 {
		section(fmt.Sprintf("Not sure — nothing recorded; `contriblog submitted mark ID --program %s` the right one: %d", rep.Program, len(rep.Doubts)), func(tw io.Writer) {
			for _, d := range rep.Doubts {
				var ids []string
				for _, r := range d.Rows {
					ids = append(ids, r.ID+" ("+r.Date+")")
				}
				fmt.Fprintf(tw, "  %q\t%s\t%s: %s\n", cell(d.Entry.Title), d.Entry.Date, d.Why, strings.Join(ids, ", "))
			}
		})
	}
	if len(rep.Duplicates) > 0 {
		section(fmt.Sprintf("Entered twice in the portal (delete one there): %d", len(rep.Duplicates)), func(tw io.Writer) {
			for _, m := range rep.Duplicates {
				pair(tw, m.Entry, m.Row, "")
			}
		})
	}
	if len(rep.NotAdded) > 0 {
		section(fmt.Sprintf("In the portal, not added: %d", len(rep.NotAdded)), func(tw io.Writer) {
			for _, e := range rep.NotAdded {
				fmt.Fprintf(tw, "  %q\t%s\t%s\n", cell(e.Entry.Title), e.Entry.Date, e.Why)
			}
		})
	}
	if len(rep.Unmatched) > 0 {
		hint := ""
		if !addMissing {
			hint = " (--add-missing adds them to the log)"
		}
		section(fmt.Sprintf("In the portal, not in the log%s: %d", hint, len(rep.Unmatched)), func(tw io.Writer) {
			for _, e := range rep.Unmatched {
				fmt.Fprintf(tw, "  %q\t%s\n", cell(e.Title), e.Date)
			}
		})
	}
	if len(rep.Left) > 0 {
		section(fmt.Sprintf("In the log, not in the portal — still to enter: %d", len(rep.Left)), func(tw io.Writer) {
			for _, r := range rep.Left {
				fmt.Fprintf(tw, "  %s\t%s\t%s\n", r.ID, r.Date, cell(r.Title))
			}
		})
	}
	fmt.Fprintln(w)
	switch {
	case !rep.Applied:
		fmt.Fprintf(w, "Dry run: %s would be recorded; nothing changed.\n", plural(rep.Recorded, "row"))
	case rep.Recorded == 0:
		fmt.Fprintln(w, "Nothing new to record: every match was recorded before.")
	default:
		fmt.Fprintf(w, "Recorded %s as in the %s portal.\n", plural(rep.Recorded, "row"), rep.Program)
	}
}

func (m *Main) runSubmittedMark(ctx context.Context, verb string, args []string) error {
	fs := m.newFlagSet("submitted "+verb, "ID... [--program NAME]")
	prog := fs.String("program", "", "the program (default: the config's program:)")
	ids, err := m.parse(fs, args)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		return usagef("submitted %s takes the ids of the rows (see `contriblog list --all`)", verb)
	}
	cfg, err := m.loadConfig()
	if err != nil {
		return err
	}
	prof, err := profileFor(cfg, *prog)
	if err != nil {
		return err
	}
	svc, err := m.openLogService(cfg, writeAccess)
	if err != nil {
		return err
	}
	defer svc.Close()
	log, err := readRows(ctx, svc, harvester.Filter{All: true})
	if err != nil {
		return err
	}
	var rows []harvester.Contribution
	for _, id := range ids {
		row, ok := harvester.FindContribution(log, id)
		if !ok {
			return usagef("contribution %q: not found; `contriblog list --all` shows the ids", id)
		}
		rows = append(rows, row)
	}
	subs, err := svc.Submissions(ctx)
	if err != nil {
		return err
	}
	covering := coveringRecords(subs, log, prof.Name)
	if verb == "unmark" {
		var drop []string
		for _, r := range rows {
			for _, s := range covering[r.ID] {
				drop = append(drop, s.ID)
			}
		}
		n := 0
		if len(drop) > 0 {
			if n, err = svc.DeleteSubmissions(ctx, prof.Name, drop); err != nil {
				return err
			}
		}
		fmt.Fprintf(m.Stdout, "Unmarked %s: %s no longer recorded as in the %s portal.\n", plural(len(rows), "row"), plural(n, "record"), prof.Name)
		return nil
	}
	var records []harvester.Submission
	for i := range rows {
		prev := covering[rows[i].ID]
		rec, ok := harvester.Mark(prof.Name, &rows[i], prev, m.Now())
		if !ok {
			fmt.Fprintf(m.Stdout, "%s: already recorded as in the %s portal (%s %s)\n", rows[i].ID, prof.Name, prev[0].How, prev[0].At.Format(harvester.DateLayout))
			continue
		}
		records = append(records, rec)
	}
	if len(records) > 0 {
		if err := svc.SaveSubmissions(ctx, records); err != nil {
			return err
		}
	}
	fmt.Fprintf(m.Stdout, "Marked %s as in the %s portal.\n", plural(len(records), "row"), prof.Name)
	return nil
}

// coveringRecords are, per row id, the records of program that cover it.
func coveringRecords(subs []harvester.Submission, log []harvester.Contribution, prog string) map[string][]harvester.Submission {
	out := map[string][]harvester.Submission{}
	for id, recs := range harvester.Covering(subs, log) {
		for _, s := range recs {
			if s.Program == prog {
				out[id] = append(out[id], s)
			}
		}
	}
	return out
}

func (m *Main) runSubmittedList(ctx context.Context, args []string) error {
	fs := m.newFlagSet("submitted list", "[--program NAME]")
	prog := fs.String("program", "", "only the records of this program")
	if err := m.noArgs(fs, args); err != nil {
		return err
	}
	cfg, err := m.loadConfig()
	if err != nil {
		return err
	}
	name := strings.ToLower(strings.TrimSpace(*prog))
	if name != "" {
		if _, err := profileFor(cfg, name); err != nil {
			return err
		}
	}
	svc, err := m.openLogService(cfg, readAccess)
	if errors.Is(err, errNoDatabase) {
		fmt.Fprintln(m.Stdout, "No submission records.")
		return nil
	}
	if err != nil {
		return err
	}
	defer svc.Close()
	subs, err := svc.Submissions(ctx)
	if err != nil {
		return err
	}
	log, err := readRows(ctx, svc, harvester.Filter{All: true})
	if err != nil {
		return err
	}
	w := bufio.NewWriter(m.Stdout)
	defer w.Flush()
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PROGRAM\tROW\tDATE\tTITLE\tHOW\tWHEN\tREMOTE ID")
	covering := harvester.Covering(subs, log)
	type line struct{ prog, row, date, title, how, when, remoteID string }
	var lines []line
	seen := map[string]bool{}
	for i := range log {
		for _, s := range covering[log[i].ID] {
			if name != "" && s.Program != name {
				continue
			}
			seen[s.Program+"\x00"+s.ID] = true
			lines = append(lines, line{s.Program, log[i].ID, log[i].Date, log[i].Title, s.How, s.At.Format(harvester.DateLayout), s.RemoteID})
		}
	}
	for _, s := range subs {
		if !seen[s.Program+"\x00"+s.ID] && (name == "" || s.Program == name) {
			// Its observations are gone (a forgotten source): kept, shown
			// as the program holds it.
			lines = append(lines, line{s.Program, s.ID + " (gone)", "", s.Title, s.How, s.At.Format(harvester.DateLayout), s.RemoteID})
		}
	}
	sort.SliceStable(lines, func(i, j int) bool { return lines[i].prog < lines[j].prog })
	for _, l := range lines {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", l.prog, l.row, l.date, cell(l.title), l.how, l.when, orDash(cell(l.remoteID)))
	}
	tw.Flush()
	if len(lines) == 0 {
		fmt.Fprintln(w, "No submission records.")
	}
	return nil
}
