package fetch

import (
	"errors"
	"fmt"
	"net/url"
)

// ParseBaseURL checks the base URL of an API (GitHub, Stars, Advocu): an
// absolute http(s) URL with a host and no credentials, query or fragment,
// where a token would not belong. Its errors show the URL redacted.
// Callers add or trim the trailing slash their API wants.
func ParseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, errors.New("not a URL")
	}
	shown := Redact(raw)
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("%s: must be an http or https URL", shown)
	case u.Host == "":
		return nil, fmt.Errorf("%s: has no host", shown)
	case u.User != nil:
		return nil, fmt.Errorf("%s: must not carry credentials; give the token", shown)
	case u.RawQuery != "" || u.Fragment != "":
		return nil, fmt.Errorf("%s: must not have a query or fragment", shown)
	}
	u.RawPath = ""
	return u, nil
}
