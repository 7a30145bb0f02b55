// Command bench measures contriblog's harvesting against the floor (the
// same feeds fetched and parsed with gofeed, nothing stored) and against
// newsboat, on generated feeds served on loopback.
//
//	go run ./bench -feeds 1000 -items 50
//	go run ./bench -scale 100,300,1000,3000
package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	feeds := flag.Int("feeds", 1000, "number of feeds")
	items := flag.Int("items", 50, "items per feed")
	workers := flag.Int("workers", 16, "concurrent fetchers of the floor")
	bin := flag.String("bin", "", "contriblog binary (default: built from ./cmd/contriblog)")
	scale := flag.String("scale", "", "comma-separated feed counts: measure cold harvest at each")
	newsboat := flag.Bool("newsboat", true, "also time newsboat, where installed")
	keep := flag.String("keep", "", "keep the configs and databases in `DIR` (for profiling)")
	flag.Parse()
	if err := run(*feeds, *items, *workers, *bin, *scale, *keep, *newsboat); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(feeds, items, workers int, bin, scale, keep string, withNewsboat bool) error {
	dir := keep
	if dir == "" {
		tmp, err := os.MkdirTemp("", "contriblog-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	} else if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	if bin == "" {
		bin = filepath.Join(dir, "contriblog")
		build := exec.Command("go", "build", "-o", bin, "./cmd/contriblog")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("build contriblog: %w", err)
		}
	}
	if scale != "" {
		return runScale(dir, bin, items, workers, scale)
	}
	r, err := measure(dir, bin, feeds, items, workers, withNewsboat)
	if err != nil {
		return err
	}
	r.print(os.Stdout)
	return nil
}

// result is one measured run.
type result struct {
	feeds, items, bytes, rows int
	floor, cold, warm, export time.Duration
	newsboat                  time.Duration
	coldRSS, warmRSS          int64 // KiB
	notModified               int64
}

func measure(dir, bin string, feeds, items, workers int, withNewsboat bool) (*result, error) {
	srv := newFeedServer(feeds, items, time.Now())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	hs := &http.Server{Handler: srv}
	go hs.Serve(ln)
	defer hs.Close()
	base := "http://" + ln.Addr().String()
	r := &result{feeds: feeds, items: items, bytes: srv.size()}

	if r.floor, err = floor(base, feeds, workers); err != nil {
		return nil, err
	}
	cfg, err := writeConfig(dir, base, feeds)
	if err != nil {
		return nil, err
	}
	if r.cold, r.coldRSS, err = timeCmd(bin, "-q", "-c", cfg, "harvest"); err != nil {
		return nil, fmt.Errorf("cold harvest: %w", err)
	}
	before := srv.notMod.Load()
	if r.warm, r.warmRSS, err = timeCmd(bin, "-q", "-c", cfg, "harvest"); err != nil {
		return nil, fmt.Errorf("warm harvest: %w", err)
	}
	r.notModified = srv.notMod.Load() - before
	out := filepath.Join(dir, "export.csv")
	if r.export, _, err = timeCmd(bin, "-q", "-c", cfg, "export", "-o", out); err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	if r.rows, err = countRows(out); err != nil {
		return nil, err
	}
	if withNewsboat {
		r.newsboat, _ = timeNewsboat(dir, base, feeds)
	}
	return r, nil
}

func writeConfig(dir, base string, feeds int) (string, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "person: Bench Person\ndatabase: %s\nsince: %s\nsources:\n",
		filepath.Join(dir, fmt.Sprintf("bench-%d.db", feeds)), time.Now().AddDate(-1, 0, 0).Format("2006-01-02"))
	for i := 0; i < feeds; i++ {
		fmt.Fprintf(&b, "  - {name: feed-%d, type: feed, url: %s/feed/%d.xml}\n", i, base, i)
	}
	p := filepath.Join(dir, fmt.Sprintf("bench-%d.yaml", feeds))
	os.Remove(filepath.Join(dir, fmt.Sprintf("bench-%d.db", feeds)))
	return p, os.WriteFile(p, []byte(b.String()), 0o600)
}

// timeCmd runs a command and returns its wall time and peak RSS (KiB).
func timeCmd(name string, args ...string) (time.Duration, int64, error) {
	cmd := exec.Command(name, args...)
	cmd.Stderr = os.Stderr
	start := time.Now()
	err := cmd.Run()
	took := time.Since(start)
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = ru.Maxrss
	}
	return took, rss, err
}

func countRows(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return 0, fmt.Errorf("read export: %w", err)
	}
	return len(recs) - 1, nil
}

func runScale(dir, bin string, items, workers int, scale string) error {
	fmt.Printf("%8s %10s %10s %8s %10s\n", "feeds", "floor", "cold", "ratio", "peak RSS")
	for _, s := range strings.Split(scale, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return fmt.Errorf("-scale %q: %w", s, err)
		}
		r, err := measure(dir, bin, n, items, workers, false)
		if err != nil {
			return err
		}
		fmt.Printf("%8d %10s %10s %7.2fx %8dMB\n", n, r.floor.Round(time.Millisecond), r.cold.Round(time.Millisecond),
			r.cold.Seconds()/r.floor.Seconds(), r.coldRSS/1024)
	}
	return nil
}
