// Command bench measures contriblog's harvesting against the floor (the
// same feeds fetched and parsed with gofeed, nothing stored) and against
// newsboat, on generated feeds served on loopback, and its export against
// the size of the log.
//
//	go run ./bench -feeds 1000 -items 50
//	go run ./bench -scale 100,300,1000,3000
//	go run ./bench -export-rows 10000,50000,200000
//
// Every contriblog command runs under a small copy of the bench itself
// (see child.go), so that its peak RSS is its own: a child forked from the
// bench would inherit the bench's high-water mark, feeds and all.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// options are the command line.
type options struct {
	feeds, items, workers, runs int
	bin, scale, exportRows      string
	keep, profile               string
	newsboat, serve             bool
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == childFlag {
		os.Exit(runChild(os.Args[2:]))
	}
	var o options
	flag.IntVar(&o.feeds, "feeds", 1000, "number of feeds")
	flag.IntVar(&o.items, "items", 50, "items per feed")
	flag.IntVar(&o.workers, "workers", 16, "concurrent fetchers of the floor")
	flag.IntVar(&o.runs, "runs", 3, "measure each step `N` times and keep the fastest (the peak RSS kept is the highest)")
	flag.StringVar(&o.bin, "bin", "", "contriblog binary (default: built from ./cmd/contriblog)")
	flag.StringVar(&o.scale, "scale", "", "comma-separated feed counts: measure at each and print a table")
	flag.StringVar(&o.exportRows, "export-rows", "", "comma-separated row counts: time `export` of a log of each size and print a table")
	flag.BoolVar(&o.newsboat, "newsboat", true, "also time newsboat, where installed")
	flag.StringVar(&o.keep, "keep", "", "keep the configs and databases in `DIR` (for profiling)")
	flag.StringVar(&o.profile, "profile", "", "write CPU profiles of every contriblog command to `DIR`")
	flag.BoolVar(&o.serve, "serve", false, "only serve the feeds and write their config in the -keep DIR, until interrupted")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(o options) error {
	dir := o.keep
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
	if o.serve {
		return serveOnly(o.feeds, o.items, dir)
	}
	if o.bin == "" {
		o.bin = filepath.Join(dir, "contriblog")
		build := exec.Command("go", "build", "-o", o.bin, "./cmd/contriblog")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("build contriblog: %w", err)
		}
	}
	r := &runner{bin: o.bin, dir: dir, runs: max(o.runs, 1), workers: o.workers, profile: o.profile}
	if o.profile != "" {
		if err := os.MkdirAll(o.profile, 0o700); err != nil {
			return err
		}
	}
	fmt.Println(machine())
	switch {
	case o.scale != "":
		return runScale(r, o.items, o.scale)
	case o.exportRows != "":
		return runExportRows(r, o.exportRows)
	}
	res, err := r.measure(o.feeds, o.items, o.newsboat)
	if err != nil {
		return err
	}
	res.print(os.Stdout)
	return nil
}

// counts parses a comma-separated list of positive numbers.
func counts(flagName, list string) ([]int, error) {
	var out []int
	for _, s := range strings.Split(list, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("%s %q: want positive numbers separated by commas", flagName, list)
		}
		out = append(out, n)
	}
	return out, nil
}

func runScale(r *runner, items int, scale string) error {
	ns, err := counts("-scale", scale)
	if err != nil {
		return err
	}
	var rows []*result
	for _, n := range ns {
		res, err := r.measure(n, items, false)
		if err != nil {
			return err
		}
		rows = append(rows, res)
	}
	printScale(os.Stdout, rows)
	return nil
}
