package fetch

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// NetError is a request that got no HTTP answer: its host has no address,
// refused or reset the connection, did not answer in time, or presented a
// TLS certificate that is not accepted. Error is one plain clause that
// names the host ("cannot resolve host api.github.com: no such host",
// "connection refused by 127.0.0.1:9"); the transport's own wording, which
// repeats the URL and the stage ("Get \"…\": dial tcp …: connect:
// connection refused"), stays in the chain: Unwrap gives it, so
// errors.Is(err, syscall.ECONNREFUSED) and errors.As(err, **net.DNSError)
// hold. The words are the ones
// docs/sources.md#what-happens-when-a-source-misbehaves lists.
type NetError struct {
	Host    string // host[:port] as the URL names it; never user:password
	Timeout bool   // the host (or its DNS server) did not answer in time
	msg     string
	err     error
}

func (e *NetError) Error() string { return e.msg }
func (e *NetError) Unwrap() error { return e.err }

// netError describes err, a round trip's failure to reach host, as a
// *NetError; nil when err is no such failure (a refused secret, a redirect
// cap, a cancelled context), which the caller keeps as it is. elapsed is
// how long the request ran, for a deadline the caller's context set.
func (c *Client) netError(ctx context.Context, err error, host string, elapsed time.Duration) *NetError {
	ne := &NetError{Host: host, err: err}
	var (
		dnsErr   *net.DNSError
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
		invalid  x509.CertificateInvalidError
		verify   *tls.CertificateVerificationError
		record   tls.RecordHeaderError
		opErr    *net.OpError
	)
	switch {
	case errors.Is(err, context.Canceled):
		return nil // stopped, not failed: the caller says "interrupted"
	case errors.As(err, &dnsErr):
		ne.Timeout = dnsErr.IsTimeout
		ne.msg = "cannot resolve host " + dnsErr.Name + ": " + dnsReason(dnsErr)
	case errors.Is(err, syscall.ECONNREFUSED):
		ne.msg = "connection refused by " + host
	case errors.Is(err, syscall.ECONNRESET):
		ne.msg = "connection reset by " + host
	case errors.As(err, &unknown):
		ne.msg = "the TLS certificate of " + host + " is not trusted: it is signed by an unknown authority"
	case errors.As(err, &hostname):
		ne.msg = "the TLS certificate of " + host + " is for another name: " + strings.TrimPrefix(hostname.Error(), "x509: ")
	case errors.As(err, &invalid):
		ne.msg = "the TLS certificate of " + host + " is not valid: " + strings.TrimPrefix(invalid.Error(), "x509: ")
	case errors.As(err, &verify):
		ne.msg = "the TLS certificate of " + host + " is not accepted: " + strings.TrimPrefix(verify.Err.Error(), "x509: ")
	case errors.As(err, &record):
		ne.msg = host + " does not speak TLS (an http:// server behind an https:// URL?)"
	case strings.Contains(err.Error(), "timeout awaiting response headers"):
		ne.Timeout = true
		ne.msg = fmt.Sprintf("no answer from %s within %s", host, c.opts.HeaderTimeout)
	case strings.Contains(err.Error(), "TLS handshake timeout"):
		ne.Timeout = true
		ne.msg = fmt.Sprintf("no TLS handshake with %s within %s", host, c.opts.ConnectTimeout)
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded):
		ne.Timeout = true
		ne.msg = fmt.Sprintf("timed out after %s waiting for %s", roundElapsed(elapsed), host)
	case errors.As(err, &opErr) && opErr.Timeout():
		ne.Timeout = true
		ne.msg = fmt.Sprintf("%s did not accept a connection within %s", host, c.opts.ConnectTimeout)
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		ne.msg = host + " closed the connection without answering"
	default:
		return nil
	}
	return ne
}

// dnsReason is why a name did not resolve, in a resolver's words.
func dnsReason(e *net.DNSError) string {
	switch {
	case e.IsNotFound:
		return "no such host"
	case e.IsTimeout:
		return "the DNS server did not answer in time"
	case e.Err != "":
		return e.Err
	}
	return "lookup failed"
}

// roundElapsed shows a duration as a person reads it: whole seconds from
// one second up.
func roundElapsed(d time.Duration) time.Duration {
	if d >= time.Second {
		return d.Round(time.Second)
	}
	return d.Round(10 * time.Millisecond)
}

// Plain is err shown as the one clause of the *NetError it holds, when it
// holds one: "connection refused by HOST" rather than "Get \"URL\":
// connection refused by HOST", as an *http.Client (go-github's among them)
// wraps it. Everything err wraps stays in the chain. An err without a
// *NetError is returned as it is.
func Plain(err error) error {
	var ne *NetError
	if !errors.As(err, &ne) || err == error(ne) {
		return err
	}
	return &plainError{msg: ne.msg, err: err}
}

// withoutURL is err, an *url.Error of an *http.Client, shown without its
// "Get \"URL\": " (the caller names the URL, redacted); other errors are
// returned as they are.
func withoutURL(err error) error {
	var ue *url.Error
	if !errors.As(err, &ue) || ue.Err == nil || err != error(ue) {
		return err
	}
	return &plainError{msg: ue.Err.Error(), err: err}
}

// plainError shows msg and wraps err.
type plainError struct {
	msg string
	err error
}

func (e *plainError) Error() string { return e.msg }
func (e *plainError) Unwrap() error { return e.err }
