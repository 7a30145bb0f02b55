package fetch

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"syscall"
	"testing"
	"time"
)

// The words of a failure to reach a host: one clause naming the host,
// never the transport's "Get \"URL\": dial tcp …" repeated after it, with
// the cause still in the chain for errors.Is and errors.As.
func TestNetErrorWords(t *testing.T) {
	c := New(Options{})
	dial := func(err error) error {
		return &url.Error{Op: "Get", URL: "https://blog.example.net/feed?token=s3cret",
			Err: &net.OpError{Op: "dial", Net: "tcp", Err: err}}
	}
	deadline, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	tests := []struct {
		name string
		ctx  context.Context
		err  error
		want string // "" for no *NetError
		is   error
	}{
		{"no such host", nil, dial(&net.DNSError{Name: "blog.example.net", Err: "no such host", IsNotFound: true}),
			"cannot resolve host blog.example.net: no such host", nil},
		{"dns timeout", nil, dial(&net.DNSError{Name: "api.github.com", Err: "i/o timeout", IsTimeout: true}),
			"cannot resolve host api.github.com: the DNS server did not answer in time", nil},
		{"dns other", nil, dial(&net.DNSError{Name: "x.example", Err: "server misbehaving"}),
			"cannot resolve host x.example: server misbehaving", nil},
		{"refused", nil, dial(os.NewSyscallError("connect", syscall.ECONNREFUSED)),
			"connection refused by blog.example.net", syscall.ECONNREFUSED},
		{"reset", nil, dial(os.NewSyscallError("read", syscall.ECONNRESET)),
			"connection reset by blog.example.net", syscall.ECONNRESET},
		{"unknown authority", nil, fmt.Errorf("tls: %w", x509.UnknownAuthorityError{}),
			"the TLS certificate of blog.example.net is not trusted: it is signed by an unknown authority", nil},
		{"expired", nil, x509.CertificateInvalidError{Reason: x509.Expired, Detail: "current time is after 2025-01-01"},
			"the TLS certificate of blog.example.net is not valid: certificate has expired or is not yet valid: current time is after 2025-01-01", nil},
		{"wrong name", nil, x509.HostnameError{Certificate: &x509.Certificate{DNSNames: []string{"other.example"}}, Host: "blog.example.net"},
			"the TLS certificate of blog.example.net is for another name: certificate is valid for other.example, not blog.example.net", nil},
		{"header timeout", nil, errors.New("net/http: timeout awaiting response headers"),
			"no answer from blog.example.net within 15s", nil},
		{"deadline", deadline, context.DeadlineExceeded,
			"timed out after 3s waiting for blog.example.net", context.DeadlineExceeded},
		{"closed", nil, io.EOF, "blog.example.net closed the connection without answering", io.EOF},
		{"cancelled", nil, context.Canceled, "", nil},
		{"other", nil, errors.New("stopped after 5 redirects"), "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := tt.ctx
			if ctx == nil {
				ctx = context.Background()
			}
			ne := c.netError(ctx, tt.err, "blog.example.net", 3200*time.Millisecond)
			if tt.want == "" {
				if ne != nil {
					t.Fatalf("netError = %q, want none", ne)
				}
				return
			}
			if ne == nil || ne.Error() != tt.want {
				t.Fatalf("netError = %v, want %q", ne, tt.want)
			}
			if tt.is != nil && !errors.Is(ne, tt.is) {
				t.Errorf("errors.Is(%v) false", tt.is)
			}
			// As an *http.Client wraps it, and as Plain shows it again.
			wrapped := &url.Error{Op: "Get", URL: "https://blog.example.net/feed?token=s3cret", Err: ne}
			p := Plain(fmt.Errorf("list repositories: %w", wrapped))
			if p.Error() != tt.want {
				t.Errorf("Plain = %q, want %q", p, tt.want)
			}
			var ue *url.Error
			if !errors.As(p, &ue) || (tt.is != nil && !errors.Is(p, tt.is)) {
				t.Errorf("Plain lost the chain: %#v", p)
			}
		})
	}
	if err := errors.New("x"); Plain(err) != err {
		t.Error("Plain changed an error without a *NetError")
	}
}
