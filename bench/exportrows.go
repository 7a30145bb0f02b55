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
		cfg, err := writeLog(r.dir, n)
		if err != nil {
			return err
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

// writeLog stores a log of n rows, built by harvester.BuildLog from n
// observations like the generated feeds' items, in a new database, and
// writes a config that names it.
func writeLog(dir string, n int) (string, error) {
	now := time.Now()
	obs := make([]harvester.Observation, n)
	for k := range obs {
		feed, item := k/50, k%50
		seed := feed*7919 + item*104729
		obs[k] = harvester.Observation{
			Source: fmt.Sprintf("feed-%d", feed), NativeID: fmt.Sprintf("blog%d-post%d", feed, item),
			Person: "Bench Person", ActivityType: harvester.TypeBlog,
			Title:       fmt.Sprintf("Post %d of blog %d: %s", item, feed, phrase(seed, 6)),
			Description: phrase(seed+1, 90+seed%60) + " " + phrase(seed+2, 40+seed%50),
			URL:         fmt.Sprintf("https://blog%d.example.com/posts/%d/", feed, item),
			Date:        now.AddDate(0, 0, -(item*6)%300).Add(-time.Duration(feed) * time.Minute).UTC(),
			Authors:     []string{fmt.Sprintf("Author %d", feed)},
			Categories:  []string{words[seed%len(words)], words[(seed/3)%len(words)]},
			FeedTitle:   fmt.Sprintf("Blog %d", feed),
			FirstSeen:   now, LastSeen: now,
		}
	}
	log := harvester.BuildLog(obs, nil, harvester.LogOptions{})
	if len(log) != n {
		return "", fmt.Errorf("%d generated observations made %d rows, want as many", n, len(log))
	}
	path := filepath.Join(dir, fmt.Sprintf("export-%d.db", n))
	if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
		return "", err
	}
	db, err := store.Open(path, store.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return "", err
	}
	if err := db.ReplaceLog(context.Background(), log); err != nil {
		db.Close()
		return "", err
	}
	if err := db.Close(); err != nil {
		return "", err
	}
	cfg := filepath.Join(dir, fmt.Sprintf("export-%d.yaml", n))
	body := fmt.Sprintf("person: Bench Person\ndatabase: %s\nsources:\n  - {name: feed-0, type: feed, url: http://127.0.0.1:9/feed/0.xml}\n", path)
	return cfg, os.WriteFile(cfg, []byte(body), 0o600)
}
