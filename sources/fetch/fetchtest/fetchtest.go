// Package fetchtest holds test servers for code that fetches over HTTP.
package fetchtest

import (
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
)

// ServeOn starts h on ip, a loopback address, and closes it when the test
// ends: 127.0.0.1 and 127.0.0.2 are two hosts, as far as origins go, on
// one machine, which is what a test of a redirect to another host needs.
// The test is skipped where the address cannot be had.
func ServeOn(t testing.TB, ip string, h http.Handler) *httptest.Server {
	t.Helper()
	l, err := net.Listen("tcp", ip+":0")
	if err != nil {
		t.Skipf("cannot listen on %s: %v", ip, err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Listener.Close()
	srv.Listener = l
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}
