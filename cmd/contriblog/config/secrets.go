package config

import (
	"strings"

	"github.com/contriblog/contriblog/sources/fetch"
	"github.com/contriblog/contriblog/sources/spec"
)

// envUse is one scalar whose value came, in part, from the environment.
type envUse struct {
	path  string // the key's path, e.g. sources[2].url
	value string // the whole value after expansion
	vars  []string
}

// notSecretKeys are the keys whose value, even from ${VAR}, says nothing
// secret and is printed everywhere (a row's Person, a source's name, the
// GitHub user in every repository's name): masking it would garble the
// output. Every other value from the environment is a
// secret (docs/security.md#what-is-redacted).
var notSecretKeys = []string{"person", "name", "type", "timezone", "since", "schedule", "enabled", "priority",
	"format", "keep", "excel", "max_bytes", "activity", "listen", "family", "role", "user", "speaker", "event"}

// minEnvSecretLen is how long a value from the environment must be to be
// masked when its key is not a token or a URL: masking every "azure" or
// "true" would garble every table.
const minEnvSecretLen = 8

// secrets collects the config's secrets: tokens (listen_token, a source's
// Secret keys), the secret parts of every URL key (a calendar's private
// address, ?token=, user:password@), and every value that came from
// ${VAR} outside notSecretKeys, shown as ${VAR}.
func (p *parser) secrets(cfg *Config) *fetch.Secrets {
	s := &fetch.Secrets{}
	s.Add(cfg.ListenToken, "***")
	tokenish := map[string]bool{"listen_token": true, "token": true}
	for _, api := range cfg.ProgramAPIs {
		s.Add(api.Token, "***")
		s.AddURL(api.BaseURL)
	}
	for _, src := range cfg.Sources {
		if src.Spec == nil {
			continue
		}
		for _, k := range src.Spec.Keys {
			switch v := src.Values.String(k.Name); k.Kind {
			case spec.Secret:
				s.Add(v, "***")
				tokenish[k.Name] = true
			case spec.URL:
				s.AddURL(v)
				tokenish[k.Name] = true
			}
		}
	}
	for _, u := range p.env {
		key := lastKey(u.path)
		if contains(notSecretKeys, key) {
			continue
		}
		s.AddURL(u.value)
		for _, name := range u.vars {
			if v := p.getenv(name); len(strings.TrimSpace(v)) >= minEnvSecretLen || tokenish[key] {
				s.Add(v, "${"+name+"}")
			}
		}
	}
	return s
}

// lastKey is the last key of a path: "url" for sources[2].url, "match"
// for sources[0].match[1].
func lastKey(path string) string {
	for strings.HasSuffix(path, "]") {
		i := strings.LastIndexByte(path, '[')
		if i < 0 {
			break
		}
		path = path[:i]
	}
	return path[strings.LastIndexByte(path, '.')+1:]
}
