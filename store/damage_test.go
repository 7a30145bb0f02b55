package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/contriblog/contriblog/harvester"
)

// damagedSentence is what a person reads about a damaged database.
const damagedSentence = "is damaged: restore a backup (`contriblog backup`) or see docs/security.md"

// seedDamageDB writes a database with every bucket in use and enough
// observations for branch pages, closes it and returns its path.
func seedDamageDB(tb testing.TB) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "contriblog.db")
	db, err := Open(path, Options{Logger: quiet, NoSync: true})
	if err != nil {
		tb.Fatal(err)
	}
	ctx := context.Background()
	for _, src := range []string{"blog", "gh", "talks"} {
		b := batchOf(src, 400)
		for i := range b.Observations {
			b.Observations[i].Description = strings.Repeat("words about infrastructure as code ", 4)
		}
		if _, err := db.SaveBatch(ctx, harvester.SourceState{Name: src, Type: "feed"}, b, pass(0)); err != nil {
			tb.Fatal(err)
		}
	}
	log := make([]harvester.Contribution, 600)
	for i := range log {
		log[i] = row(fmt.Sprintf("r%04d", i), fmt.Sprintf("2025-%02d-01", i%12+1))
	}
	if err := db.ReplaceLog(ctx, log); err != nil {
		tb.Fatal(err)
	}
	if err := db.SaveEdit(ctx, harvester.Edit{ID: "r0001", Exclude: ptr(true), Updated: pass(0)}); err != nil {
		tb.Fatal(err)
	}
	if err := db.Close(); err != nil {
		tb.Fatal(err)
	}
	return path
}

// pagesOf returns the ids of the pages of each type ("leaf", "branch",
// "freelist", ...) that the database at path uses, and its page size.
func pagesOf(tb testing.TB, path string) (map[string][]int, int) {
	tb.Helper()
	bdb, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, PreLoadFreelist: true})
	if err != nil {
		tb.Fatal(err)
	}
	defer bdb.Close()
	pages := map[string][]int{}
	err = bdb.View(func(tx *bolt.Tx) error {
		for id := 2; ; id++ {
			p, err := tx.Page(id)
			if err != nil || p == nil {
				return err
			}
			pages[p.Type] = append(pages[p.Type], id)
		}
	})
	if err != nil {
		tb.Fatal(err)
	}
	return pages, bdb.Info().PageSize
}

// overwrite writes b over page id of the file at path.
func overwrite(tb testing.TB, path string, id, pageSize int, b []byte) {
	tb.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(b, int64(id)*int64(pageSize)); err != nil {
		tb.Fatal(err)
	}
}

func randomPage(rng *rand.Rand, pageSize int) []byte {
	b := make([]byte, pageSize)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

// A page overwritten with random bytes (or a branch page whose children
// point past the end of the file) is an error wrapping ErrDamaged with
// the sentence, from Open or from whichever method reads it, never a
// panic; Check always finds it; and the database can still be closed.
func TestDamagedPage(t *testing.T) {
	tests := []struct {
		name string
		// damage damages the file and returns whether the damage must
		// be found (false: bbolt is built to survive it).
		damage func(t *testing.T, rng *rand.Rand, path string, pages map[string][]int, pageSize int) bool
	}{
		{"leaf page", randomPageOf("leaf")},
		{"branch page", randomPageOf("branch")},
		{"freelist page", randomPageOf("freelist")},
		{"branch page pointing past the end of the file", func(t *testing.T, rng *rand.Rand, path string, pages map[string][]int, pageSize int) bool {
			// The header stays: bbolt follows the children to pages
			// beyond the file, inside its memory map (SIGBUS), or
			// beyond the map (SIGSEGV).
			id := pick(t, rng, pages, "branch")
			f, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			p := f[id*pageSize : (id+1)*pageSize]
			past := uint64(len(f)/pageSize) + 10
			if rng.IntN(2) == 0 {
				past = 1 << 36 // far past a 1 GiB map
			}
			for i := range int(binary.NativeEndian.Uint16(p[10:])) {
				binary.NativeEndian.PutUint64(p[16+i*16+8:], past+uint64(i))
			}
			overwrite(t, path, id, pageSize, p)
			return true
		}},
		{"one meta page", func(t *testing.T, rng *rand.Rand, path string, _ map[string][]int, pageSize int) bool {
			// bbolt keeps two so that a torn commit falls back to the
			// previous one: not damage, a warning.
			overwrite(t, path, rng.IntN(2), pageSize, randomPage(rng, pageSize))
			return false
		}},
		{"both meta pages", func(t *testing.T, rng *rand.Rand, path string, _ map[string][]int, pageSize int) bool {
			overwrite(t, path, 0, pageSize, randomPage(rng, 2*pageSize))
			return true
		}},
	}
	for _, tt := range tests {
		for seed := range uint64(4) {
			t.Run(fmt.Sprintf("%s/seed %d", tt.name, seed), func(t *testing.T) {
				path := seedDamageDB(t)
				pages, pageSize := pagesOf(t, path)
				rng := rand.New(rand.NewPCG(seed, 13))
				mustFind := tt.damage(t, rng, path, pages, pageSize)
				var logged strings.Builder
				logger := slog.New(slog.NewTextHandler(&logged, nil))
				found := false
				checkErr := func(what string, err error) {
					t.Helper()
					if err == nil {
						return
					}
					if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), damagedSentence) {
						t.Errorf("%s: err = %v, want the damaged sentence", what, err)
					}
					found = true
				}
				db, err := Open(path, Options{Logger: logger, NoSync: true, Timeout: time.Second})
				checkErr("open", err)
				if err != nil {
					return
				}
				for _, m := range everyMethod(t, db) {
					checkErr(m.name, noPanic(t, m.name, m.call))
				}
				if err := db.Check(); mustFind && err == nil {
					t.Error("check found nothing wrong")
				} else {
					checkErr("check", err)
				}
				if err := db.Close(); err != nil {
					t.Errorf("close: %v", err)
				}
				if mustFind && !found {
					t.Error("the damage went unnoticed")
				}
				if !mustFind && found {
					t.Error("bbolt's other meta page should have been used")
				}
				if !mustFind && !strings.Contains(logged.String(), "meta pages is damaged") {
					t.Errorf("log = %q, want a warning about the meta page", logged.String())
				}
			})
		}
	}
}

func randomPageOf(kind string) func(*testing.T, *rand.Rand, string, map[string][]int, int) bool {
	return func(t *testing.T, rng *rand.Rand, path string, pages map[string][]int, pageSize int) bool {
		overwrite(t, path, pick(t, rng, pages, kind), pageSize, randomPage(rng, pageSize))
		return true
	}
}

func pick(t *testing.T, rng *rand.Rand, pages map[string][]int, kind string) int {
	t.Helper()
	ids := pages[kind]
	if len(ids) == 0 {
		t.Fatalf("no %s page in %v", kind, pages)
	}
	return ids[rng.IntN(len(ids))]
}

// noPanic calls fn and fails the test, rather than crash it, on a panic.
func noPanic(t *testing.T, name string, fn func() error) (err error) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s panicked: %v\n%s", name, r, debug.Stack())
			err = nil
		}
	}()
	return fn()
}

type method struct {
	name string
	call func() error
}

// everyMethod calls every exported method of DB but Check and Close, with
// arguments that make each read or write what it can.
func everyMethod(t *testing.T, db *DB) []method {
	ctx := context.Background()
	each := func(*harvester.Observation) error { return nil }
	st := harvester.SourceState{Name: "blog", Type: "feed"}
	return []method{
		{"LogState", func() error { _, err := db.LogState(ctx); return err }},
		{"ForEachContribution", func() error {
			return db.ForEachContribution(ctx, func(*harvester.Contribution) error { return nil })
		}},
		{"Contribution", func() error { _, err := db.Contribution(ctx, "r0300"); return err }},
		{"ForEachObservation", func() error { return db.ForEachObservation(ctx, harvester.WithDescriptions, each) }},
		{"ForEachObservation brief", func() error { return db.ForEachObservation(ctx, harvester.OmitDescriptions, each) }},
		{"Edits", func() error { _, err := db.Edits(ctx); return err }},
		{"SourceState", func() error { _, err := db.SourceState(ctx, "gh"); return err }},
		{"SourceStates", func() error { _, err := db.SourceStates(ctx); return err }},
		{"SaveBatch", func() error { _, err := db.SaveBatch(ctx, st, batchOf("blog", 50), pass(1)); return err }},
		{"SaveBatches", func() error {
			_, err := db.SaveBatches(ctx, []BatchItem{{State: harvester.SourceState{Name: "talks"}, Batch: batchOf("talks", 30), Pass: pass(2)}})
			return err
		}},
		{"SaveFailure", func() error { return db.SaveFailure(ctx, st, pass(3), errors.New("boom")) }},
		{"SaveState", func() error { return db.SaveState(ctx, st) }},
		{"SaveEdit", func() error { return db.SaveEdit(ctx, harvester.Edit{ID: "r0400", Exclude: ptr(true)}) }},
		{"DeleteEdit", func() error { return db.DeleteEdit(ctx, "r0001") }},
		{"StoreLog", func() error {
			_, err := db.StoreLog(ctx, []harvester.Contribution{row("n1", "2026-01-01")}, "stamp")
			return err
		}},
		{"ReplaceLog", func() error { return db.ReplaceLog(ctx, nil) }},
		{"Backup", func() error { return db.Backup(ctx, filepath.Join(t.TempDir(), "backup.db")) }},
	}
}

// A panic of the caller's own function is the caller's bug, not a damaged
// file: it goes on as a panic.
func TestCallerPanicIsNotDamage(t *testing.T) {
	db := MustOpenDB(t)
	mustSave(t, db, "blog", batchOf("blog", 2), pass(0))
	defer func() {
		r := recover()
		if r == nil || !strings.Contains(fmt.Sprint(r), "caller's bug") {
			t.Errorf("recovered %v, want the caller's panic", r)
		}
	}()
	err := db.ForEachObservation(context.Background(), harvester.WithDescriptions, func(*harvester.Observation) error { panic("caller's bug") })
	t.Errorf("ForEachObservation returned %v, want the caller's panic", err)
}

// A row of the log that does not decode is skipped with a warning naming
// its bucket and key; the rows after it come back.
func TestUndecodableLogRowIsSkipped(t *testing.T) {
	tests := []struct {
		name  string
		value func(v []byte) []byte
	}{
		{"truncated", func(v []byte) []byte { return v[:len(v)/2] }},
		{"unknown format", func(v []byte) []byte { return append([]byte{0x00}, v[1:]...) }},
		{"empty", func([]byte) []byte { return []byte{} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := MustOpenDB(t)
			var logged strings.Builder
			db.logger = slog.New(slog.NewTextHandler(&logged, nil))
			ctx := context.Background()
			log := []harvester.Contribution{row("r1", "2025-01-01"), row("r2", "2025-01-02"), row("r3", "2025-01-03")}
			if err := db.ReplaceLog(ctx, log); err != nil {
				t.Fatal(err)
			}
			err := db.bolt.Update(func(tx *bolt.Tx) error {
				b := tx.Bucket(bucketLog)
				k := tx.Bucket(bucketLogID).Get([]byte("r2"))
				return b.Put(k, tt.value(slices.Clone(b.Get(k))))
			})
			if err != nil {
				t.Fatal(err)
			}
			if got := readLog(t, db); !slices.Equal(got, []string{"r1", "r3"}) {
				t.Errorf("log = %v, want r1 and r3", got)
			}
			if !strings.Contains(logged.String(), "level=WARN") || !strings.Contains(logged.String(), "bucket=log") ||
				!strings.Contains(logged.String(), `2025-01-02`) {
				t.Errorf("log = %q, want a warning naming the row", logged.String())
			}
		})
	}
}

// An observation that does not decode is skipped with a warning, and the
// others come back (a rebuild of the log reads them this way).
func TestUndecodableObservationIsSkipped(t *testing.T) {
	for _, brief := range []bool{false, true} {
		t.Run(fmt.Sprintf("brief %v", brief), func(t *testing.T) {
			db := MustOpenDB(t)
			var logged strings.Builder
			db.logger = slog.New(slog.NewTextHandler(&logged, nil))
			mustSave(t, db, "blog", batchOf("blog", 3), pass(0))
			bad := harvester.ObservationKey("blog", "item-001")
			err := db.bolt.Update(func(tx *bolt.Tx) error {
				b := tx.Bucket(bucketObservations)
				v := b.Get([]byte(bad))
				return b.Put([]byte(bad), slices.Clone(v[:len(v)-3]))
			})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			if err := db.ForEachObservation(context.Background(), harvester.Descriptions(!brief), func(o *harvester.Observation) error {
				got = append(got, o.NativeID)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, []string{"item-000", "item-002"}) {
				t.Errorf("observations = %v, want item-000 and item-002", got)
			}
			if !strings.Contains(logged.String(), "bucket=observations") || !strings.Contains(logged.String(), "item-001") {
				t.Errorf("log = %q, want a warning naming the observation", logged.String())
			}
		})
	}
}

// A panic inside a read-write transaction (what a damaged page causes) is
// an error, the transaction is rolled back, and no lock is left held: the
// next write goes through and Close returns.
func TestPanicInTransactionReleasesTheDB(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	for _, write := range []bool{true, false} {
		tx := db.view
		if write {
			tx = db.update
		}
		err := tx(ctx, func(tx *bolt.Tx) error {
			if write {
				if err := tx.Bucket(bucketEdits).Put([]byte("half"), []byte("{}")); err != nil {
					return err
				}
			}
			var p *bolt.Bucket
			_ = p.Stats() // a nil dereference, as bbolt's own on a bogus page
			return nil
		})
		if !errors.Is(err, ErrDamaged) {
			t.Errorf("write %v: err = %v, want ErrDamaged", write, err)
		}
	}
	if err := db.SaveState(ctx, harvester.SourceState{Name: "blog"}); err != nil {
		t.Fatalf("write after the panic: %v", err)
	}
	if edits, err := db.Edits(ctx); err != nil || len(edits) != 0 {
		t.Errorf("edits = %v, %v: the panicking transaction was committed", edits, err)
	}
}
