// Package browsertest starts the headless Chromium that the browser
// tests drive (chromedp), and watches what a page asks of the network and
// writes to its console. Only tests import it.
//
// The browser is $CONTRIBLOG_CHROMIUM, else Debian's /usr/bin/chromium,
// else chromium on the PATH. Without one the test is skipped, unless
// CONTRIBLOG_BROWSER_TESTS=required (.ci/run installs Chromium and sets
// it, so CI never skips a browser test).
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Chromium is the path of the browser, or skips (fails, when required) t.
func Chromium(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("CONTRIBLOG_CHROMIUM"); p != "" {
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CONTRIBLOG_BROWSER_TESTS") == "required" {
		t.Fatal("CONTRIBLOG_BROWSER_TESTS=required and no Chromium: install Debian's chromium (apt-get install chromium) or set CONTRIBLOG_CHROMIUM")
	}
	t.Skip("no Chromium at /usr/bin/chromium or on the PATH: `apt-get install chromium` (or set CONTRIBLOG_CHROMIUM) to run the browser test; .ci/run does")
	return ""
}

// Watch records the requests a tab makes and the problems its console
// reports: console errors and warnings, uncaught exceptions, and the
// browser's own log entries of level error or warning (a Content
// Security Policy violation among them).
type Watch struct {
	mu       sync.Mutex
	requests []string
	problems []string
}

func (w *Watch) listen(ev any) {
	w.mu.Lock()
	defer w.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		w.requests = append(w.requests, ev.Request.Method+" "+ev.Request.URL)
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert || ev.Type == runtime.ConsoleAPICalledTypeWarning {
			w.problems = append(w.problems, "console."+string(ev.Type))
		}
	case *runtime.EventExceptionThrown:
		w.problems = append(w.problems, "exception: "+ev.ExceptionDetails.Text)
	case *log.EventEntryAdded:
		if ev.Entry.Level == log.EntryLevelError || ev.Entry.Level == log.EntryLevelWarning {
			w.problems = append(w.problems, string(ev.Entry.Source)+" "+string(ev.Entry.Level)+": "+ev.Entry.Text+" "+ev.Entry.URL)
		}
	}
}

// Take returns what was seen since the last Take ("METHOD URL" per
// request) and forgets it.
func (w *Watch) Take() (requests, problems []string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	requests, problems = w.requests, w.problems
	w.requests, w.problems = nil, nil
	return requests, problems
}

// Start starts a headless Chromium for the test, with opts added to the
// defaults, and returns a tab and its Watch; both end with the test.
func Start(t testing.TB, opts ...chromedp.ExecAllocatorOption) (context.Context, *Watch) {
	t.Helper()
	path := Chromium(t)
	all := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		// The pages are the test's own; CI's containers lack the
		// namespaces Chromium's sandbox needs (and root may not use it).
		chromedp.NoSandbox,
		chromedp.WindowSize(1200, 900),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(all, opts...)...)
	t.Cleanup(cancelAlloc)
	w := &Watch{}
	ctx, cancel := chromedp.NewContext(alloc, chromedp.WithListener(w.listen))
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil { // starts the browser, with no deadline (chromedp.Run)
		t.Fatalf("start %s: %v", path, err)
	}
	return ctx, w
}
