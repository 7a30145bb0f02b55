package daemon

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/contriblog/contriblog/harvester"
)

// A pass whose log was not rebuilt says why, through the report, so that
// `contriblog harvest` beside a daemon prints "log: not rebuilt (…)" as a
// pass run in the command does.
func TestPassReportCarriesTheLogError(t *testing.T) {
	why := errors.New("save batch: disk full")
	rep := newPassReport(outcome{Pass: &harvester.Pass{Rows: 12, LogErr: why,
		Results: []harvester.Result{{Source: "a", New: 1}}}})
	if rep.LogError != why.Error() {
		t.Errorf("report's log error %q; want %q", rep.LogError, why)
	}
	p := rep.Pass()
	if p.LogErr == nil || p.LogErr.Error() != why.Error() || p.Rows != 12 {
		t.Errorf("report as a pass: rows %d, log error %v", p.Rows, p.LogErr)
	}
	ok := newPassReport(outcome{Pass: &harvester.Pass{Rows: 3}})
	if p := ok.Pass(); p.LogErr != nil {
		t.Errorf("a rebuilt log's report has a log error: %v", p.LogErr)
	}
}

// Error bodies that quote outside text (here an id from the request's
// path) are made printable: a client shows them to a person.
func TestErrorBodiesArePrintable(t *testing.T) {
	d, _, _ := apiDaemon(t, Config{})
	edit := func(ctx context.Context, ids []string, _ harvester.EditRequest) ([]harvester.Contribution, error) {
		id := ids[0]
		return nil, fmt.Errorf("contribution %s: %w", id, harvester.ErrNotFound)
	}
	rebuild := func(context.Context) error { return nil }
	setEdit(d, edit, rebuild)
	srv := serve(t, d)
	resp, body := request(t, "POST", srv.URL+"/edit/a%1B%5D52%3Bc%3Bx%07%E2%80%AE", "", "title=x")
	if resp.StatusCode != 404 || strings.ContainsAny(body, "\x1b\x07\u202e") || !strings.Contains(body, `a\x1b]52;c;x\x07\u202e`) {
		t.Errorf("%d %q; want 404 with the id escaped", resp.StatusCode, body)
	}
}
