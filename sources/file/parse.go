package file

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/sources/yamldoc"
)

// Parse reads a hand-kept file: a YAML (or JSON) list of entries with the
// JSON export's keys (docs/log.md#json-keys). Only title, date and activity_type are
// required, and activity_type may come from cfg.Activity. It returns every
// problem at once, joined with errors.Join, each an *Error with its line;
// on error it returns no observations at all. An empty file is an empty
// list.
func Parse(data []byte, cfg Config) ([]harvester.Observation, error) {
	label := cfg.Path
	if label == "" {
		label = "hand-kept file"
	}
	root, serr := document(label, data)
	if serr != nil {
		return nil, errors.Join(serr)
	}
	if root == nil {
		return nil, nil
	}
	r := &reader{problems: &problems{file: label}, cfg: cfg, vocab: cfg.Vocabulary}
	if r.vocab == nil {
		r.vocab = harvester.NewVocabulary(nil)
	}
	if root.Kind != yaml.SequenceNode {
		want := `a list of entries, each starting with "- "`
		if isJSON(label) {
			want = `an array of entries: [{"title": ...}, ...]`
		}
		r.errorf(root, "", "expected %s, got %s", want, yamldoc.Describe(root))
		return nil, r.err()
	}
	var obs []harvester.Observation
	type place struct{ index, line int }
	first := map[string]place{} // native id -> the entry that had it first
	for i, it := range root.Content {
		path := yamldoc.Index("", i)
		o, ok := r.entry(yamldoc.Resolve(it), path)
		if !ok {
			continue
		}
		if f, dup := first[o.NativeID]; dup {
			r.errorf(it, path, "%s", dupMessage(o.NativeID, f.index, f.line))
			continue
		}
		first[o.NativeID] = place{i, yamldoc.Resolve(it).Line}
		obs = append(obs, o)
	}
	if err := r.err(); err != nil {
		return nil, err
	}
	return obs, nil
}

// dupMessage says why an entry is the same as entry i at line.
func dupMessage(id string, i, line int) string {
	if strings.HasPrefix(id, hashPrefix) {
		return fmt.Sprintf("same title and date as entry [%d] at line %d; give one of them an id: to keep both", i, line)
	}
	return fmt.Sprintf("same id %q as entry [%d] at line %d", id, i, line)
}

// document parses data as one YAML document; nil for an empty one.
func document(label string, data []byte) (*yaml.Node, *Error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, syntaxError(label, data, err)
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, syntaxError(label, data, err)
	default:
		return nil, &Error{File: label, Line: next.Line, Msg: "more than one YAML document (---): put every entry in one list"}
	}
	if len(doc.Content) == 0 || yamldoc.Absent(doc.Content[0]) {
		return nil, nil
	}
	return yamldoc.Resolve(doc.Content[0]), nil
}

// hashPrefix marks native ids made from an entry's title and date.
const hashPrefix = "title+date:"

// nativeID is the entry's stable id: the person's id when given, else a
// hash of the normalised title and the date, so that editing the
// description or URL keeps it, and the same title on another date is
// another entry.
func nativeID(id, title, date string) string {
	if id != "" {
		return id
	}
	sum := sha256.Sum256([]byte(normTitle(title) + "\n" + date))
	return hashPrefix + hex.EncodeToString(sum[:8])
}

// normTitle folds case, punctuation and white space, so that fixing a
// comma or a capital does not make an entry new.
func normTitle(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
			continue
		}
		space = true
	}
	return b.String()
}
