package main

import (
	"context"
	"io"
	"sync"

	"github.com/contriblog/contriblog/cmd/contriblog/config"
	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/sources/fetch"
)

// Secrets never leave contriblog (docs/security.md#what-is-redacted). The
// sources mask the URLs they quote; on top of that, two nets catch what
// any of them misses, with the config's own list of its secrets
// (config.Config.Secrets):
//
//   - redactedSource, around every source, masks them in what a pass
//     stores — observations, source data, the error kept as the source's
//     status — so that the database, the exports and the daemon's answers
//     never hold one; and drops any link that holds one or that is a
//     listing source's URL (a calendar's, a Sessionize endpoint's), so
//     that no contribution is linked to a listing whatever its source;
//   - redactWriter, around stdout and stderr, masks them in everything
//     printed: tables, exports, errors and log lines.

// redactedSource is a source whose batches and errors hold no secret and
// no listing URL.
type redactedSource struct {
	harvester.Source
	secrets  *fetch.Secrets
	listings []string // canonical URLs of the config's listing sources
}

var _ harvester.Source = redactedSource{}

// withoutSecrets wraps src for cfg; a config with neither secrets nor
// listing sources leaves it as it is.
func withoutSecrets(src harvester.Source, cfg *config.Config) harvester.Source {
	var listings []string
	for _, sc := range cfg.Sources {
		if sc.Spec == nil || sc.Spec.ListingKey == "" {
			continue
		}
		raw := sc.Values.String(sc.Spec.ListingKey)
		for _, u := range []string{raw, fetch.Public(raw)} {
			if c := harvester.CanonicalURL(u); c != "" {
				listings = append(listings, c)
			}
		}
	}
	if cfg.Secrets.Len() == 0 && len(listings) == 0 {
		return src
	}
	return redactedSource{Source: src, secrets: cfg.Secrets, listings: listings}
}

// Unwrap returns the source wrapped.
func (s redactedSource) Unwrap() harvester.Source { return s.Source }

// Harvest implements harvester.Source.
func (s redactedSource) Harvest(ctx context.Context, st harvester.SourceState) (*harvester.Batch, error) {
	b, err := s.Source.Harvest(ctx, st)
	if b != nil {
		for i := range b.Observations {
			s.scrub(&b.Observations[i])
		}
		for k, v := range b.Data {
			b.Data[k] = s.secrets.Redact(v)
		}
	}
	if err != nil && s.secrets.Contains(err.Error()) {
		err = redactedError{msg: s.secrets.Redact(err.Error()), err: err}
	}
	return b, err
}

// scrub masks the secrets in o's text and drops its links that hold one or
// that are listings.
func (s redactedSource) scrub(o *harvester.Observation) {
	o.URL, o.CanonicalURL = s.link(o.URL), s.link(o.CanonicalURL)
	if o.URL == "" {
		o.URLIsListing = false
	}
	others := o.OtherURLs[:0]
	for _, u := range o.OtherURLs {
		if u = s.link(u); u != "" {
			others = append(others, u)
		}
	}
	o.OtherURLs = others
	for _, p := range []*string{&o.NativeID, &o.Title, &o.Description, &o.FeedTitle, &o.Role, &o.PrimaryArea} {
		*p = s.secrets.Redact(*p)
	}
	for _, list := range [][]string{o.Authors, o.Categories, o.AdditionalAreas, o.TargetAudience} {
		for i := range list {
			list[i] = s.secrets.Redact(list[i])
		}
	}
	for k, v := range o.Meta {
		if rk, rv := s.secrets.Redact(k), s.secrets.Redact(v); rk != k || rv != v {
			delete(o.Meta, k)
			o.Meta[rk] = rv
		}
	}
}

// link is u, or "" when u holds a secret or is a listing's URL.
func (s redactedSource) link(u string) string {
	if u == "" || s.secrets.Contains(u) {
		return ""
	}
	c := harvester.CanonicalURL(u)
	for _, l := range s.listings {
		if c != "" && c == l {
			return ""
		}
	}
	return u
}

// redactedError is an error whose message has its secrets masked; errors.Is
// and errors.As still see the original.
type redactedError struct {
	msg string
	err error
}

func (e redactedError) Error() string { return e.msg }
func (e redactedError) Unwrap() error { return e.err }

// redactWriter masks the config's secrets in what is written through it.
// A secret may be split over two writes, so the end of a write that could
// begin one is held back until the next write or Flush.
type redactWriter struct {
	mu      sync.Mutex
	w       io.Writer
	secrets func() *fetch.Secrets
	held    string
}

// Write implements io.Writer; it reports len(p) written when the
// underlying writer took what was passed on.
func (r *redactWriter) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.secrets()
	if s.Len() == 0 && r.held == "" {
		return r.w.Write(p)
	}
	text := s.Redact(r.held + string(p))
	keep := heldBack(text, s)
	r.held = text[len(text)-keep:]
	if _, err := io.WriteString(r.w, text[:len(text)-keep]); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush writes what was held back.
func (r *redactWriter) Flush() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.held == "" {
		return nil
	}
	_, err := io.WriteString(r.w, r.held)
	r.held = ""
	return err
}

// heldBack is the length of the longest end of text that a secret starts
// with (and is longer than): what must wait for the next write.
func heldBack(text string, s *fetch.Secrets) int {
	for k := min(len(text), s.MaxLen()-1); k > 0; k-- {
		if s.PrefixAt(text[len(text)-k:]) {
			return k
		}
	}
	return 0
}
