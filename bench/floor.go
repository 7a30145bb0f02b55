package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/mmcdole/gofeed"
)

// floor fetches every feed with the given number of workers and parses it
// with gofeed, storing nothing: the least any harvester must spend.
func floor(base string, feeds, workers int) (time.Duration, error) {
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: workers}}
	jobs := make(chan int)
	errs := make(chan error, feeds)
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := gofeed.NewParser()
			for i := range jobs {
				resp, err := client.Get(fmt.Sprintf("%s/feed/%d.xml", base, i))
				if err != nil {
					errs <- err
					continue
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err == nil {
					_, err = p.Parse(bytes.NewReader(body))
				}
				if err != nil {
					errs <- err
				}
			}
		}()
	}
	for i := 0; i < feeds; i++ {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	took := time.Since(start)
	close(errs)
	for err := range errs {
		return took, fmt.Errorf("floor: %w", err)
	}
	return took, nil
}

// timeNewsboat reloads the same feeds with newsboat (16 reload threads),
// when it is installed.
func timeNewsboat(dir, base string, feeds int) (time.Duration, error) {
	path, err := exec.LookPath("newsboat")
	if err != nil {
		return 0, err
	}
	var urls strings.Builder
	for i := 0; i < feeds; i++ {
		fmt.Fprintf(&urls, "%s/feed/%d.xml\n", base, i)
	}
	nb := filepath.Join(dir, "newsboat")
	os.MkdirAll(nb, 0o700)
	os.WriteFile(filepath.Join(nb, "urls"), []byte(urls.String()), 0o600)
	os.WriteFile(filepath.Join(nb, "config"), []byte("reload-threads 16\n"), 0o600)
	cmd := exec.Command(path, "-u", filepath.Join(nb, "urls"), "-c", filepath.Join(nb, "cache.db"),
		"-C", filepath.Join(nb, "config"), "-x", "reload")
	cmd.Env = append(os.Environ(), "HOME="+nb)
	start := time.Now()
	err = cmd.Run()
	return time.Since(start), err
}

func (r *result) print(w io.Writer) {
	ratio := func(a, b time.Duration) string {
		if b <= 0 {
			return "-"
		}
		return fmt.Sprintf("%.2fx", a.Seconds()/b.Seconds())
	}
	fmt.Fprintf(w, "%d feeds x %d items (%.1f MB of RSS), loopback\n", r.feeds, r.items, float64(r.bytes)/1e6)
	fmt.Fprintf(w, "floor (fetch+gofeed, nothing stored)  %10s\n", r.floor.Round(time.Millisecond))
	fmt.Fprintf(w, "contriblog cold harvest               %10s  %s of floor   (target <= 1.5x)  peak RSS %d MB (target <= 250)\n",
		r.cold.Round(time.Millisecond), ratio(r.cold, r.floor), r.coldRSS/1024)
	fmt.Fprintf(w, "contriblog warm harvest (304s: %d)    %10s  %s of cold    (target <= 0.1x)  peak RSS %d MB\n",
		r.notModified, r.warm.Round(time.Millisecond), ratio(r.warm, r.cold), r.warmRSS/1024)
	fmt.Fprintf(w, "contriblog export csv (%d rows)       %10s\n", r.rows, r.export.Round(time.Millisecond))
	if r.newsboat > 0 {
		fmt.Fprintf(w, "newsboat reload (16 threads)          %10s  contriblog is %s faster\n",
			r.newsboat.Round(time.Millisecond), ratio(r.newsboat, r.cold))
	} else {
		fmt.Fprintln(w, "newsboat: not installed (apt-get install newsboat) or failed")
	}
}
