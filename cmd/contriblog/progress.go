package main

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/contriblog/contriblog/harvester"
)

// progress draws one live status line on a terminal: sources done of
// total, items found, and the slowest source still running.
type progress struct {
	w     io.Writer
	now   func() time.Time
	total int

	mu      sync.Mutex
	done    int
	items   int
	running map[string]time.Time
	quit    chan struct{}
	wg      sync.WaitGroup
}

func newProgress(w io.Writer, total int, now func() time.Time) *progress {
	p := &progress{w: w, now: now, total: total, running: map[string]time.Time{}, quit: make(chan struct{})}
	p.wg.Add(1)
	go p.loop()
	return p
}

func (p *progress) event(e harvester.Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if e.Started {
		p.running[e.Source] = p.now()
		return
	}
	delete(p.running, e.Source)
	p.done++
	if e.Result != nil {
		p.items += e.Result.New + e.Result.Updated + e.Result.Unchanged
	}
}

func (p *progress) loop() {
	defer p.wg.Done()
	t := time.NewTicker(200 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-p.quit:
			fmt.Fprint(p.w, "\r\033[K")
			return
		case <-t.C:
			fmt.Fprint(p.w, "\r\033[K"+p.line())
		}
	}
}

func (p *progress) line() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := fmt.Sprintf("harvesting: %d/%d sources, %d items", p.done, p.total, p.items)
	slowest, since := "", p.now()
	for name, t := range p.running {
		if t.Before(since) || (t.Equal(since) && name < slowest) {
			slowest, since = name, t
		}
	}
	if slowest != "" {
		// A name is the config's, but the config may come from anywhere:
		// only the line's own "\r\033[K" may reach the terminal.
		s += fmt.Sprintf(", waiting on %s (%s)", cell(slowest), p.now().Sub(since).Round(time.Second))
	}
	return s
}

func (p *progress) stop() {
	close(p.quit)
	p.wg.Wait()
}
