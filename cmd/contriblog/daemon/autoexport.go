package daemon

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/export"
)

// markExportDirty says the log changed since the export was written.
func (d *Daemon) markExportDirty() {
	d.exportMu.Lock()
	defer d.exportMu.Unlock()
	d.exportDirty = true
}

// autoExport writes the export file when the log changed since it was last
// written (or at start-up, or after a failed write). A failure is logged
// and retried after the next pass.
func (d *Daemon) autoExport(ctx context.Context) {
	lv := d.live()
	if lv.ExportPath == "" {
		return
	}
	d.exportMu.Lock()
	defer d.exportMu.Unlock()
	if !d.exportDirty {
		return
	}
	log := d.Logger.With("path", lv.ExportPath)
	rows, wrote, err := d.writeExport(ctx, lv.ExportPath, lv.ExportFormat, lv.ExportExcel)
	if err != nil {
		d.metrics.exportFailed()
		log.Error("writing the export failed; retrying after the next pass", "err", err)
		return
	}
	d.exportDirty = false
	if wrote {
		d.metrics.exportWritten(d.now())
		log.Info("export written", "rows", rows, "format", lv.ExportFormat)
	} else {
		log.Debug("export already up to date", "rows", rows)
	}
}

// writeExport renders the log in the export format and replaces the file
// atomically (temporary file in the same directory, then rename) when its
// content differs, so that a reader never sees half a file and a file
// that did not change keeps its modification time. A named pipe or a
// device is written in place, every time; the write is bounded by
// ExportTimeout, and a pipe with no reader fails at once.
func (d *Daemon) writeExport(ctx context.Context, path, format string, excel bool) (rows int, wrote bool, err error) {
	var buf bytes.Buffer
	rows, err = d.render(ctx, &buf, format, harvester.Filter{}, excel)
	if err != nil {
		return rows, false, err
	}
	if d.unchanged(path, buf.Bytes()) {
		return rows, false, nil
	}
	ctx, cancel := context.WithTimeout(ctx, d.ExportTimeout)
	defer cancel()
	err = export.WriteFileAtomicContext(ctx, path, 0o644, func(w io.Writer) error {
		_, err := w.Write(buf.Bytes())
		return err
	})
	switch {
	case errors.Is(err, export.ErrNoReader):
		return rows, false, noReaderError{path, err}
	case err != nil:
		return rows, false, fmt.Errorf("write export %s: %w", path, err)
	}
	return rows, true, nil
}

// unchanged reports whether path is a regular file holding content. Only
// a regular file is read: opening a named pipe for reading would wait for
// a writer.
func (d *Daemon) unchanged(path string, content []byte) bool {
	fi, err := os.Stat(path)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() != int64(len(content)) {
		return false
	}
	old, err := os.ReadFile(path)
	if err != nil {
		// Unreadable is no reason not to try replacing it.
		d.Logger.Debug("cannot read the previous export", "path", path, "err", err)
		return false
	}
	return bytes.Equal(old, content)
}

// render encodes the stored log's rows that pass f, oldest first, and
// counts them; excel puts a byte-order mark before a CSV.
func (d *Daemon) render(ctx context.Context, w io.Writer, format string, f harvester.Filter, excel bool) (rows int, err error) {
	opts := export.Options{All: f.All, Excel: excel}
	if f.Person == "" {
		// The stored log knows its persons: Markdown sections them
		// without reading the log twice.
		state, err := d.Store.LogState(ctx)
		if err != nil {
			return 0, fmt.Errorf("read the log's persons: %w", err)
		}
		opts.ByPerson = len(state.Persons) > 1
	}
	enc, err := export.New(format, w, opts)
	if err != nil {
		return 0, err
	}
	// Only the JSON export shows how metrics grew (docs/log.md#json-keys).
	f.MetricsHistory = format == "json"
	err = harvester.EachRow(ctx, d.Store, f, func(c *harvester.Contribution) error {
		rows++
		return enc.Encode(c)
	})
	if cerr := enc.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return rows, fmt.Errorf("render the log as %s: %w", format, err)
	}
	return rows, nil
}

// noReaderError is an export to a named pipe that nobody reads: the
// sentence says which config key to look at, and errors.Is still finds
// export.ErrNoReader.
type noReaderError struct {
	path string
	err  error
}

func (e noReaderError) Error() string {
	return "export.path " + e.path + " is a named pipe with no reader"
}

func (e noReaderError) Unwrap() error { return e.err }
