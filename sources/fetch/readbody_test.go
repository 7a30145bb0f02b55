package fetch

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
)

// The announced length only sizes the buffer: a body longer or shorter
// than it, or none announced, reads whole, and an absurd one allocates no
// more than the limit allows.
func TestReadBodyWhateverTheAnnouncedLength(t *testing.T) {
	body := strings.Repeat("<item>x</item>", 1000)
	tests := []struct {
		name    string
		length  int64
		limit   int64
		wantErr error
	}{
		{"exact", int64(len(body)), 1 << 20, nil},
		{"none", -1, 1 << 20, nil},
		{"shorter than the body", 10, 1 << 20, nil},
		{"longer than the body", int64(len(body)) * 3, 1 << 20, nil},
		{"absurd", 1 << 50, 1 << 20, nil},
		{"over the limit", int64(len(body)), 100, ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := &http.Response{ContentLength: tt.length, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(body))}
			buf, err := readBody(resp, tt.limit)
			var got []byte
			if buf != nil {
				got = *buf
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err %v, want %v", err, tt.wantErr)
			}
			if err == nil && string(got) != body {
				t.Errorf("read %d bytes, want the %d of the body", len(got), len(body))
			}
			if cap(got) > 2*(1<<20) {
				t.Errorf("buffer of %d bytes for a body of %d", cap(got), len(body))
			}
		})
	}
}

// A released body is gone from its Response; releasing twice, or a 304's
// body, does nothing; a later body read into the released buffer is read
// whole whatever its length.
func TestRelease(t *testing.T) {
	small, large := strings.Repeat("a", 700), strings.Repeat("<item>y</item>", 5000)
	for _, body := range []string{large, small, large} {
		resp := &http.Response{ContentLength: -1, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(body))}
		buf, err := readBody(resp, 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		r := &Response{Body: *buf, buf: buf}
		if string(r.Body) != body {
			t.Fatalf("read %d bytes, want %d", len(r.Body), len(body))
		}
		r.Release()
		if r.Body != nil || r.buf != nil {
			t.Error("Body kept after Release")
		}
		r.Release()
	}
	(&Response{NotModified: true}).Release()
}
