package packages

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/contriblog/contriblog/sources/fetch"
)

// npm's download counts (the download-counts page of github.com/npm/registry):
// GET /downloads/range/START:END/NAME gives a count per day; the API keeps
// the last 18 months only, and one range may span at most that. The
// window is read in ranges of at most npmRangeDays and summed.
const (
	npmRangeDays = 365
	npmKeepsDays = 540 // 18 months: the API has nothing older
	dayLayout    = "2006-01-02"
)

// npmPackage is one npm package: its downloads over the window, its page
// and its repository (from the registry's package document).
func (s *Source) npmPackage(ctx context.Context, name string) (obsT, error) {
	from, to := s.window()
	if oldest := to.AddDate(0, 0, -npmKeepsDays+1); from.Before(oldest) {
		from = oldest
	}
	var total int64
	for start := from; !start.After(to); start = start.AddDate(0, 0, npmRangeDays) {
		end := start.AddDate(0, 0, npmRangeDays-1)
		if end.After(to) {
			end = to
		}
		n, err := s.npmRange(ctx, name, start, end)
		if err != nil {
			return obsT{}, err
		}
		if total, err = addCount(total, n); err != nil {
			return obsT{}, fmt.Errorf("downloads: %w", err)
		}
	}
	doc, err := s.npmDocument(ctx, name)
	if err != nil {
		return obsT{}, err
	}
	o := s.observation("npm:"+name, name, "https://www.npmjs.com/package/"+name, repoURL(doc.repository()), doc.Description)
	o.Metrics = map[string]int64{"downloads": total}
	o.Meta["registry"] = "npm"
	o.Meta["downloads_from"], o.Meta["downloads_to"] = from.Format(dayLayout), to.Format(dayLayout)
	if v := doc.DistTags.Latest; v != "" {
		o.Meta["version"] = v
	}
	return o, nil
}

// window is the first and last day downloads are counted over: since to
// today, in the source's zone.
func (s *Source) window() (from, to time.Time) {
	now := s.cfg.Now().In(s.cfg.Location)
	to = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	from = to.AddDate(-1, 0, 0)
	if !s.cfg.Since.IsZero() {
		sn := s.cfg.Since.In(s.cfg.Location)
		from = time.Date(sn.Year(), sn.Month(), sn.Day(), 0, 0, 0, 0, time.UTC)
	}
	if from.After(to) {
		from = to
	}
	return from, to
}

// npmRange sums one range's daily counts. A package npm has no counts for
// in the range (published later) answers 404 "no stats" or an empty list:
// nothing downloaded then.
func (s *Source) npmRange(ctx context.Context, name string, start, end time.Time) (int64, error) {
	u := fmt.Sprintf("%s/downloads/range/%s:%s/%s", s.npmAPI, start.Format(dayLayout), end.Format(dayLayout), name)
	var doc struct {
		Error     json.RawMessage `json:"error"`
		Downloads []struct {
			Downloads json.RawMessage `json:"downloads"`
			Day       string          `json:"day"`
		} `json:"downloads"`
	}
	if err := s.getJSON(ctx, u, &doc); err != nil {
		var se *fetch.StatusError
		if errors.As(err, &se) && se.StatusCode == http.StatusNotFound {
			return 0, fmt.Errorf("npm has no such package (or no downloads in %s to %s)", start.Format(dayLayout), end.Format(dayLayout))
		}
		return 0, err
	}
	if len(doc.Error) > 0 && string(doc.Error) != "null" {
		return 0, fmt.Errorf("npm answered an error: %s", shortText(doc.Error))
	}
	var total int64
	for _, d := range doc.Downloads {
		n, err := count(d.Downloads)
		if err != nil {
			return 0, fmt.Errorf("downloads on %s: %w", shortText([]byte(d.Day)), err)
		}
		if total, err = addCount(total, n); err != nil {
			return 0, fmt.Errorf("downloads: %w", err)
		}
	}
	return total, nil
}

// npmDoc is what is read of the registry's package document.
type npmDoc struct {
	Description string          `json:"description"`
	Repository  json.RawMessage `json:"repository"` // "github:o/r", "o/r" or {type, url, directory}
	DistTags    struct {
		Latest string `json:"latest"`
	} `json:"dist-tags"`
}

func (d *npmDoc) repository() string {
	var s string
	if json.Unmarshal(d.Repository, &s) == nil {
		return s
	}
	var o struct {
		URL string `json:"url"`
	}
	if json.Unmarshal(d.Repository, &o) == nil {
		return o.URL
	}
	return ""
}

// npmDocument reads GET /{name} of the registry (a scoped name's / is
// escaped, as the registry wants it).
func (s *Source) npmDocument(ctx context.Context, name string) (*npmDoc, error) {
	var doc npmDoc
	if err := s.getJSON(ctx, s.npmReg+"/"+strings.Replace(name, "/", "%2F", 1), &doc); err != nil {
		var se *fetch.StatusError
		if errors.As(err, &se) && se.StatusCode == http.StatusNotFound {
			return nil, errors.New("the npm registry has no such package")
		}
		return nil, err
	}
	return &doc, nil
}

// getJSON GETs u and decodes its JSON body into v.
func (s *Source) getJSON(ctx context.Context, u string, v any) error {
	resp, err := s.cfg.Client.Get(ctx, fetch.Request{URL: u, Accept: "application/json", MaxBytes: s.cfg.MaxBytes})
	if err != nil {
		return err
	}
	defer resp.Release()
	if err := json.Unmarshal(resp.Body, v); err != nil {
		return fmt.Errorf("GET %s: not the JSON expected: %w", fetch.Redact(u), err)
	}
	return nil
}
