package store

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/contriblog/contriblog/harvester"
)

// The scale target: 1,000 sources of 50 items each.
const (
	benchSources = 1000
	benchItems   = 50
)

// benchBatch is one source's batch of benchItems realistic observations.
func benchBatch(source string) *harvester.Batch {
	b := batchOf(source, benchItems)
	desc := strings.Repeat("Deploying landing zones with Bicep and Terraform, step by step. ", 8)
	for i := range b.Observations {
		b.Observations[i].Description = desc
		b.Observations[i].OtherURLs = []string{"https://dev.to/priya/" + b.Observations[i].NativeID}
	}
	b.ETag = `"abc"`
	return b
}

// populated returns a database holding the scale target, written with
// fsync off; opts decides how the benchmark itself writes.
func populated(b *testing.B, noSync bool) *DB {
	b.Helper()
	path := filepath.Join(b.TempDir(), "contriblog.db")
	db := MustOpenPath(b, path)
	ctx := context.Background()
	for g := 0; g < benchSources; g += 100 {
		var items []BatchItem
		for s := g; s < g+100; s++ {
			name := fmt.Sprintf("source-%04d", s)
			items = append(items, BatchItem{State: harvester.SourceState{Name: name, Type: "feed"}, Batch: benchBatch(name), Pass: pass(0)})
		}
		if _, err := db.SaveBatches(ctx, items); err != nil {
			b.Fatal(err)
		}
	}
	db.bolt.NoSync = noSync
	return db
}

func BenchmarkSaveBatch(b *testing.B) {
	ctx := context.Background()
	for _, mode := range []struct {
		name   string
		noSync bool
	}{{"fsync", false}, {"nosync", true}} {
		b.Run("unchanged/"+mode.name, func(b *testing.B) {
			db := populated(b, mode.noSync)
			batch := benchBatch("source-0500")
			state := harvester.SourceState{Name: "source-0500", Type: "feed"}
			for i := 0; b.Loop(); i++ {
				if _, err := db.SaveBatch(ctx, state, batch, pass(i+1)); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("new/"+mode.name, func(b *testing.B) {
			db := populated(b, mode.noSync)
			for i := 0; b.Loop(); i++ {
				name := fmt.Sprintf("new-%06d", i)
				if _, err := db.SaveBatch(ctx, harvester.SourceState{Name: name}, benchBatch(name), pass(1)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSaveBatches saves 20 unchanged sources per transaction: one
// fsync for all of them.
func BenchmarkSaveBatches(b *testing.B) {
	ctx := context.Background()
	db := populated(b, false)
	var items []BatchItem
	for s := range 20 {
		name := fmt.Sprintf("source-%04d", s*50)
		items = append(items, BatchItem{State: harvester.SourceState{Name: name}, Batch: benchBatch(name)})
	}
	for i := 0; b.Loop(); i++ {
		for j := range items {
			items[j].Pass = pass(i + 1)
		}
		if _, err := db.SaveBatches(ctx, items); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSaveCold saves the scale target into a new database as a cold
// harvest does: groups of 64 sources, in the order their fetches end
// (not the order of their names), every observation new.
func BenchmarkSaveCold(b *testing.B) {
	ctx := context.Background()
	batches := make([]BatchItem, benchSources)
	for s := range batches {
		name := fmt.Sprintf("feed-%d", (s*7919)%benchSources)
		batch := benchBatch(name)
		for i := range batch.Observations {
			batch.Observations[i].NativeID = fmt.Sprintf("blog%d-post%d", s, i)
		}
		batches[s] = BatchItem{State: harvester.SourceState{Name: name, Type: "feed"}, Batch: batch, Pass: pass(0)}
	}
	for b.Loop() {
		b.StopTimer()
		db := MustOpenPath(b, filepath.Join(b.TempDir(), "cold.db"))
		db.bolt.NoSync = false
		b.StartTimer()
		for g := 0; g < len(batches); g += 64 {
			if _, err := db.SaveBatches(ctx, batches[g:min(g+64, len(batches))]); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
}

func BenchmarkReplaceLog(b *testing.B) {
	ctx := context.Background()
	db := MustOpenDB(b)
	db.bolt.NoSync = false
	log := make([]harvester.Contribution, benchSources*benchItems)
	for i := range log {
		log[i] = row(fmt.Sprintf("%010d", i), fmt.Sprintf("2025-%02d-%02d", 1+i/5000, 1+i%28))
		log[i].Description = strings.Repeat("A talk about zero trust. ", 20)
	}
	for b.Loop() {
		if err := db.ReplaceLog(ctx, log); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkForEachObservation(b *testing.B) {
	ctx := context.Background()
	db := populated(b, true)
	for b.Loop() {
		n := 0
		if err := db.ForEachObservation(ctx, harvester.WithDescriptions, func(*harvester.Observation) error { n++; return nil }); err != nil {
			b.Fatal(err)
		}
		if n != benchSources*benchItems {
			b.Fatalf("%d observations, want %d", n, benchSources*benchItems)
		}
	}
}

// benchLog is a log of the scale target's size, rows like a harvested
// blog's.
func benchLog() []harvester.Contribution {
	log := make([]harvester.Contribution, benchSources*benchItems)
	desc := strings.Repeat("Deploying landing zones with Bicep and Terraform, step by step. ", 16)
	for i := range log {
		log[i] = row(fmt.Sprintf("%010d", i), fmt.Sprintf("2025-%02d-%02d", 1+i/5000, 1+i%28))
		log[i].Description = desc
	}
	return log
}

// BenchmarkStoreLog writes the log as a rebuild does: "changed" replaces
// it (a new stamp and new rows), "unchanged" finds the same rows stored
// and records only the stamp.
func BenchmarkStoreLog(b *testing.B) {
	ctx := context.Background()
	log := benchLog()
	for _, name := range []string{"changed", "unchanged"} {
		b.Run(name, func(b *testing.B) {
			db := MustOpenDB(b)
			db.bolt.NoSync = false
			if _, err := db.StoreLog(ctx, log, "s"); err != nil {
				b.Fatal(err)
			}
			for i := 0; b.Loop(); i++ {
				if name == "changed" {
					log[0].Title = fmt.Sprint("title ", i)
				}
				if _, err := db.StoreLog(ctx, log, fmt.Sprint(i)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkForEachContribution reads the whole log, as export does.
func BenchmarkForEachContribution(b *testing.B) {
	ctx := context.Background()
	db := MustOpenDB(b)
	log := benchLog()
	if err := db.ReplaceLog(ctx, log); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		n := 0
		if err := db.ForEachContribution(ctx, func(*harvester.Contribution) error { n++; return nil }); err != nil {
			b.Fatal(err)
		}
		if n != len(log) {
			b.Fatalf("%d rows, want %d", n, len(log))
		}
	}
}

// BenchmarkRebuildLog rebuilds the log of the scale target: "full" after
// an observation changed, "current" when nothing did (the stamp matches,
// nothing is read).
func BenchmarkRebuildLog(b *testing.B) {
	ctx := context.Background()
	opts := harvester.LogOptions{Location: time.UTC}
	for _, name := range []string{"full", "current"} {
		b.Run(name, func(b *testing.B) {
			db := populated(b, true)
			if _, _, err := harvester.RebuildLog(ctx, db, opts); err != nil {
				b.Fatal(err)
			}
			batch := benchBatch("source-0001")
			for i := 0; b.Loop(); i++ {
				if name == "full" {
					batch.Observations[0].Title = fmt.Sprint("title ", i)
					if _, err := db.SaveBatch(ctx, harvester.SourceState{Name: "source-0001"}, batch, pass(i+1)); err != nil {
						b.Fatal(err)
					}
				}
				if _, _, err := harvester.RebuildLog(ctx, db, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkObservationCodec(b *testing.B) {
	o := benchBatch("source-0001").Observations[0]
	data, _, err := encodeObservation(&o)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("encode", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := encodeObservation(&o); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("decode", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := decodeObservation(data); err != nil {
				b.Fatal(err)
			}
		}
	})
}
