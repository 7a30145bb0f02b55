package file

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/contriblog/contriblog/harvester"
)

func writeFile(tb testing.TB, path, content string, mtime time.Time) {
	tb.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		tb.Fatal(err)
	}
	if err := os.Chtimes(path, mtime, mtime); err != nil {
		tb.Fatal(err)
	}
}

func TestHarvest(t *testing.T) {
	path := filepath.Join(t.TempDir(), "manual.yaml")
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	writeFile(t, path, string(readTestdata(t, "valid.yaml")), t0)
	src := New(Config{Name: "manual", Path: path, Person: "Priya Raman"})
	if src.Name() != "manual" || src.Type() != "file" {
		t.Errorf("Name %q Type %q", src.Name(), src.Type())
	}
	ctx := context.Background()

	b, err := src.Harvest(ctx, harvester.SourceState{})
	if err != nil {
		t.Fatal(err)
	}
	if b.NotModified || len(b.Observations) != 3 || b.Data["stamp"] == "" {
		t.Fatalf("first pass: %+v", b)
	}
	stamp := b.Data["stamp"]

	// Unchanged file: not modified, and the stamp is kept.
	b, err = src.Harvest(ctx, harvester.SourceState{Data: map[string]string{"stamp": stamp}})
	if err != nil || !b.NotModified || len(b.Observations) != 0 || b.Data["stamp"] != stamp {
		t.Fatalf("second pass: %+v, %v", b, err)
	}

	// Another person in the config makes other observations: read again.
	other := New(Config{Name: "manual", Path: path, Person: "Tom Berg"})
	if b, err = other.Harvest(ctx, harvester.SourceState{Data: map[string]string{"stamp": stamp}}); err != nil || b.NotModified {
		t.Fatalf("other settings: %+v, %v", b, err)
	}

	// An edit with the same size but a new modification time is read.
	writeFile(t, path, strings.Replace(string(readTestdata(t, "valid.yaml")), "2026-02-01", "2026-02-02", 1), t0.Add(time.Minute))
	b, err = src.Harvest(ctx, harvester.SourceState{Data: map[string]string{"stamp": stamp}})
	if err != nil || b.NotModified || b.Data["stamp"] == stamp || !b.Observations[0].Date.Equal(day("2026-02-02")) {
		t.Fatalf("after edit: %+v, %v", b, err)
	}
	stamp = b.Data["stamp"]

	// A broken file fails the pass and stores nothing.
	writeFile(t, path, "- title: x\n  date: 2026-99-01\n  activity_type: Blog\n", t0.Add(2*time.Minute))
	b, err = src.Harvest(ctx, harvester.SourceState{Data: map[string]string{"stamp": stamp}})
	if b != nil || err == nil || !strings.Contains(err.Error(), path+":2: [0].date: no such month: 2026-99-01") ||
		!strings.Contains(err.Error(), "nothing stored") {
		t.Fatalf("broken file: %+v, %v", b, err)
	}
	var fe *Error
	if !errors.As(err, &fe) || fe.Line != 2 {
		t.Errorf("broken file error does not unwrap to *Error: %v", err)
	}
}

func TestHarvestFailures(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.yaml")
	_, err := New(Config{Name: "m", Path: missing}).Harvest(context.Background(), harvester.SourceState{})
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing+" does not exist") {
		t.Errorf("missing file: %v", err)
	}
	_, err = New(Config{Name: "m", Path: dir}).Harvest(context.Background(), harvester.SourceState{})
	if err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("directory: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	path := filepath.Join(dir, "m.yaml")
	writeFile(t, path, "[]", time.Now())
	if _, err := New(Config{Name: "m", Path: path}).Harvest(ctx, harvester.SourceState{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func FuzzParse(f *testing.F) {
	entries, err := os.ReadDir("testdata")
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			data, err := os.ReadFile(filepath.Join("testdata", e.Name()))
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	f.Add([]byte("- &a {title: x, date: 2026-01-01, activity_type: Blog}\n- {<<: *a, date: 2026-01-02}\n"))
	f.Add([]byte("- {<<: [*x]}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		obs, err := Parse(data, Config{Name: "m", Path: "m.yaml", Person: "P"})
		if err != nil && obs != nil {
			t.Fatalf("observations together with an error")
		}
		for _, o := range obs {
			if o.NativeID == "" || o.Title == "" || o.Date.IsZero() || o.ActivityType == "" || !o.AllDay {
				t.Fatalf("incomplete observation %+v", o)
			}
		}
	})
}

// Check reports a file's problems with file and line, as Harvest would,
// and nothing for a good one; it needs no state and stores nothing.
func TestCheck(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	writeFile(t, good, string(readTestdata(t, "valid.yaml")), time.Now())
	bad := filepath.Join(dir, "bad.yaml")
	writeFile(t, bad, "- title: Mentoring\n  date: 2026-02-30\n  activity_type: Mentorship/Coaching\n", time.Now())
	ctx := context.Background()
	if err := New(Config{Name: "manual", Path: good, Person: "P"}).Check(ctx); err != nil {
		t.Errorf("good file: %v", err)
	}
	err := New(Config{Name: "manual", Path: bad, Person: "P"}).Check(ctx)
	if err == nil || !strings.HasPrefix(err.Error(), bad+":2: ") || !strings.Contains(err.Error(), "no such day") {
		t.Errorf("bad file: %v", err)
	}
	err = New(Config{Name: "manual", Path: filepath.Join(dir, "missing.yaml")}).Check(ctx)
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "missing.yaml does not exist") {
		t.Errorf("missing file: %v", err)
	}
}
