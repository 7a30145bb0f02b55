// Package file is the source of hand-kept contributions: a YAML (or JSON)
// list of entries in the shape of the JSON export (docs/sources.md#hand-kept-file), for the
// work no feed or API knows about (mentoring, organising, a magazine
// article).
package file

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/contriblog/contriblog/harvester"
)

// MaxFileSize bounds what Harvest reads: a hand-kept list is a few
// hundred kilobytes at most, and the cap keeps a wrong path (a disk
// image, a log) from filling memory.
const MaxFileSize = 16 << 20

// stampVersion changes when what Parse makes of the same bytes changes,
// so that a new contriblog re-reads an unchanged file once.
const stampVersion = "1"

// Config is what a file source needs.
type Config struct {
	Name string // the source's name in the config
	Path string // the hand-kept file; messages name it as given
	// Person is the default person of entries that name none.
	Person string
	// Activity is the activity type of entries that lack activity_type;
	// "" makes activity_type required in every entry.
	Activity string
	// Vocabulary resolves activity types (default: the contract's types).
	Vocabulary *harvester.Vocabulary
	// Location is the source's time zone. Entries are calendar days
	// (all-day, midnight UTC), which no zone changes, so it is not used
	// for dates.
	Location *time.Location
	Logger   *slog.Logger // default: discard
}

// Source reads a hand-kept file on every pass, unless its size and
// modification time are those of the last pass read.
type Source struct {
	cfg Config
	log *slog.Logger
}

var _ harvester.Source = (*Source)(nil)

// New returns the source for cfg.
func New(cfg Config) *Source {
	if cfg.Vocabulary == nil {
		cfg.Vocabulary = harvester.NewVocabulary(nil)
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Source{cfg: cfg, log: log}
}

// Name is the configured source name.
func (s *Source) Name() string { return s.cfg.Name }

// Type is "file".
func (s *Source) Type() string { return "file" }

// Harvest reads and parses the file. When the file's size and
// modification time (and this source's settings) are those of the pass
// recorded in state.Data["stamp"], it returns NotModified without reading
// it. A file with any problem fails the pass as a whole, with every
// problem listed, and nothing from it is stored.
func (s *Source) Harvest(ctx context.Context, state harvester.SourceState) (*harvester.Batch, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	fi, err := os.Stat(s.cfg.Path)
	if err != nil {
		return nil, s.readError(err)
	}
	// Refuse a directory, a device or a named pipe before the stamp
	// check: a stamp of one must never say "not modified". ReadRegular
	// checks again on the descriptor it reads.
	if !fi.Mode().IsRegular() {
		return nil, s.readError(&NotRegularError{Path: s.cfg.Path, Kind: kind(fi.Mode())})
	}
	stamp := s.stamp(fi)
	data := map[string]string{"stamp": stamp}
	if state.Data["stamp"] == stamp {
		s.log.Debug("hand-kept file unchanged", "path", s.cfg.Path)
		return &harvester.Batch{NotModified: true, Data: data}, nil
	}
	raw, err := ReadRegular(s.cfg.Path, MaxFileSize)
	if err != nil {
		return nil, s.readError(err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	obs, err := Parse(raw, s.cfg)
	if err != nil {
		return nil, fmt.Errorf("hand-kept file rejected, nothing stored from it:\n%w", err)
	}
	s.log.Debug("hand-kept file read", "path", s.cfg.Path, "entries", len(obs))
	return &harvester.Batch{Observations: obs, Data: data}, nil
}

// Check reads and parses the file as Harvest does, storing nothing, and
// returns every problem with its file and line: what `contriblog
// validate` reports (docs/cli.md#validate).
func (s *Source) Check(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	raw, err := ReadRegular(s.cfg.Path, MaxFileSize)
	if err != nil {
		return s.readError(err)
	}
	_, err = Parse(raw, s.cfg)
	return err
}

// missingError is a hand-kept file that does not exist: it matches
// fs.ErrNotExist without repeating its words.
type missingError struct{ path string }

func (e missingError) Error() string {
	return fmt.Sprintf("hand-kept file %s does not exist: create it (a YAML list of entries) or fix path: in the config", e.path)
}

func (e missingError) Is(target error) bool { return target == fs.ErrNotExist }

// readError says what is wrong with reading the file, with a hint.
func (s *Source) readError(err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return missingError{s.cfg.Path}
	}
	var notRegular *NotRegularError
	var tooLarge *TooLargeError
	switch {
	case errors.As(err, &notRegular):
		return fmt.Errorf("hand-kept file %w: path: must name a YAML file", err)
	case errors.As(err, &tooLarge):
		return fmt.Errorf("hand-kept file %w: is path: right?", err)
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err // the path is in our message already
	}
	return fmt.Errorf("read hand-kept file %s: %w", s.cfg.Path, err)
}

// stamp fingerprints the file's size and modification time and the
// settings that change what Parse makes of it.
func (s *Source) stamp(fi fs.FileInfo) string {
	abs, err := filepath.Abs(s.cfg.Path)
	if err != nil {
		abs = s.cfg.Path
	}
	h := sha256.New()
	fmt.Fprintf(h, "v%s\x00%s\x00%d\x00%d\x00%s\x00%s\x00%s\x00%s", stampVersion, abs, fi.Size(), fi.ModTime().UnixNano(),
		s.cfg.Name, s.cfg.Person, s.cfg.Activity, strings.Join(s.cfg.Vocabulary.Names(), "\x00"))
	return hex.EncodeToString(h.Sum(nil)[:12])
}
