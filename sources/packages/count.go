package packages

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/contriblog/contriblog/harvester"
)

// obsT is the observation a package becomes.
type obsT = harvester.Observation

// count reads a count a registry sent: a JSON integer from 0 to 2^63-1.
// A string, a fraction, a negative or larger number is an error, never a
// wrapped or guessed value (a JSON string holding digits is no count:
// json.Number would take it).
func count(raw json.RawMessage) (int64, error) {
	s := strings.TrimSpace(string(raw))
	switch {
	case s == "" || s == "null":
		return 0, errors.New("missing")
	case s[0] != '-' && (s[0] < '0' || s[0] > '9'):
		return 0, fmt.Errorf("%s is not a number", shortText(raw))
	}
	n, err := strconv.ParseInt(s, 10, 64)
	switch {
	case err != nil && errors.Is(err, strconv.ErrRange):
		return 0, fmt.Errorf("%s is too large to be a count", shortText(raw))
	case err != nil:
		return 0, fmt.Errorf("%s is not a whole number", shortText(raw))
	case n < 0:
		return 0, fmt.Errorf("%d is negative", n)
	}
	return n, nil
}

// addCount adds two counts, or says they overflow.
func addCount(a, b int64) (int64, error) {
	if b > math.MaxInt64-a {
		return 0, errors.New("the sum is too large to be a count")
	}
	return a + b, nil
}

// shortText is a value quoted in an error: plain, at most 40 characters.
func shortText(b []byte) string {
	return strconv.Quote(harvester.Truncate(harvester.CleanText(string(b)), 40))
}

// repoShorthand is npm's "owner/repo", meaning GitHub.
var repoShorthand = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$`)

// repoURL is a repository link as a web page: git+https://github.com/o/r.git,
// git://, git@github.com:o/r.git, github:o/r and o/r all become
// https://github.com/o/r. Anything that is no http(s) link after that is
// "" (a link that is not one joins nothing).
func repoURL(raw string) string {
	s := strings.TrimSpace(raw)
	s = strings.TrimPrefix(s, "git+")
	for prefix, host := range map[string]string{"github:": "github.com", "gitlab:": "gitlab.com", "bitbucket:": "bitbucket.org"} {
		if rest, ok := strings.CutPrefix(s, prefix); ok {
			s = "https://" + host + "/" + rest
		}
	}
	switch {
	case repoShorthand.MatchString(s):
		s = "https://github.com/" + s
	case strings.HasPrefix(s, "git@"):
		if host, path, ok := strings.Cut(strings.TrimPrefix(s, "git@"), ":"); ok {
			s = "https://" + host + "/" + path
		}
	case strings.HasPrefix(s, "ssh://git@"):
		s = "https://" + strings.TrimPrefix(s, "ssh://git@")
	case strings.HasPrefix(s, "git://"), strings.HasPrefix(s, "http://"):
		s = "https://" + s[strings.Index(s, "://")+3:]
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "https" || u.Host == "" || strings.ContainsAny(u.Host, "@ ") {
		return ""
	}
	u.User, u.RawQuery, u.Fragment, u.RawFragment = nil, "", "", ""
	u.Host = strings.ToLower(u.Host)
	path := strings.TrimSuffix(strings.TrimSuffix(u.Path, "/"), ".git")
	if u.Host == "github.com" || u.Host == "www.github.com" || u.Host == "gitlab.com" || u.Host == "bitbucket.org" {
		u.Host = strings.TrimPrefix(u.Host, "www.")
		// The repository itself, not a folder of it (a monorepo's
		// tree/main/packages/x): that is the row the github source has.
		if parts := strings.Split(strings.Trim(path, "/"), "/"); len(parts) >= 2 {
			path = "/" + parts[0] + "/" + strings.TrimSuffix(parts[1], ".git")
		}
	}
	u.Path, u.RawPath = path, ""
	return u.String()
}
