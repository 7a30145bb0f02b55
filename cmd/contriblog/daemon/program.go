package daemon

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/export"
	"github.com/contriblog/contriblog/harvester/program"
)

// A program's export (GET /export.csv|.json?program=NAME) says which rows
// it left out, and why, in response headers: one LeftOutHeader line per
// row (id=…&why=…, URL-encoded), at most maxLeftOutHeaders of them, and
// LeftOutCountHeader with how many in all. The body stays the document
// alone, and the client prints the same warnings as a local export.
const (
	LeftOutHeader      = "X-Contriblog-Left-Out"
	LeftOutCountHeader = "X-Contriblog-Left-Out-Count"
	maxLeftOutHeaders  = 1000
)

// profile returns the profile of the program name, or of the config's
// program: for "".
func (d *Daemon) profile(name string) (*program.Profile, error) {
	lv := d.live()
	name = strings.ToLower(strings.TrimSpace(name))
	if name == "" {
		name = lv.Program
	}
	known := make([]string, 0, len(lv.Programs))
	for n := range lv.Programs {
		known = append(known, n)
	}
	sort.Strings(known)
	if name == "" {
		return nil, fmt.Errorf("no program: give program=NAME (%s), or set program: in the config", strings.Join(known, ", "))
	}
	if p, ok := lv.Programs[name]; ok {
		return p, nil
	}
	if s := harvester.SuggestName(name, known); s != "" {
		return nil, fmt.Errorf("unknown program %q (did you mean %q?)", name, s)
	}
	return nil, fmt.Errorf("unknown program %q; programs: %s", name, strings.Join(known, ", "))
}

// renderProgram encodes the stored rows that pass f as p's export.
func (d *Daemon) renderProgram(ctx context.Context, w io.Writer, p *program.Profile, format string, f harvester.Filter) (rows int, left []harvester.LeftOut, err error) {
	enc, err := export.NewProgram(p, format, w, export.Options{})
	if err != nil {
		return 0, nil, badRequest{err}
	}
	err = harvester.EachRow(ctx, d.Store, f, func(c *harvester.Contribution) error {
		if !c.Excluded {
			rows++ // less those left out, below
		}
		return enc.Encode(c)
	})
	if cerr := enc.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return rows, nil, fmt.Errorf("render the %s export as %s: %w", p.Name, format, err)
	}
	return rows - len(enc.LeftOut()), enc.LeftOut(), nil
}

// badRequest is a request the daemon refuses (400), not a failure of its own.
type badRequest struct{ error }

func (e badRequest) Unwrap() error { return e.error }

// setLeftOut writes the left-out rows' headers.
func setLeftOut(h http.Header, left []harvester.LeftOut) {
	if len(left) == 0 {
		return
	}
	h.Set(LeftOutCountHeader, strconv.Itoa(len(left)))
	for i, l := range left {
		if i == maxLeftOutHeaders {
			break
		}
		h.Add(LeftOutHeader, url.Values{"id": {l.ID}, "why": {l.Why}}.Encode())
	}
}

// leftOut reads the left-out rows' headers; past maxLeftOutHeaders, a
// last entry without an id says how many more there were.
func leftOut(h http.Header) []harvester.LeftOut {
	var out []harvester.LeftOut
	for _, v := range h.Values(LeftOutHeader) {
		q, err := url.ParseQuery(v)
		if err != nil {
			continue
		}
		out = append(out, harvester.LeftOut{ID: q.Get("id"), Why: q.Get("why")})
	}
	if n, err := strconv.Atoi(h.Get(LeftOutCountHeader)); err == nil && n > len(out) {
		out = append(out, harvester.LeftOut{Why: fmt.Sprintf("%d more rows were left out; `contriblog check` lists them", n-len(out))})
	}
	return out
}

// serveCheck answers GET /check with `contriblog check`'s problems as a
// JSON array: query program (default the config's), today (YYYY-MM-DD,
// default the daemon's day in its zone) and export's filters.
func (d *Daemon) serveCheck(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	name, today := q.Get("program"), q.Get("today")
	f, err := parseFilter(q, d.Config.Vocabulary, "program", "today")
	if err != nil {
		httpError(w, err.Error(), http.StatusBadRequest)
		return
	}
	if today == "" {
		today = d.now().In(d.live().Location).Format(harvester.DateLayout)
	} else if _, err := time.Parse(harvester.DateLayout, today); err != nil {
		httpError(w, fmt.Sprintf("today=%q: expected a date as YYYY-MM-DD", today), http.StatusBadRequest)
		return
	}
	p, err := d.profile(name)
	if err != nil {
		httpError(w, err.Error(), http.StatusBadRequest)
		return
	}
	if d.refusePerson(w, r, f.Person) {
		return
	}
	problems, err := d.check(r.Context(), p, f, today)
	if err != nil {
		httpError(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusOK, problems)
}

// check checks the stored rows that pass f against p (see
// harvester.LogService.Check).
func (d *Daemon) check(ctx context.Context, p *program.Profile, f harvester.Filter, today string) ([]harvester.Problem, error) {
	edits, err := d.Store.Edits(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the edits: %w", err)
	}
	k, err := program.NewChecker(p, edits, today, f.All)
	if err != nil {
		return nil, err
	}
	out := []harvester.Problem{}
	all := f
	all.All = true // an excluded row may still hold a merge
	err = d.Store.ForEachContribution(ctx, func(c *harvester.Contribution) error {
		if all.Match(c) {
			out = append(out, k.Check(c)...)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("check the log: %w", err)
	}
	return out, nil
}

// Check returns the daemon's `contriblog check` of req.
func (c *Client) Check(ctx context.Context, req harvester.CheckRequest) ([]harvester.Problem, error) {
	ctx, cancel := withReadTimeout(ctx)
	defer cancel()
	q := filterQuery(req.Filter)
	q.Set("program", req.Program)
	if req.Today != "" {
		q.Set("today", req.Today)
	}
	var out []harvester.Problem
	if err := c.getJSON(ctx, "/check?"+q.Encode(), &out); err != nil {
		return nil, err
	}
	return out, nil
}
