package packages

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// nugetPackage is one NuGet package, from the search service
// (learn.microsoft.com/nuget/api/search-query-service-resource):
// GET /query?q=packageid:ID&prerelease=true&semVerLevel=2.0.0 gives its
// totalDownloads — all time: NuGet publishes no downloads per day — and
// its projectUrl, usually the repository.
func (s *Source) nugetPackage(ctx context.Context, id string) (obsT, error) {
	u := s.nugetAPI + "/query?q=packageid:" + url.QueryEscape(id) + "&prerelease=true&semVerLevel=2.0.0"
	var doc struct {
		Data []struct {
			ID             string          `json:"id"`
			Version        string          `json:"version"`
			Description    string          `json:"description"`
			ProjectURL     string          `json:"projectUrl"`
			TotalDownloads json.RawMessage `json:"totalDownloads"`
		} `json:"data"`
	}
	if err := s.getJSON(ctx, u, &doc); err != nil {
		return obsT{}, err
	}
	for _, d := range doc.Data {
		if !strings.EqualFold(d.ID, id) {
			continue
		}
		n, err := count(d.TotalDownloads)
		if err != nil {
			return obsT{}, fmt.Errorf("totalDownloads: %w", err)
		}
		name := id
		if CheckNuGetID(d.ID) == nil {
			name = d.ID // as the registry spells it
		}
		o := s.observation("nuget:"+strings.ToLower(id), name, "https://www.nuget.org/packages/"+name, repoURL(d.ProjectURL), d.Description)
		o.Metrics = map[string]int64{"downloads": n}
		o.Meta["registry"] = "nuget"
		o.Meta["downloads_from"] = "all time"
		if d.Version != "" {
			o.Meta["version"] = shortText([]byte(d.Version))
		}
		return o, nil
	}
	return obsT{}, errors.New("NuGet's search finds no package with this id")
}
