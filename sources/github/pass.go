package github

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/sources/fetch"
)

// Keys of SourceState.Data besides the page cache (see cache.go).
const (
	keyTokenFP    = "token_fingerprint" // a short hash, never the token
	keyCompleteAt = "complete_at"       // start of the last pass that finished every part
	keyFullAt     = "full_at"           // start of the last complete pass that searched the whole window
	keySince      = "since"             // the window start (YYYY-MM-DD) of the last complete pass
)

// fullEvery is how often a pass searches the whole window again instead of
// only what changed since the last pass: cheap insurance against anything
// the narrowed search cannot see (a repository renamed, say).
const fullEvery = 7 * 24 * time.Hour

// overlap is how far before the last complete pass a narrowed search
// starts, for GitHub's search index lag and clock skew.
const overlap = 7 * 24 * time.Hour

// pass is one harvest of one Source: the window, the page cache and what
// was found so far, by native id.
type pass struct {
	s     *Source
	now   time.Time
	since time.Time
	// updatedSince, when set, narrows the searches to items updated since
	// then: an item whose state changed (a pull request merged later) is
	// updated, so it is seen again.
	updatedSince time.Time
	prev         map[string]string
	cache        *pageCache
	found        map[string]int // native id -> index in obs
	obs          []harvester.Observation
	dropped      map[string]int // items left out, by reason (harvester.Batch.Dropped)
	complete     bool
}

// newPass reads state: the page cache and the incremental window are kept
// only when they were made with the same token (fingerprint) and host.
func (s *Source) newPass(state harvester.SourceState) *pass {
	now := s.cfg.Now()
	p := &pass{s: s, now: now, since: s.cfg.Since, found: map[string]int{}, prev: map[string]string{}, dropped: map[string]int{}}
	if p.since.IsZero() {
		p.since = now.AddDate(-1, 0, 0)
	}
	if state.Data[keyTokenFP] == s.tokenFP {
		p.prev = state.Data
	} else if len(state.Data) > 0 {
		s.log.Debug("token or host changed: conditional-request cache dropped")
	}
	p.cache = loadPageCache(p.prev)
	p.updatedSince = p.incrementalFrom()
	if !p.updatedSince.IsZero() {
		s.log.Debug("searching only what changed since the last complete pass", "updated_since", p.updatedSince.UTC().Format(time.RFC3339))
	}
	return p
}

// incrementalFrom is where a narrowed search starts, or zero for a full
// search of the window.
func (p *pass) incrementalFrom() time.Time {
	full, err1 := time.Parse(time.RFC3339, p.prev[keyFullAt])
	done, err2 := time.Parse(time.RFC3339, p.prev[keyCompleteAt])
	switch {
	case err1 != nil || err2 != nil:
		return time.Time{}
	case p.prev[keySince] == "" || sinceDay(p.since) < p.prev[keySince]:
		return time.Time{} // the window grew backwards: search it all
	case p.now.Sub(full) >= fullEvery || done.After(p.now):
		return time.Time{}
	}
	return done.Add(-overlap)
}

func sinceDay(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// part is one independently harvested kind of item. Parts of one rate
// category stop once that category is limited beyond MaxWait.
type part struct {
	name     string
	category string // "search" or "core", GitHub's rate-limit buckets
	run      func(ctx context.Context) error
}

// run harvests every part and joins their errors. A rate limit beyond
// MaxWait skips the rest of its category (a secondary limit, all of
// them): asking again would only hammer.
func (p *pass) run(ctx context.Context) error {
	parts := []part{
		{"pull requests", "search", func(ctx context.Context) error { return p.search(ctx, kindPull) }},
		{"issues", "search", func(ctx context.Context) error { return p.search(ctx, kindIssue) }},
		{"repositories and releases", "core", p.repositories},
	}
	limited := map[string]bool{}
	var errs []error
	for _, pt := range parts {
		if limited[pt.category] || limited["all"] {
			errs = append(errs, fmt.Errorf("%s: not harvested: rate limited", pt.name))
			continue
		}
		err := pt.run(ctx)
		if err == nil {
			continue
		}
		if ne := (*fetch.NetError)(nil); errors.As(err, &ne) && !ne.Timeout {
			// The host cannot be reached (no address, refused, a
			// certificate not accepted): every other part would fail the
			// same way. Say it once, in its own words.
			errs = append(errs, fetch.Plain(err))
			break
		}
		errs = append(errs, fmt.Errorf("%s: %w", pt.name, err))
		if ctx.Err() != nil {
			break
		}
		var le *LimitError
		if errors.As(err, &le) {
			limited[pt.category] = true
			if le.Kind != KindPrimary {
				limited["all"] = true
			}
		}
	}
	p.complete = len(errs) == 0
	return joinErrors(errs)
}

// joinedError is errors.Join on one line: a source's error is shown in a
// one-line-per-source table.
type joinedError struct{ errs []error }

func (e *joinedError) Error() string {
	msgs := make([]string, len(e.errs))
	for i, err := range e.errs {
		msgs[i] = err.Error()
	}
	return strings.Join(msgs, "; ")
}

func (e *joinedError) Unwrap() []error { return e.errs }

// joinErrors joins errs on one line; nil when there are none, the error
// itself when there is one.
func joinErrors(errs []error) error {
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	return &joinedError{errs: errs}
}

// add records an observation once per native id: one pull request or
// release seen twice (two search windows, shifted pages) is one
// contribution (docs/deduplication.md#rule-4-seen-again). The later sighting wins.
func (p *pass) add(o harvester.Observation) {
	if i, ok := p.found[o.NativeID]; ok {
		p.obs[i] = o
		return
	}
	p.found[o.NativeID] = len(p.obs)
	p.obs = append(p.obs, o)
}

// inWindow reports whether t is inside the harvest window. The start gets a
// day's slack: the harvester drops what is older than its Since by the
// person's calendar day, which may begin before Since in UTC.
func (p *pass) inWindow(t time.Time) bool {
	return !t.IsZero() && !t.Before(p.since.Add(-24*time.Hour))
}

// batch is what the pass found, with the state to keep: the page cache and
// the incremental markers, which move only when every part succeeded.
func (p *pass) batch() *harvester.Batch {
	data := p.cache.save(p.complete)
	data[keyTokenFP] = p.s.tokenFP
	if p.complete {
		data[keyCompleteAt] = p.now.UTC().Format(time.RFC3339)
		data[keySince] = sinceDay(p.since)
		data[keyFullAt] = p.prev[keyFullAt]
		if p.updatedSince.IsZero() {
			data[keyFullAt] = data[keyCompleteAt]
		}
	} else {
		for _, k := range []string{keyCompleteAt, keyFullAt, keySince} {
			if v := p.prev[k]; v != "" {
				data[k] = v
			}
		}
	}
	return &harvester.Batch{Observations: p.obs, Data: data, Dropped: p.dropped}
}
