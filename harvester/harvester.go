package harvester

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"
)

// Harvester runs one pass over a set of sources: it fetches them
// concurrently (bounded), saves their batches from a single writer
// goroutine (the sources whose harvests are ready together in one
// transaction), and then rebuilds the contribution log. One failing source
// never stops the pass; its error is recorded in its state and reported in
// its Result.
type Harvester struct {
	Store   Store
	Sources []Source

	// Concurrency bounds how many sources are fetched at once (default 16).
	// Fetching is mostly waiting on the network; parsing is bounded by the
	// sources themselves.
	Concurrency int
	// Since drops observations dated before it (undated ones are kept: the
	// store dates them by the pass that first sees them).
	Since time.Time
	// Log is how the log is built after the pass.
	Log LogOptions
	// Fingerprints are the fingerprints of the sources' configurations,
	// by name: a source whose stored validators were read with another
	// is read in full (docs/configuration.md#a-config-change-takes-effect).
	// A source without one is compared by Since only.
	Fingerprints map[string]string

	Logger *slog.Logger
	Now    func() time.Time
	// OnEvent, when set, is told when each source starts and finishes, from
	// the goroutines doing the work; it must be safe for concurrent use.
	OnEvent func(Event)
}

// Event reports progress of a pass to a live display.
type Event struct {
	Source   string
	Started  bool    // true when the source starts, false when it is done
	Result   *Result // set when done
	Finished time.Time
}

// Result is what one source's pass did.
type Result struct {
	Source      string
	Type        string
	New         int
	Updated     int
	Unchanged   int
	NotModified bool
	Err         error
	Duration    time.Duration
	// Seen counts the items the pass read, Kept those it stored, and
	// Dropped the rest by reason (KeptSummary says them); all zero for a
	// pass answered "not modified" or that saved nothing.
	Seen, Kept int
	Dropped    map[string]int
}

// Pass is the outcome of one harvest.
type Pass struct {
	Started    time.Time
	Results    []Result // in the order the sources were given
	LogChanged bool
	// Rows counts the rows the stored log holds after the pass: the
	// rebuilt log's, or when it was not rebuilt (LogErr) the earlier log's
	// that is still stored, or -1 when even that could not be read.
	Rows int
	// Excluded counts those of Rows curated as excluded, which exports
	// leave out (LogState.Excluded): an export has Rows-Excluded rows.
	Excluded int
	// LogErr, when set, says why the log was not rebuilt (a batch the
	// store refused, a failed rebuild); the stored log is then an earlier
	// pass's.
	LogErr error
}

// Err joins the errors of every failed source, or returns nil.
func (p *Pass) Err() error {
	var errs []error
	for _, r := range p.Results {
		if r.Err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", r.Source, r.Err))
		}
	}
	return errors.Join(errs...)
}

// fetched is one source's harvest, on its way to the writer.
type fetched struct {
	index int
	src   Source
	state SourceState
	batch *Batch
	err   error
	took  time.Duration
}

// Run is Harvest of the named sources (all of them when names is empty),
// with their stored validators.
func (h *Harvester) Run(ctx context.Context, names ...string) (*Pass, error) {
	return h.Harvest(ctx, HarvestRequest{Names: names})
}

// Harvest harvests the sources req names (all of them when it names none)
// once and rebuilds the log. The returned error is for the pass as a
// whole (an unknown source name, a store failure, a cancelled context);
// per-source failures are in the Pass's Results. A store failure ends the
// pass before the log is rebuilt: the Pass then says why (LogErr) and how
// many rows the stored log still holds (Rows).
func (h *Harvester) Harvest(ctx context.Context, req HarvestRequest) (*Pass, error) {
	sources, err := h.selectSources(req.Names)
	if err != nil {
		return nil, err
	}
	pass := &Pass{Started: h.now(), Results: make([]Result, len(sources))}
	// Fetchers hand their harvests to the single writer below; the buffer
	// lets them go on while it saves a group.
	out := make(chan fetched, h.concurrency())
	var wg sync.WaitGroup
	jobs := make(chan int)
	for w := 0; w < min(h.concurrency(), len(sources)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				out <- h.fetch(ctx, i, sources[i], req.Refetch)
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := range sources {
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(out) }()

	var storeErr, logErr error
	seen := make([]bool, len(sources))
	for first := range out {
		group := gather(first, out, groupWait)
		for i, r := range h.saveGroup(ctx, pass.Started, group) {
			f := group[i]
			seen[f.index] = true
			if r.Err != nil && isStoreError(r.Err) && storeErr == nil {
				storeErr, logErr = r.Err, fmt.Errorf("%s: %w", r.Source, r.Err)
			}
			pass.Results[f.index] = r
			h.emit(Event{Source: f.src.Name(), Result: &pass.Results[f.index], Finished: h.now()})
		}
	}
	for i, ok := range seen {
		if !ok {
			pass.Results[i] = Result{Source: sources[i].Name(), Type: sources[i].Type(), Err: fmt.Errorf("not harvested: %w", context.Cause(ctx))}
		}
	}
	if storeErr != nil {
		h.notRebuilt(ctx, pass, logErr)
		return pass, storeErr
	}
	changed, rows, err := h.Rebuild(context.WithoutCancel(ctx))
	if err != nil {
		h.notRebuilt(ctx, pass, err)
		return pass, err
	}
	pass.LogChanged, pass.Rows = changed, rows
	// One small read: the rows are stored, and the store counted them.
	if state, err := h.Store.LogState(context.WithoutCancel(ctx)); err == nil {
		pass.Excluded = state.Excluded
	}
	return pass, ctx.Err()
}

// notRebuilt records in pass that the log was not rebuilt because of why,
// and how many rows the stored log still holds: a pass that failed must
// not report an empty log when the earlier one is there.
func (h *Harvester) notRebuilt(ctx context.Context, pass *Pass, why error) {
	pass.LogErr = why
	state, err := h.Store.LogState(context.WithoutCancel(ctx))
	if err != nil {
		pass.Rows = -1
		pass.LogErr = fmt.Errorf("%w (and the stored log cannot be read: %w)", why, err)
		return
	}
	pass.Rows, pass.Excluded = state.Rows, state.Excluded
}

func (h *Harvester) selectSources(names []string) ([]Source, error) {
	if len(names) == 0 {
		return h.Sources, nil
	}
	byName := make(map[string]Source, len(h.Sources))
	for _, s := range h.Sources {
		byName[s.Name()] = s
	}
	var out []Source
	for _, n := range names {
		s, ok := byName[n]
		if !ok {
			return nil, fmt.Errorf("no enabled source named %q", n)
		}
		out = append(out, s)
	}
	return out, nil
}

// fetch runs one source's Harvest, turning a panic into an error so that
// one broken parser cannot take the pass down. The source gets its stored
// state, without validators when they may not be used (staleness).
func (h *Harvester) fetch(ctx context.Context, i int, src Source, refetch bool) (f fetched) {
	f = fetched{index: i, src: src}
	start := h.now()
	h.emit(Event{Source: src.Name(), Started: true})
	defer func() {
		if p := recover(); p != nil {
			h.logger().Error("source panicked", "source", src.Name(), "panic", p, "stack", string(debug.Stack()))
			f.batch, f.err = nil, fmt.Errorf("internal error (panic): %v", p)
		}
		f.took = h.now().Sub(start)
	}()
	if err := ctx.Err(); err != nil {
		f.err = fmt.Errorf("not harvested: %w", err)
		return f
	}
	state, err := h.Store.SourceState(ctx, src.Name())
	if err != nil {
		f.err = storeError{fmt.Errorf("read state: %w", err)}
		return f
	}
	f.state = state
	if why := h.staleness(state, refetch); why != "" {
		h.logger().Info("reading in full, without the stored validators", "source", src.Name(), "why", why)
		state = withoutValidators(state)
	}
	f.batch, f.err = src.Harvest(ctx, state)
	return f
}

func (h *Harvester) emit(e Event) {
	if h.OnEvent != nil {
		h.OnEvent(e)
	}
}

func (h *Harvester) concurrency() int {
	if h.Concurrency > 0 {
		return h.Concurrency
	}
	return 16
}

func (h *Harvester) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

func (h *Harvester) logger() *slog.Logger {
	if h.Logger != nil {
		return h.Logger
	}
	return slog.Default()
}
