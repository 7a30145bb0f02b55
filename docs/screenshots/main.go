// Command screenshots regenerates the README's pictures of the report and
// of the daemon's review page (docs/img/report.png, docs/img/review.png)
// from the demo: it builds contriblog, runs `contriblog demo --keep`,
// writes the report, starts `contriblog run` on loopback, and photographs
// both pages in headless Chromium (Debian's chromium, or
// $CONTRIBLOG_CHROMIUM). Run it from the repository's root:
//
//	go run ./docs/screenshots
package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/chromedp/chromedp"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "screenshots:", err)
		os.Exit(1)
	}
}

func run() error {
	dir, err := os.MkdirTemp("", "contriblog-screenshots-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "contriblog")
	if err := command("go", "build", "-o", bin, "./cmd/contriblog").Run(); err != nil {
		return fmt.Errorf("build contriblog: %w", err)
	}
	demo := filepath.Join(dir, "demo")
	if err := command(bin, "demo", "--keep", demo).Run(); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	cfg := filepath.Join(demo, "contriblog.yaml")
	report := filepath.Join(dir, "report.html")
	if err := command(bin, "-c", cfg, "report", "--program", "mvp", "-o", report).Run(); err != nil {
		return fmt.Errorf("report: %w", err)
	}

	addr, err := freeAddr()
	if err != nil {
		return err
	}
	f, err := os.OpenFile(cfg, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	// The demo's sources served on loopback are gone: the daemon's start-up
	// pass fails at once and the page shows the stored log.
	fmt.Fprintf(f, "program: mvp\nschedule: \"@every 24h\"\nlisten: %s\n", addr)
	f.Close()
	daemon := command(bin, "-c", cfg, "-q", "run")
	if err := daemon.Start(); err != nil {
		return fmt.Errorf("run: %w", err)
	}
	defer func() { daemon.Process.Signal(os.Interrupt); daemon.Wait() }()
	if err := waitHealthy(addr); err != nil {
		return err
	}

	path := os.Getenv("CONTRIBLOG_CHROMIUM")
	if path == "" {
		path = "/usr/bin/chromium"
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.WindowSize(1280, 1500))
	alloc, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	for _, shot := range []struct{ url, file, at string }{
		{"file://" + report, "docs/img/report.png", ""},
		// The review page's top is the report's: show its table, with
		// the review buttons.
		{"http://" + addr + "/", "docs/img/review.png", "#contributions-h"},
	} {
		if _, err := chromedp.Run(ctx, chromedp.Navigate(shot.url)); err != nil {
			return fmt.Errorf("open %s: %w", shot.url, err)
		}
		if shot.at != "" {
			if _, err := chromedp.Run(ctx, chromedp.ScrollIntoView(shot.at)); err != nil {
				return fmt.Errorf("scroll %s to %s: %w", shot.url, shot.at, err)
			}
		}
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			return fmt.Errorf("photograph %s: %w", shot.url, err)
		}
		if err := os.WriteFile(shot.file, png, 0o644); err != nil {
			return err
		}
		fmt.Println("wrote", shot.file)
	}
	return nil
}

func command(name string, args ...string) *exec.Cmd {
	c := exec.Command(name, args...)
	c.Stdout, c.Stderr = os.Stderr, os.Stderr
	return c
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func waitHealthy(addr string) error {
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
	}
	return errors.New("the daemon did not answer /healthz within 30 s")
}
