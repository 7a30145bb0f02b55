package demo

import (
	"io/fs"
	"net/http"
	"time"

	"github.com/contriblog/contriblog/sources/github/githubtest"
)

// newGitHubHandler serves data/github (search_items.json, repos.json,
// releases/OWNER_REPO.json) as the GitHub REST API, through the fake the
// github source's tests use too (githubtest): it pages, answers 304s and
// honours author:, like GitHub. The sample dates are {{RFC3339:-N}}
// tokens, filled in relative to now when the server starts, so the demo
// always shows the last year.
func newGitHubHandler(now func() time.Time) (http.Handler, error) {
	sub, err := fs.Sub(data, "data/github")
	if err != nil {
		return nil, err
	}
	d, err := githubtest.Load(sub, func(s string) string { return expandDates(s, now()) })
	if err != nil {
		return nil, err
	}
	return githubtest.New(d, githubtest.Options{Now: now}), nil
}
