package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/contriblog/contriblog/cmd/contriblog/config"
	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/export"
	"github.com/contriblog/contriblog/harvester/portal"
	"github.com/contriblog/contriblog/harvester/program"
	"github.com/contriblog/contriblog/sources/advocu"
	"github.com/contriblog/contriblog/sources/fetch"
	"github.com/contriblog/contriblog/sources/stars"
)

// errSubmitIncomplete is a submit run that sent what it could but not
// everything: exit 1, the reasons already printed.
var errSubmitIncomplete = errors.New("not everything was sent")

// runSubmit is `contriblog submit stars|gde [filters] [--dry-run]`: the
// rows not yet in the program, sent to its API, each recorded as soon as
// the program has it (docs/programs.md#sending-to-github-stars-or-advocu).
func (m *Main) runSubmit(ctx context.Context, args []string) error {
	fs := m.newFlagSet("submit", "stars|gde [--since DATE] [--until DATE] [--person NAME] [--type TYPE] [--dry-run]")
	var ff filterFlags
	ff.register(fs)
	dryRun := fs.Bool("dry-run", false, "print exactly what would be sent, and send nothing")
	pos, err := m.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("submit takes the program: `contriblog submit stars` or `contriblog submit gde` (try --dry-run first)")
	}
	if ff.all {
		return usagef("--all: excluded rows are never sent")
	}
	filter, err := ff.filter()
	if err != nil {
		return err
	}
	cfg, err := m.loadConfig()
	if err != nil {
		return err
	}
	prof, err := profileFor(cfg, pos[0])
	if err != nil {
		return err
	}
	if prof.Format != program.FormatStars && prof.Format != program.FormatAdvocu {
		return usagef("%s has no API contriblog can send to: `contriblog export --program %s` and fill in its form", prof.Name, prof.Name)
	}
	if err := resolveType(cfg, &filter); err != nil {
		return err
	}
	api := cfg.ProgramAPIs[prof.Name]
	var send sender
	if !*dryRun {
		if send, err = m.newSender(cfg, prof, api); err != nil {
			return err
		}
	}
	svc, err := m.openLogService(cfg, writeAccess)
	if err != nil {
		return err
	}
	defer svc.Close()
	todo, pending, err := unsubmitted(ctx, svc, prof.Name, filter)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(m.Stdout)
	defer w.Flush()
	for _, s := range pending {
		fmt.Fprintf(w, "%s: may have been sent by a run that stopped before %s answered; check %s, then `contriblog submitted mark %s --program %s` if it is there or `contriblog submitted unmark %s --program %s` to send it again\n",
			s.ID, prof.Name, prof.Title, s.ID, prof.Name, s.ID, prof.Name)
	}
	if *dryRun {
		return m.printDryRun(w, prof, api, todo)
	}
	run := &submitRun{m: m, w: w, svc: svc, prof: prof, send: send}
	err = run.sendAll(ctx, todo)
	if errors.Is(err, errSubmitIncomplete) && len(pending) > 0 || err == nil && len(pending) > 0 {
		return errSubmitIncomplete
	}
	return err
}

// unsubmitted are the rows that pass f and no record of prog covers, in
// log order, and the records left "sending" by a run that stopped.
func unsubmitted(ctx context.Context, svc harvester.LogService, prog string, f harvester.Filter) ([]harvester.Contribution, []harvester.Submission, error) {
	log, err := readRows(ctx, svc, harvester.Filter{All: true})
	if err != nil {
		return nil, nil, err
	}
	subs, err := svc.Submissions(ctx)
	if err != nil {
		return nil, nil, err
	}
	covering := coveringRecords(subs, log, prog)
	var todo []harvester.Contribution
	for i := range log {
		if len(covering[log[i].ID]) == 0 && f.Match(&log[i]) {
			todo = append(todo, log[i])
		}
	}
	var pending []harvester.Submission
	for _, s := range subs {
		if s.Program == prog && s.How == harvester.SubmittedSending {
			pending = append(pending, s)
		}
	}
	return todo, pending, nil
}

// printDryRun writes each request submit would send, and each row it
// would leave out, and sends nothing.
func (m *Main) printDryRun(w io.Writer, prof *program.Profile, api config.ProgramAPI, rows []harvester.Contribution) error {
	n, left := 0, 0
	for i := range rows {
		pl, refused, err := export.PayloadOf(prof, &rows[i])
		if err != nil {
			return err
		}
		if refused != "" {
			fmt.Fprintf(w, "%s: not sent: %s\n", rows[i].ID, refused)
			left++
			continue
		}
		method, url, err := requestLine(prof, api, rows[i].ID, pl)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%s %s\n%s\n", method, fetch.Redact(url), pl.Body)
		n++
	}
	fmt.Fprintf(w, "\nDry run: %s would be sent to %s", plural(n, "row"), prof.Title)
	if left > 0 {
		fmt.Fprintf(w, ", %s left out (`contriblog check --program %s` says what to fix)", plural(left, "row"), prof.Name)
	}
	fmt.Fprintln(w, "; nothing was sent.")
	return nil
}

// requestLine is the method and URL submit would send pl with.
func requestLine(prof *program.Profile, api config.ProgramAPI, id string, pl export.Payload) (string, string, error) {
	if prof.Format == program.FormatStars {
		base := api.BaseURL
		if base == "" {
			base = stars.DefaultBaseURL
		}
		u, _, err := stars.PutRequest(base, id, stars.Contribution{})
		return "PUT", u, err
	}
	base := api.BaseURL
	if base == "" {
		base = advocu.DefaultBaseURL
	}
	u, err := advocu.DraftURL(base, pl.Kind)
	return "POST", u, err
}

// sender sends one row's payload to a program; id is the program's id
// for it. maybeSent reports an error after which the program may hold
// the row.
type sender interface {
	send(ctx context.Context, rowID string, pl export.Payload) (id string, err error)
	// safeToRepeat says a request may be sent again without creating a
	// second entry (Stars' PUT by client id).
	safeToRepeat() bool
	list(ctx context.Context) ([]stars.Contribution, error)
}

// newSender is the API client of prof, with the config's token.
func (m *Main) newSender(cfg *config.Config, prof *program.Profile, api config.ProgramAPI) (sender, error) {
	if err := api.UnsetError(cfg.Path); err != nil {
		return nil, usageError{fmt.Errorf("submit %s: %w", prof.Name, err)}
	}
	if api.Token == "" {
		return nil, usagef("submit %s needs your token: add `programs: {%s: {token: ${VAR}}}` to the config and set VAR (docs/programs.md#sending-to-github-stars-or-advocu)", prof.Name, prof.Name)
	}
	retry := fetch.Retry{Sleep: m.Sleep, Logger: m.logger}
	hc := m.newFetchClient().HTTPClient()
	if prof.Format == program.FormatStars {
		c, err := stars.New(stars.Config{BaseURL: api.BaseURL, Token: api.Token, HTTPClient: hc, Retry: retry})
		if err != nil {
			return nil, usageError{fmt.Errorf("submit %s: %w", prof.Name, err)}
		}
		return starsSender{c}, nil
	}
	c, err := advocu.New(advocu.Config{BaseURL: api.BaseURL, Token: api.Token, HTTPClient: hc, Retry: retry, Sleep: m.Sleep})
	if err != nil {
		return nil, usageError{fmt.Errorf("submit %s: %w", prof.Name, err)}
	}
	return advocuSender{c}, nil
}

type starsSender struct{ c *stars.Client }

func (s starsSender) send(ctx context.Context, rowID string, pl export.Payload) (string, error) {
	var c stars.Contribution
	if err := json.Unmarshal(pl.Body, &c); err != nil {
		return "", fmt.Errorf("the Stars request of %s: %w", rowID, err)
	}
	res, err := s.c.Put(ctx, rowID, c)
	return res.ID, err
}
func (starsSender) safeToRepeat() bool { return true }
func (s starsSender) list(ctx context.Context) ([]stars.Contribution, error) {
	return s.c.List(ctx)
}

type advocuSender struct{ c *advocu.Client }

func (s advocuSender) send(ctx context.Context, _ string, pl export.Payload) (string, error) {
	return s.c.CreateDraft(ctx, pl.Kind, pl.Body)
}
func (advocuSender) safeToRepeat() bool                                 { return false }
func (advocuSender) list(context.Context) ([]stars.Contribution, error) { return nil, nil }

// submitRun is one submit run's state.
type submitRun struct {
	m    *Main
	w    io.Writer
	svc  harvester.LogService
	prof *program.Profile
	send sender
}

// sendAll sends rows in order. Each row is recorded as soon as the
// program has it; a request that is not safe to repeat is recorded as
// sending first, so that a run killed meanwhile never sends it twice. A
// refused row is reported and the run goes on; a program that stops
// answering (retries exhausted) ends the run.
func (r *submitRun) sendAll(ctx context.Context, rows []harvester.Contribution) error {
	sent, left, refused := 0, 0, 0
	var stopped error
	for i := range rows {
		row := &rows[i]
		pl, why, err := export.PayloadOf(r.prof, row)
		if err != nil {
			return err
		}
		if why != "" {
			fmt.Fprintf(r.w, "%s: not sent: %s\n", row.ID, why)
			left++
			continue
		}
		rec := harvester.NewSubmission(r.prof.Name, row, harvester.SubmittedSending, r.m.Now())
		rec.Title, rec.Values = row.Title, pl.Body
		if !r.send.safeToRepeat() {
			if err := r.svc.SaveSubmissions(ctx, []harvester.Submission{rec}); err != nil {
				return fmt.Errorf("record %s before sending it: %w", row.ID, err)
			}
		}
		id, err := r.send.send(ctx, row.ID, pl)
		var refusal *fetch.RefusedError
		switch {
		case err == nil:
			rec.How, rec.RemoteID, rec.At = harvester.SubmittedPushed, id, r.m.Now()
			if err := r.svc.SaveSubmissions(context.WithoutCancel(ctx), []harvester.Submission{rec}); err != nil {
				return fmt.Errorf("%s was sent (%s id %s), but recording it failed: %w; `contriblog submitted mark %s --program %s` records it by hand",
					row.ID, r.prof.Name, id, err, row.ID, r.prof.Name)
			}
			fmt.Fprintf(r.w, "%s: sent (%s id %s)\n", row.ID, r.prof.Name, orDash(id))
			sent++
			continue
		case errors.Is(err, fetch.ErrMaybeSent):
			// Recorded as sending: never sent again without a person.
			stopped = fmt.Errorf("%s: %w; it stays recorded as possibly sent", row.ID, err)
		case errors.As(err, &refusal) && refusal.TokenRefused():
			r.unrecord(ctx, row.ID)
			stopped = fmt.Errorf("%s refused the token (%d): check programs.%s.token", r.prof.Title, refusal.Status, r.prof.Name)
		case errors.As(err, &refusal):
			r.unrecord(ctx, row.ID)
			field := ""
			if refusal.Field != "" {
				field = " field " + refusal.Field
			}
			fmt.Fprintf(r.w, "%s: refused by %s%s: %s\n", row.ID, r.prof.Name, field, refusal.Message)
			refused++
			continue
		default:
			// Retries used up, the context cancelled: the program did not
			// take it.
			r.unrecord(ctx, row.ID)
			stopped = fmt.Errorf("%s: %w", row.ID, err)
		}
		break
	}
	if stopped == nil && r.send.safeToRepeat() && sent > 0 {
		r.reconcile(ctx)
	}
	fmt.Fprintf(r.w, "\n%s sent to %s", plural(sent, "row"), r.prof.Title)
	if refused > 0 {
		fmt.Fprintf(r.w, ", %s refused", plural(refused, "row"))
	}
	if left > 0 {
		fmt.Fprintf(r.w, ", %s left out (`contriblog check --program %s` says what to fix)", plural(left, "row"), r.prof.Name)
	}
	fmt.Fprintln(r.w, ".")
	if stopped != nil {
		fmt.Fprintf(r.w, "Stopped: %v. What was sent is recorded; run the same command again to send the rest.\n", stopped)
		return errSubmitIncomplete
	}
	if refused > 0 {
		return errSubmitIncomplete
	}
	return nil
}

// unrecord removes the sending record of a row the program did not take.
func (r *submitRun) unrecord(ctx context.Context, id string) {
	if r.send.safeToRepeat() {
		return
	}
	if _, err := r.svc.DeleteSubmissions(context.WithoutCancel(ctx), r.prof.Name, []string{id}); err != nil {
		fmt.Fprintf(r.w, "%s: the program refused it, but its record could not be removed (%v): `contriblog submitted unmark %s --program %s`\n",
			id, err, id, r.prof.Name)
	}
}

// reconcile reads back what the program holds and says what it lacks of
// what was recorded as pushed.
func (r *submitRun) reconcile(ctx context.Context) {
	held, err := r.send.list(ctx)
	if err != nil {
		fmt.Fprintf(r.w, "Could not read back what %s holds: %v\n", r.prof.Title, err)
		return
	}
	have := map[string]bool{}
	for _, c := range held {
		have[c.ID] = true
	}
	subs, err := r.svc.Submissions(ctx)
	if err != nil {
		return
	}
	var missing []string
	for _, s := range subs {
		if s.Program == r.prof.Name && s.How == harvester.SubmittedPushed && s.RemoteID != "" && !have[s.RemoteID] {
			missing = append(missing, s.ID)
		}
	}
	if len(missing) > 0 {
		fmt.Fprintf(r.w, "%s no longer holds %s recorded as sent: %s (deleted there? `contriblog submitted unmark ID --program %s` sends it again)\n",
			r.prof.Title, plural(len(missing), "row"), strings.Join(missing, ", "), r.prof.Name)
	}
}

// starsEntries are the Stars API's contributions as portal entries, for
// `submitted import stars`.
func starsEntries(list []stars.Contribution) []portal.Entry {
	out := make([]portal.Entry, 0, len(list))
	for _, c := range list {
		day := ""
		if t, err := time.Parse(time.RFC3339, c.Date); err == nil {
			day = t.UTC().Format(harvester.DateLayout)
		} else if len(c.Date) >= 10 {
			day = c.Date[:10]
		}
		raw, _ := json.Marshal(c)
		out = append(out, portal.Entry{RemoteID: c.ID, Title: harvester.CleanText(c.Title), Description: harvester.CleanText(c.Description),
			URL: c.URL, Date: day, Type: c.Type, Raw: raw})
	}
	return out
}
