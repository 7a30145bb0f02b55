package github

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	gh "github.com/google/go-github/v60/github"
)

// repositories harvests the public repositories the user created in the
// window and the releases they published in every repository they own.
// Both lists are fetched conditionally: an unchanged page is answered 304
// and its items come from the page cache.
func (p *pass) repositories(ctx context.Context) error {
	repos, err := p.ownedRepos(ctx)
	if isStatus(err, http.StatusNotFound) {
		return fmt.Errorf("user %s not found at %s: %w", p.s.cfg.User, p.s.cfg.BaseURL, err)
	}
	if err != nil {
		return fmt.Errorf("list repositories of %s: %w", p.s.cfg.User, err)
	}
	var errs []error
	for _, r := range repos {
		if o, ok := p.repoObservation(r); ok {
			p.add(o)
		}
		if err := p.releases(ctx, r); err != nil {
			var le *LimitError
			if errors.As(err, &le) || ctx.Err() != nil {
				return joinErrors(append(errs, err))
			}
			errs = append(errs, err) // one repository's trouble does not hide the others'
		}
	}
	return joinErrors(errs)
}

// ownedRepos lists the repositories the user owns (GitHub lists only the
// public ones of a user).
func (p *pass) ownedRepos(ctx context.Context) ([]*gh.Repository, error) {
	opts := &gh.RepositoryListByUserOptions{Type: "owner", ListOptions: gh.ListOptions{PerPage: perPage}}
	return listAll(ctx, p, &opts.ListOptions, trimRepo, func(ctx context.Context) ([]*gh.Repository, *gh.Response, error) {
		return p.s.client.Repositories.ListByUser(ctx, p.s.cfg.User, opts)
	})
}

// releases harvests the published releases the user authored in r.
func (p *pass) releases(ctx context.Context, r *gh.Repository) error {
	owner, name := r.GetOwner().GetLogin(), r.GetName()
	if owner == "" {
		owner = p.s.cfg.User
	}
	if name == "" || !strings.EqualFold(owner, p.s.cfg.User) {
		return nil
	}
	opts := &gh.ListOptions{PerPage: perPage}
	rels, err := listAll(ctx, p, opts, trimRelease, func(ctx context.Context) ([]*gh.RepositoryRelease, *gh.Response, error) {
		return p.s.client.Repositories.ListReleases(ctx, owner, name, opts)
	})
	if isStatus(err, http.StatusNotFound) {
		// Deleted or renamed since it was listed (or a server that keeps
		// no releases for it): nothing to harvest, nothing wrong.
		p.s.log.Debug("no releases: repository not found", "repository", owner+"/"+name)
		return nil
	}
	if err != nil {
		return fmt.Errorf("list releases of %s/%s: %w", owner, name, err)
	}
	for _, rel := range rels {
		if o, ok := p.releaseObservation(r, rel); ok {
			p.add(o)
		}
	}
	return nil
}

// listAll pages through a list endpoint to its end. Each page is asked
// with the ETag the cache holds for its URL; a 304 reuses the cached
// items and next page. trim keeps what the cache needs of an item.
func listAll[T any](ctx context.Context, p *pass, opts *gh.ListOptions, trim func(T) T,
	fetch func(ctx context.Context) ([]T, *gh.Response, error)) ([]T, error) {
	ctx = withCache(ctx, p.cache)
	var all []T
	for pages := 1; ; pages++ {
		var items []T
		var resp *gh.Response
		err := p.s.call(ctx, false, func(ctx context.Context) error {
			var err error
			items, resp, err = fetch(ctx)
			return err
		})
		next := 0
		if req, ok := isNotModified(err); ok {
			key := pageKey(req.URL)
			pg, found := p.cache.lookup(key)
			if !found || json.Unmarshal(pg.Items, &items) != nil {
				return nil, fmt.Errorf("GitHub answered 304 for %s, which this pass did not ask conditionally", key)
			}
			p.cache.put(key, pg)
			next = pg.Next
			p.s.log.Debug("list page unchanged", "page", key)
		} else if err != nil {
			return nil, err
		} else {
			next = resp.NextPage
			rememberPage(p, resp, items, trim)
		}
		all = append(all, items...)
		if next == 0 || next <= opts.Page || pages >= maxPages {
			return all, nil
		}
		opts.Page = next
	}
}

// rememberPage keeps a fetched page and its ETag for the next pass.
func rememberPage[T any](p *pass, resp *gh.Response, items []T, trim func(T) T) {
	if resp == nil || resp.Response == nil || resp.Request == nil {
		return
	}
	etag := resp.Header.Get("ETag")
	if etag == "" {
		return
	}
	kept := make([]T, len(items))
	for i, it := range items {
		kept[i] = trim(it)
	}
	b, err := json.Marshal(kept)
	if err != nil {
		return
	}
	p.cache.put(pageKey(resp.Request.URL), page{ETag: etag, Next: resp.NextPage, Items: b})
}
