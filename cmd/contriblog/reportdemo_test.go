package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/contriblog/contriblog/cmd/contriblog/demo"
)

// TestReportDemoCounts pins the report's figures for the demo person —
// per type, per month and type, reach, areas, talks — as the data tables
// beside the charts give them (testdata/report-demo.golden; `go test
// -update` writes it again).
func TestReportDemoCounts(t *testing.T) {
	srv, err := demo.Start(func() time.Time { return fixedNow })
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	cfg, err := srv.WriteConfig(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	mustRun(t, "-c", cfg, "harvest")
	out := filepath.Join(filepath.Dir(cfg), "report.html")
	mustRun(t, "-c", cfg, "report", "--program", "mvp", "--since", "2025-12-01", "--until", "2026-11-30", "-o", out)
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := html.Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "table" {
			text := tableText(n)
			if !strings.Contains(text, "Title and links") { // the full table: the export's goldens pin its rows
				b.WriteString(text + "\n")
			}
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	golden(t, "report-demo.golden", b.String())
}

// tableText is a table's caption and cells, a line per row, cells
// separated by " | ", white space folded.
func tableText(t *html.Node) string {
	var lines []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && (n.Data == "caption" || n.Data == "tr") {
			var cells []string
			if n.Data == "caption" {
				cells = append(cells, strings.Join(strings.Fields(nodeText(n)), " "))
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode && (c.Data == "td" || c.Data == "th") {
					cells = append(cells, strings.Join(strings.Fields(nodeText(c)), " "))
				}
			}
			lines = append(lines, strings.Join(cells, " | "))
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(t)
	return strings.Join(lines, "\n")
}
