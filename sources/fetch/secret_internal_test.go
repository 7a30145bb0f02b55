package fetch

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
)

// roundTripFunc is a RoundTripper made of a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }

// TestGetRefusesSecretsOverPlainHTTP: a request that carries a secret
// (user:password in the URL, Authorization, a header marked secret) to a
// plain-http host that is not this machine is refused before anything is
// dialled, with an error that names the host and not the secret. The same
// request without a secret goes out.
func TestGetRefusesSecretsOverPlainHTTP(t *testing.T) {
	const secret = "SECRET-9876"
	c := New(Options{})
	dialled := false
	c.http.Transport.(*transport).next = roundTripFunc(func(req *http.Request) (*http.Response, error) {
		dialled = true
		return nil, errors.New("no network in tests")
	})
	for _, tc := range []struct {
		name   string
		req    Request
		refuse bool
	}{
		{"user:password", Request{URL: "http://priya:" + secret + "@192.0.2.1/feed"}, true},
		{"authorization", Request{URL: "http://192.0.2.1/feed", Header: http.Header{"Authorization": {"Bearer " + secret}}}, true},
		{"cookie", Request{URL: "http://192.0.2.1/feed", Header: http.Header{"Cookie": {"s=" + secret}}}, true},
		{"marked secret", Request{URL: "http://192.0.2.1:8080/cal", Secret: http.Header{"X-Api-Key": {secret}}}, true},
		{"no secret", Request{URL: "http://192.0.2.1/feed", Header: http.Header{"X-Other": {"x"}}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dialled = false
			_, err := c.Get(context.Background(), tc.req)
			var ie *InsecureError
			if refused := errors.As(err, &ie); refused != tc.refuse || dialled == tc.refuse {
				t.Fatalf("refused %v, dialled %v (%v); want refused %v", refused, dialled, err, tc.refuse)
			}
			if tc.refuse && (strings.Contains(err.Error(), secret) || !strings.Contains(err.Error(), "192.0.2.1")) {
				t.Errorf("message %q: want the host and no secret", err)
			}
		})
	}
}
