package github

import (
	"context"
	"fmt"
	"strings"
	"time"

	gh "github.com/google/go-github/v60/github"
)

// Kinds of search, as the is: qualifier spells them. GitHub answers some
// tokens' searches without one with 422, so every query names its kind.
const (
	kindPull  = "pr"
	kindIssue = "issue"
)

// maxPages stops a list whose server keeps naming a next page.
const maxPages = 2000

// queryTime is how a search qualifier spells an instant.
const queryTime = "2006-01-02T15:04:05Z"

// search harvests the user's pull requests or issues created in the
// window (and, on a narrowed pass, updated since updatedSince).
func (p *pass) search(ctx context.Context, kind string) error {
	from := p.since.UTC().Truncate(24 * time.Hour)
	return p.searchSpan(ctx, kind, from, time.Time{}, true)
}

// query builds the search for created in [from, to] (to zero: open ended).
// The top-level query spells the window as GitHub's docs do
// (created:>=YYYY-MM-DD); split parts use instants.
func (p *pass) query(kind string, from, to time.Time, top bool) string {
	q := []string{"is:" + kind, "author:" + p.s.cfg.User}
	switch {
	case top:
		q = append(q, "created:>="+from.Format(time.DateOnly))
	case to.IsZero():
		q = append(q, "created:>="+from.UTC().Format(queryTime))
	default:
		q = append(q, "created:"+from.UTC().Format(queryTime)+".."+to.UTC().Format(queryTime))
	}
	if !p.updatedSince.IsZero() {
		q = append(q, "updated:>="+p.updatedSince.UTC().Format(queryTime))
	}
	// No is:public: on GitHub Enterprise most work is in internal
	// repositories. What a search sees is the token's to decide (README).
	return strings.Join(q, " ")
}

// searchSpan pages through one query to its end. When GitHub counts more
// results than it will serve (1,000), the span is split in halves,
// recursively, until each part fits.
func (p *pass) searchSpan(ctx context.Context, kind string, from, to time.Time, top bool) error {
	q := p.query(kind, from, to, top)
	opts := &gh.SearchOptions{Sort: "created", Order: "asc", ListOptions: gh.ListOptions{PerPage: perPage}}
	seen := 0
	for pages := 1; ; pages++ {
		var res *gh.IssuesSearchResult
		var resp *gh.Response
		err := p.s.call(ctx, true, func(ctx context.Context) error {
			var err error
			res, resp, err = p.s.client.Search.Issues(ctx, q, opts)
			return err
		})
		if err != nil {
			return fmt.Errorf("search %q: %w", q, err)
		}
		p.s.log.Debug("searched", "query", q, "page", max(opts.Page, 1), "total", res.GetTotal(), "items", len(res.Issues))
		if pages == 1 && res.GetTotal() > p.s.searchCap {
			if lo, hi, ok := split(from, to, p.now); ok {
				p.s.log.Debug("search over GitHub's result cap: splitting", "query", q, "total", res.GetTotal())
				if err := p.searchSpan(ctx, kind, from, lo, false); err != nil {
					return err
				}
				return p.searchSpan(ctx, kind, hi, to, false)
			}
			p.s.log.Warn("more search results in one second than GitHub serves: some are missed", "query", q, "total", res.GetTotal())
		}
		if res.GetIncompleteResults() {
			p.s.log.Warn("GitHub search timed out and gave incomplete results; the next pass will look again", "query", q)
		}
		for _, it := range res.Issues {
			if o, ok := p.issueObservation(it); ok {
				p.add(o)
			}
		}
		seen += len(res.Issues)
		if resp.NextPage == 0 || resp.NextPage <= opts.Page || pages >= maxPages || seen >= p.s.searchCap {
			return nil
		}
		opts.Page = resp.NextPage
	}
}

// split halves [from, to] (to zero: up to now, open ended) at a whole
// second: the lower half ends at mid, the upper begins a second later,
// since search ranges include both ends. It fails for a span too short to
// halve.
func split(from, to, now time.Time) (lo, hi time.Time, ok bool) {
	end := to
	if end.IsZero() {
		end = now
	}
	if end.Sub(from) < 2*time.Second {
		return time.Time{}, time.Time{}, false
	}
	mid := from.Add(end.Sub(from) / 2).Truncate(time.Second)
	return mid, mid.Add(time.Second), true
}
