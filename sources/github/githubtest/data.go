package githubtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
)

// Data is what the fake serves, in GitHub's JSON shapes.
type Data struct {
	// Items are the issues and pull requests search/issues finds.
	Items []map[string]any
	// Repos are the repositories users/USER/repos lists, by owner.login.
	Repos []map[string]any
	// Releases are each repository's releases, by "owner/repo". A
	// repository of Repos with none has an empty list.
	Releases map[string][]map[string]any
}

// Load reads Data from fsys: search_items.json, repos.json and
// releases/OWNER_REPO.json, each a JSON list; a missing file is an empty
// list. expand, if not nil, rewrites each file's text before it is
// decoded (the demo fills in dates relative to today).
func Load(fsys fs.FS, expand func(string) string) (Data, error) {
	d := Data{Releases: map[string][]map[string]any{}}
	var err error
	if d.Items, err = loadList(fsys, "search_items.json", expand); err != nil {
		return Data{}, err
	}
	if d.Repos, err = loadList(fsys, "repos.json", expand); err != nil {
		return Data{}, err
	}
	names, err := fs.Glob(fsys, "releases/*.json")
	if err != nil {
		return Data{}, err
	}
	for _, n := range names {
		owner, repo, ok := strings.Cut(strings.TrimSuffix(path.Base(n), ".json"), "_")
		if !ok {
			return Data{}, fmt.Errorf("sample %s: name it releases/OWNER_REPO.json", n)
		}
		if d.Releases[owner+"/"+repo], err = loadList(fsys, n, expand); err != nil {
			return Data{}, err
		}
	}
	return d, nil
}

func loadList(fsys fs.FS, name string, expand func(string) string) ([]map[string]any, error) {
	b, err := fs.ReadFile(fsys, name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	text := string(b)
	if expand != nil {
		text = expand(text)
	}
	var v []map[string]any
	if err := json.Unmarshal([]byte(text), &v); err != nil {
		return nil, fmt.Errorf("sample %s: %w", name, err)
	}
	return v, nil
}
