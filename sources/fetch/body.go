package fetch

import "io"

// releaseBody frees the per-host slot when the body is closed, or as soon
// as it has been read to its end or failed. The second matters for
// libraries that read a body and then lose it: go-github's CheckResponse
// swaps an error response's body for a copy before closing, so the
// original is read to EOF but never closed, and a slot freed only by Close
// would leak with every 304 or 4xx until the host had none left.
type releaseBody struct {
	io.ReadCloser
	release func()
}

func (b *releaseBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil {
		b.release()
	}
	return n, err
}

func (b *releaseBody) Close() error {
	err := b.ReadCloser.Close()
	b.release()
	return err
}
