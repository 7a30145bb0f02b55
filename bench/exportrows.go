package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/store"
)

// exportResult is the export of a log of rows rows.
type exportResult struct {
	rows  int
	bytes int64 // of the CSV
	took  usage
}

// runExportRows times `export` of logs of each size in list, built from
// generated observations as a harvest would build them.
func runExportRows(r *runner, list string) error {
	ns, err := counts("-export-rows", list)
	if err != nil {
		return err
	}
	var out []exportResult
	for _, n := range ns {
		cfg, err := writeObservations(r.dir, n)
		if err != nil {
			return err
		}
		// The first export builds the log, as the harvest that stored
		// the observations would have: it is not what is timed.
		if _, err := runMeasured(nil, r.bin, "-q", "-c", cfg, "export", "-o", os.DevNull); err != nil {
			return fmt.Errorf("build the log of %d rows: %w", n, err)
		}
		csv := filepath.Join(r.dir, fmt.Sprintf("export-%d.csv", n))
		took, rows, err := r.timeExport(cfg, csv)
		if err != nil {
			return err
		}
		if rows != n {
			return fmt.Errorf("export of a %d-row log wrote %d rows", n, rows)
		}
		fi, err := os.Stat(csv)
		if err != nil {
			return err
		}
		out = append(out, exportResult{rows: rows, bytes: fi.Size(), took: took})
	}
	printExportRows(os.Stdout, out)
	return nil
}

// writeObservations stores n observations like the generated feeds'
// items (50 a feed, none of them the same work) in a new database, and
// writes a config that names it.
func writeObservations(dir string, n int) (string, error) {
	now := time.Now()
	path := filepath.Join(dir, fmt.Sprintf("export-%d.db", n))
	if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
		return "", err
	}
	db, err := store.Open(path, store.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return "", err
	}
	var items []harvester.BatchItem
	for feed := 0; feed*50 < n; feed++ {
		b := &harvester.Batch{}
		for item := 0; item < 50 && feed*50+item < n; item++ {
			seed := feed*7919 + item*104729
			first, second := description(seed)
			b.Observations = append(b.Observations, harvester.Observation{
				Source: fmt.Sprintf("feed-%d", feed), NativeID: fmt.Sprintf("blog%d-post%d", feed, item),
				Person: "Bench Person", ActivityType: harvester.TypeBlog,
				Title:       fmt.Sprintf("Post %d of blog %d: %s", item, feed, phrase(seed, 6)),
				Description: first + " " + second,
				URL:         fmt.Sprintf("https://blog%d.example.com/posts/%d/", feed, item),
				Date:        now.AddDate(0, 0, -(item*6)%300).Add(-time.Duration(feed) * time.Minute).UTC(),
				Authors:     []string{fmt.Sprintf("Author %d", feed)},
				Categories:  []string{words[seed%len(words)], words[(seed/3)%len(words)]},
				FeedTitle:   fmt.Sprintf("Blog %d", feed),
			})
		}
		items = append(items, harvester.BatchItem{State: harvester.SourceState{Name: fmt.Sprintf("feed-%d", feed), Type: "feed"}, Batch: b, Pass: now})
		if len(items) == 64 || (feed+1)*50 >= n {
			if _, err := db.SaveBatches(context.Background(), items); err != nil {
				db.Close()
				return "", err
			}
			items = items[:0]
		}
	}
	if err := db.Close(); err != nil {
		return "", err
	}
	cfg := filepath.Join(dir, fmt.Sprintf("export-%d.yaml", n))
	body := fmt.Sprintf("person: Bench Person\ndatabase: %s\nsources:\n  - {name: feed-0, type: feed, url: http://127.0.0.1:9/feed/0.xml}\n", path)
	return cfg, os.WriteFile(cfg, []byte(body), 0o600)
}
