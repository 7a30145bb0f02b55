package ics_test

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/sources/ics"
)

var corpusRoot = filepath.Join("..", "..", "..", "shared", "corpus", "ics")

// corpusFiles lists the calendar-looking files of the shared corpus: *.ics,
// *.ical, *.ifb, and any other file that starts with BEGIN:.
func corpusFiles(tb testing.TB) []string {
	tb.Helper()
	if _, err := os.Stat(corpusRoot); err != nil {
		tb.Skip("corpus not present:", err)
	}
	var files []string
	filepath.WalkDir(corpusRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		switch strings.ToLower(filepath.Ext(path)) {
		case ".ics", ".ical", ".ifb", ".icalendar":
			files = append(files, path)
		case ".md", ".txt", ".rst", ".json", ".js", ".py", ".go", ".c", ".h":
		default:
			if b, err := os.ReadFile(path); err == nil && bytes.HasPrefix(bytes.ToUpper(bytes.TrimSpace(b)), []byte("BEGIN:")) {
				files = append(files, path)
			}
		}
		return nil
	})
	return files
}

// TestCorpus runs every real-world calendar written by others through
// Parse: observations or a clear error, never a panic, valid UTF-8.
func TestCorpus(t *testing.T) {
	var parsed, failed, events int
	for _, path := range corpusFiles(t) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		name, obs, err := ics.Parse(b, ics.Config{Name: "corpus", URL: "https://example.com/cal.ics", Timezone: time.UTC,
			Since: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), Logger: quiet, Now: fixedNow})
		rel, _ := filepath.Rel(corpusRoot, path)
		if err != nil {
			failed++
			t.Logf("%s: %v (%d events kept)", rel, err, len(obs))
			if len(err.Error()) < 10 || !utf8.ValidString(err.Error()) {
				t.Errorf("%s: unclear error %q", rel, err)
			}
		} else {
			parsed++
		}
		events += len(obs)
		checkObservations(t, rel, name, obs)
	}
	t.Logf("corpus: %d calendars parsed, %d rejected or cut; %d events", parsed, failed, events)
	if parsed == 0 {
		t.Error("no corpus file parsed")
	}
}

// checkObservations asserts what every observation promises whatever the
// input: valid UTF-8, an id, a date, a title, no end before its start.
func checkObservations(t *testing.T, where, name string, obs []harvester.Observation) {
	t.Helper()
	for _, o := range obs {
		strs := append([]string{name, o.Title, o.Description, o.URL, o.NativeID, o.FeedTitle}, o.Authors...)
		strs = append(strs, o.Categories...)
		for k, v := range o.Meta {
			strs = append(strs, k, v)
		}
		for _, s := range strs {
			if !utf8.ValidString(s) {
				t.Errorf("%s: invalid UTF-8 %q", where, s)
			}
		}
		if o.NativeID == "" || o.Date.IsZero() || o.Title == "" || o.Source == "" {
			t.Errorf("%s: event without id, date, title or source: %+v", where, o)
		}
		if !o.EndDate.IsZero() && o.EndDate.Before(o.Date) {
			t.Errorf("%s: %s ends before it starts", where, o.NativeID)
		}
	}
}

// FuzzParse seeds from the package's fixtures and a sample of the corpus.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*")
	if _, err := os.Stat(corpusRoot); err == nil {
		for _, name := range []string{"arran4-golang-ical/input1.ics", "collective-icalendar/big_bad_calendar.ics",
			"collective-icalendar/issue_1050_multiple_calendars.ics", "kewisch-ical.js/multiple_rrules.ics",
			"libical-libical/issue252.ics", "u01jmg3-ics-parser/issue-343.ics"} {
			seeds = append(seeds, filepath.Join(corpusRoot, name))
		}
	}
	for _, p := range seeds {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		name, obs, err := ics.Parse(b, ics.Config{Name: "f", URL: "https://example.com/", Timezone: time.UTC,
			Since: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), Logger: quiet, Now: fixedNow})
		if err != nil && err.Error() == "" {
			t.Error("empty error")
		}
		checkObservations(t, "fuzz", name, obs)
	})
}

func BenchmarkParse100(b *testing.B) {
	var doc strings.Builder
	doc.WriteString("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX-WR-CALNAME:Bench\r\n")
	for i := 0; i < 100; i++ {
		fmt.Fprintf(&doc, "BEGIN:VEVENT\r\nUID:%d\r\nDTSTART;TZID=Europe/Amsterdam:20260312T183000\r\nSUMMARY:Talk %d\\, part two\r\n"+
			"DESCRIPTION:A long description of the talk\\, folded over\r\n  two lines.\r\nEND:VEVENT\r\n", i, i)
	}
	doc.WriteString("END:VCALENDAR\r\n")
	data := []byte(doc.String())
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, _, err := ics.Parse(data, ics.Config{Name: "b", Logger: quiet}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseHugeFolds is a calendar with a 4 MiB inline attachment
// folded over 60,000 lines and a description pasted over 50,000 unfolded
// lines: both must cost linear time.
func BenchmarkParseHugeFolds(b *testing.B) {
	var doc strings.Builder
	doc.WriteString("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:20260101T100000Z\r\nSUMMARY:x\r\nATTACH;ENCODING=BASE64;VALUE=BINARY:")
	for i := 0; i < 60000; i++ {
		doc.WriteString(strings.Repeat("QUJD", 18) + "\r\n ")
	}
	doc.WriteString("QQ==\r\nDESCRIPTION:start\r\n")
	for i := 0; i < 50000; i++ {
		doc.WriteString("a pasted line, not folded\r\n")
	}
	doc.WriteString("END:VEVENT\r\nEND:VCALENDAR\r\n")
	data := []byte(doc.String())
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, obs, err := ics.Parse(data, ics.Config{Name: "b", Logger: quiet}); err != nil || len(obs) != 1 {
			b.Fatal(err, len(obs))
		}
	}
}
