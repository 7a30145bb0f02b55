package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// runner runs contriblog's commands and keeps the best of several runs.
type runner struct {
	bin, dir string
	runs     int
	workers  int
	// profile, when set, is where every command writes a CPU profile.
	profile string
	nprof   int
}

// result is one measured configuration.
type result struct {
	feeds, items, bytes, rows int
	floor, newsboat           time.Duration
	cold, warm, export        usage
	notModified               int64
	// paired is each run's cold harvest over the floor measured just
	// before it: on a shared machine the best of each can come from
	// runs far apart.
	paired []float64
}

// measure serves feeds×items and measures the floor, a cold and a warm
// harvest, and the export of the log they made, each the best of r.runs.
func (r *runner) measure(feeds, items int, withNewsboat bool) (*result, error) {
	srv := newFeedServer(feeds, items, time.Now())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	hs := &http.Server{Handler: srv}
	go hs.Serve(ln)
	defer hs.Close()
	base := "http://" + ln.Addr().String()
	res := &result{feeds: feeds, items: items, bytes: srv.size()}

	for i := 0; i < r.runs; i++ {
		took, err := floor(base, feeds, r.workers)
		if err != nil {
			return nil, err
		}
		if i == 0 || took < res.floor {
			res.floor = took
		}
		cold, warm, notMod, err := r.harvestTwice(srv, base, feeds)
		if err != nil {
			return nil, err
		}
		res.cold, res.warm = best(res.cold, cold, i), best(res.warm, warm, i)
		res.paired = append(res.paired, cold.wall.Seconds()/took.Seconds())
		res.notModified = notMod
	}
	cfg := filepath.Join(r.dir, fmt.Sprintf("bench-%d.yaml", feeds))
	out := filepath.Join(r.dir, "export.csv")
	if res.export, res.rows, err = r.timeExport(cfg, out); err != nil {
		return nil, err
	}
	if withNewsboat {
		res.newsboat, _ = timeNewsboat(r.dir, base, feeds)
	}
	return res, nil
}

// harvestTwice harvests into a new database, cold then warm.
func (r *runner) harvestTwice(srv *feedServer, base string, feeds int) (cold, warm usage, notModified int64, err error) {
	cfg, err := writeConfig(r.dir, base, feeds)
	if err != nil {
		return cold, warm, 0, err
	}
	if cold, err = r.contriblog("cold", "-q", "-c", cfg, "harvest"); err != nil {
		return cold, warm, 0, fmt.Errorf("cold harvest: %w", err)
	}
	before := srv.notMod.Load()
	if warm, err = r.contriblog("warm", "-q", "-c", cfg, "harvest"); err != nil {
		return cold, warm, 0, fmt.Errorf("warm harvest: %w", err)
	}
	return cold, warm, srv.notMod.Load() - before, nil
}

// timeExport exports the log of cfg as CSV to out, best of r.runs, and
// counts its rows.
func (r *runner) timeExport(cfg, out string) (usage, int, error) {
	var u usage
	for i := 0; i < r.runs; i++ {
		got, err := r.contriblog("export", "-q", "-c", cfg, "export", "-o", out)
		if err != nil {
			return u, 0, fmt.Errorf("export: %w", err)
		}
		u = best(u, got, i)
	}
	rows, err := countRows(out)
	return u, rows, err
}

// contriblog runs the binary with args, with a CPU profile when asked.
func (r *runner) contriblog(step string, args ...string) (usage, error) {
	var env []string
	if r.profile != "" {
		r.nprof++
		env = append(env, "CONTRIBLOG_CPUPROFILE="+filepath.Join(r.profile, fmt.Sprintf("%02d-%s.pprof", r.nprof, step)))
	}
	return runMeasured(env, r.bin, args...)
}

// best keeps the faster run's time and the higher peak memory: the time
// least disturbed by the rest of the machine, and the worst memory.
func best(kept, got usage, i int) usage {
	if i == 0 {
		return got
	}
	out := kept
	out.wall = min(kept.wall, got.wall)
	if got.rss > kept.rss {
		out.rss, out.anon, out.file = got.rss, got.anon, got.file
	}
	return out
}

func writeConfig(dir, base string, feeds int) (string, error) {
	var b strings.Builder
	db := filepath.Join(dir, fmt.Sprintf("bench-%d.db", feeds))
	fmt.Fprintf(&b, "person: Bench Person\ndatabase: %s\nsince: %s\nsources:\n",
		db, time.Now().AddDate(-1, 0, 0).Format("2006-01-02"))
	for i := 0; i < feeds; i++ {
		fmt.Fprintf(&b, "  - {name: feed-%d, type: feed, url: %s/feed/%d.xml}\n", i, base, i)
	}
	p := filepath.Join(dir, fmt.Sprintf("bench-%d.yaml", feeds))
	if err := os.Remove(db); err != nil && !os.IsNotExist(err) {
		return "", err
	}
	return p, os.WriteFile(p, []byte(b.String()), 0o600)
}

func countRows(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.ReuseRecord = true
	n := -1 // the header
	for {
		_, err := r.Read()
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return 0, fmt.Errorf("read export: %w", err)
		}
		n++
	}
}

// serveOnly serves the feeds and writes their config in dir, until the
// process is interrupted: for profiling contriblog by hand.
func serveOnly(feeds, items int, dir string) error {
	srv := newFeedServer(feeds, items, time.Now())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	cfg, err := writeConfig(dir, "http://"+ln.Addr().String(), feeds)
	if err != nil {
		return err
	}
	fmt.Println("serving; config:", cfg)
	return http.Serve(ln, srv)
}
