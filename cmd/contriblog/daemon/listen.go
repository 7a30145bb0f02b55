package daemon

import (
	"fmt"
	"net"
	"strings"
)

// isLoopback reports whether a listen address (host:port) binds only the
// loopback interface. An empty host binds every interface.
func isLoopback(listen string) (bool, error) {
	host, _, err := net.SplitHostPort(listen)
	if err != nil {
		return false, fmt.Errorf("listen %q: expected host:port, like 127.0.0.1:8787: %w", listen, err)
	}
	return isLoopbackHost(host), nil
}

// isLoopbackHost reports whether host (no port) names the loopback
// interface: localhost, 127.0.0.0/8 or ::1.
func isLoopbackHost(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// dialAddr is where a client on this machine reaches a daemon listening on
// listen: an unspecified host (":8787", "0.0.0.0:8787", "[::]:8787") is
// reached on loopback.
func dialAddr(listen string) (string, error) {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return "", fmt.Errorf("listen %q: expected host:port, like 127.0.0.1:8787: %w", listen, err)
	}
	switch ip := net.ParseIP(host); {
	case host == "":
		host = "127.0.0.1"
	case ip != nil && ip.IsUnspecified() && ip.To4() != nil:
		host = "127.0.0.1"
	case ip != nil && ip.IsUnspecified():
		host = "::1"
	}
	return net.JoinHostPort(host, port), nil
}
