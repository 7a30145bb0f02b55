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
