package report

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/contriblog/contriblog/harvester/report/browsertest"
)

// TestReportInBrowser opens the fixture's report in headless Chromium:
// it loads with no request past its own file and no console error, the
// charts are drawn with the counts of the data, hostile titles are text,
// it lays out within A4's width in print, and prints to a PDF.
func TestReportInBrowser(t *testing.T) {
	ctx, watch := browsertest.Start(t)
	var buf bytes.Buffer
	if err := Render(&buf, fixture(t)); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	pageURL := (&url.URL{Scheme: "file", Path: filepath.ToSlash(file)}).String()
	step, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()

	if err := chromedp.Do(step, chromedp.Navigate(pageURL)); err != nil {
		t.Fatalf("open the report: %v", err)
	}
	type chart struct {
		ID   string  `json:"id"`
		W    float64 `json:"w"`
		H    float64 `json:"h"`
		Bars int     `json:"bars"`
	}
	type result struct {
		Charts   []chart `json:"charts"`
		Totals   int     `json:"totals"`
		Rows     int     `json:"rows"`
		Scripts  int     `json:"scripts"`
		Images   int     `json:"images"`
		JSLinks  int     `json:"jsLinks"`
		Hostile  string  `json:"hostile"`
		Hostile2 string  `json:"hostile2"`
	}
	got, err := chromedp.Run(step, chromedp.Evaluate[result](`(() => {
		const drawn = el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
		const charts = [...document.querySelectorAll('svg.chart-svg')].map(s => {
			const r = s.getBoundingClientRect();
			return {id: s.id, w: r.width, h: r.height, bars: [...s.querySelectorAll('rect.bar')].filter(drawn).length};
		});
		const totals = [...document.querySelectorAll('#all-monthly g.month')].reduce((n, g) => n + Number(g.dataset.total), 0);
		return {charts, totals,
			rows: document.querySelectorAll('#contributions tbody tr').length,
			scripts: document.scripts.length, images: document.images.length,
			jsLinks: document.querySelectorAll('a[href^="javascript:" i], a[href^="data:" i]').length,
			hostile: document.querySelector('#row-hostile1 .title').textContent,
			hostile2: document.querySelector('#row-hostile2 .title a').textContent};
	})()`))
	if err != nil {
		t.Fatalf("read the page: %v", err)
	}
	wantBars := map[string]int{"all-monthly": 8, "all-types": 8, "p1-types": 2, "all-reach": 5, "all-areas": 3}
	if len(got.Charts) != 12 {
		t.Errorf("%d charts drawn, want 12", len(got.Charts))
	}
	for _, c := range got.Charts {
		if c.W < 100 || c.H < 20 {
			t.Errorf("chart %s is %.0f×%.0f pixels: not drawn", c.ID, c.W, c.H)
		}
		if want, ok := wantBars[c.ID]; ok && c.Bars != want {
			t.Errorf("chart %s draws %d bars, want %d", c.ID, c.Bars, want)
		}
	}
	if got.Totals != 10 || got.Rows != 10 {
		t.Errorf("the monthly chart counts %d and the table lists %d contributions, want 10", got.Totals, got.Rows)
	}
	if got.Scripts != 0 || got.Images != 0 || got.JSLinks != 0 {
		t.Errorf("%d scripts, %d images, %d javascript:/data: links in the page", got.Scripts, got.Images, got.JSLinks)
	}
	if !strings.HasPrefix(got.Hostile, "<script>alert(1)</script>") || got.Hostile2 != `"><img src=x onerror=alert(1)>` {
		t.Errorf("hostile titles not shown as text: %q, %q", got.Hostile, got.Hostile2)
	}

	// Print: at A4's width less the @page margins (186 mm, 703 CSS
	// pixels) nothing is wider than the page.
	type fit struct {
		Page  float64 `json:"page"`
		Wide  float64 `json:"wide"`
		Chart float64 `json:"chart"`
	}
	err = chromedp.Do(step,
		chromedp.EmulateViewport(703, 1000),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
			return err
		}),
	)
	if err != nil {
		t.Fatalf("emulate print: %v", err)
	}
	fits, err := chromedp.Run(step, chromedp.Evaluate[fit](`({page: window.innerWidth,
		wide: document.documentElement.scrollWidth,
		chart: Math.max(...[...document.querySelectorAll('svg.chart-svg')].map(s => s.getBoundingClientRect().right))})`))
	if err != nil {
		t.Fatal(err)
	}
	if fits.Wide > fits.Page || fits.Chart > fits.Page {
		t.Errorf("printed on A4, the page is %.0f pixels wide and a chart ends at %.0f, past the %.0f of the paper", fits.Wide, fits.Chart, fits.Page)
	}
	pdf, err := chromedp.Run(step, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFPreferCSSPageSize(), chromedp.PDFPrintBackground()))
	if err != nil {
		t.Fatalf("print to PDF: %v", err)
	}
	pages := len(regexp.MustCompile(`/Type\s*/Page\b`).FindAll(pdf, -1))
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || len(pdf) < 20<<10 || pages < 3 {
		t.Errorf("the PDF is %d bytes of %d pages, want a real document of several pages", len(pdf), pages)
	}
	if !regexp.MustCompile(`/MediaBox\s*\[\s*0 0 59[45](\.\d+)? 84[12](\.\d+)?\s*\]`).Match(pdf) {
		t.Error("the PDF's pages are not A4 (595×842 points)")
	}

	requests, problems := watch.Take()
	for _, r := range requests {
		if r != "GET "+pageURL {
			t.Errorf("the page requested %s", r)
		}
	}
	if len(requests) == 0 {
		t.Error("no request seen at all, not even the page's own: the watch sees nothing")
	}
	for _, p := range problems {
		t.Errorf("console: %s", p)
	}

	// The watch would have seen a request: a page that asks for an
	// image from elsewhere is caught.
	bad := filepath.Join(filepath.Dir(file), "bad.html")
	os.WriteFile(bad, []byte(`<!DOCTYPE html><title>x</title><img src="http://127.0.0.1:9/x.png" alt="">`), 0o600)
	if err := chromedp.Do(step, chromedp.Navigate((&url.URL{Scheme: "file", Path: filepath.ToSlash(bad)}).String())); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	requests, _ = watch.Take()
	if !strings.Contains(strings.Join(requests, " "), "http://127.0.0.1:9/x.png") {
		t.Errorf("the watch missed a page's request for an image: %v", requests)
	}
}
