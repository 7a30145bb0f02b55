// Package packagestest is a fake of the npm download counts API, the npm
// registry's package documents and NuGet's search service, in their
// shapes, for the packages source's tests and for `contriblog demo`:
//
//	/npm/downloads/range/START:END/NAME   npm's daily download counts
//	/registry/NAME                        npm's package document (scoped: @scope%2Fname)
//	/nuget/query?q=packageid:ID           NuGet's search, with totalDownloads
//
// It records every request. It imports only the standard library.
package packagestest

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"strings"
	"sync"
	"time"
)

// NPM is one npm package the fake knows.
type NPM struct {
	Daily       int64     `json:"daily"`     // downloads each day
	Published   time.Time `json:"published"` // no downloads before
	Repository  any       `json:"repository"`
	Description string    `json:"description"`
	Latest      string    `json:"latest"`
	// RawDaily, when set, is sent as each day's count as it is (a
	// hostile value: "12", -5, 9223372036854775808).
	RawDaily string `json:"-"`
}

// NuGet is one NuGet package the fake knows.
type NuGet struct {
	ID          string `json:"id"` // as the registry spells it
	Version     string `json:"version"`
	Description string `json:"description"`
	ProjectURL  string `json:"projectUrl"`
	Total       int64  `json:"totalDownloads"`
	RawTotal    string `json:"-"` // sent instead of Total when set
}

// Fake serves the packages it knows. Change it under Do while it serves.
type Fake struct {
	NPM   map[string]NPM   `json:"npm"`
	NuGet map[string]NuGet `json:"nuget"` // by id, lowercase
	// Requests are the paths and queries received, in order.
	Requests []string `json:"-"`
	mu       sync.Mutex
}

// Do runs fn with the fake locked.
func (f *Fake) Do(fn func(*Fake)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn(f)
}

// ServeHTTP answers the three endpoints.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Requests = append(f.Requests, r.URL.RequestURI())
	switch p := r.URL.Path; {
	case strings.HasPrefix(p, "/npm/downloads/range/"):
		f.npmRange(w, strings.TrimPrefix(p, "/npm/downloads/range/"))
	case strings.HasPrefix(p, "/registry/"):
		f.npmDoc(w, strings.TrimPrefix(p, "/registry/"))
	case p == "/nuget/query":
		f.nugetQuery(w, r.URL.Query().Get("q"))
	default:
		http.NotFound(w, r)
	}
}

func (f *Fake) npmRange(w http.ResponseWriter, rest string) {
	period, name, _ := strings.Cut(rest, "/")
	a, b, _ := strings.Cut(period, ":")
	start, err1 := time.Parse("2006-01-02", a)
	end, err2 := time.Parse("2006-01-02", b)
	pkg, ok := f.NPM[name]
	switch {
	case err1 != nil || err2 != nil || end.Before(start):
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "invalid date"})
		return
	case end.Sub(start) > 550*24*time.Hour:
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "range too long"})
		return
	case !ok:
		writeJSON(w, http.StatusNotFound, map[string]any{"error": "package " + name + " not found"})
		return
	}
	var days []string
	for d := start; !d.After(end); d = d.AddDate(0, 0, 1) {
		if d.Before(pkg.Published.Truncate(24 * time.Hour)) {
			continue
		}
		n := fmt.Sprint(pkg.Daily)
		if pkg.RawDaily != "" {
			n = pkg.RawDaily
		}
		days = append(days, fmt.Sprintf(`{"downloads":%s,"day":%q}`, n, d.Format("2006-01-02")))
	}
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"start":%q,"end":%q,"package":%q,"downloads":[%s]}`, a, b, name, strings.Join(days, ","))
}

func (f *Fake) npmDoc(w http.ResponseWriter, name string) {
	pkg, ok := f.NPM[name]
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]any{"error": "Not found"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"_id": name, "name": name, "description": pkg.Description,
		"dist-tags": map[string]string{"latest": pkg.Latest}, "repository": pkg.Repository})
}

func (f *Fake) nugetQuery(w http.ResponseWriter, q string) {
	id, ok := strings.CutPrefix(q, "packageid:")
	var data []string
	if pkg, found := f.NuGet[strings.ToLower(id)]; ok && found {
		total := fmt.Sprint(pkg.Total)
		if pkg.RawTotal != "" {
			total = pkg.RawTotal
		}
		b, _ := json.Marshal(map[string]any{"@type": "Package", "registration": "https://api.nuget.org/v3/registration5-semver1/" + strings.ToLower(pkg.ID) + "/index.json",
			"id": pkg.ID, "version": pkg.Version, "description": pkg.Description, "projectUrl": pkg.ProjectURL, "verified": false})
		data = append(data, strings.TrimSuffix(string(b), "}")+`,"totalDownloads":`+total+"}")
	}
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"@context":{"@vocab":"http://schema.nuget.org/schema#"},"totalHits":%d,"data":[%s]}`, len(data), strings.Join(data, ","))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// Load reads a fake from fsys's packages.json ({"npm": {NAME: NPM},
// "nuget": {id: NuGet}}); expand, if not nil, rewrites its text before it
// is decoded (the demo fills in dates relative to today).
func Load(fsys fs.FS, expand func(string) string) (*Fake, error) {
	b, err := fs.ReadFile(fsys, "packages.json")
	if err != nil {
		return nil, err
	}
	text := string(b)
	if expand != nil {
		text = expand(text)
	}
	f := &Fake{}
	if err := json.Unmarshal([]byte(text), f); err != nil {
		return nil, fmt.Errorf("sample packages.json: %w", err)
	}
	return f, nil
}
