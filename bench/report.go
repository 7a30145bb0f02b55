package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// machine describes where the figures were taken.
func machine() string {
	model := "unknown CPU"
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
		f.Close()
	}
	return fmt.Sprintf("machine: %d CPUs (%s), %s %s/%s", runtime.NumCPU(), model, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

func ratio(a, b time.Duration) string {
	if a <= 0 || b <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.2fx", a.Seconds()/b.Seconds())
}

func ms(d time.Duration) string { return d.Round(time.Millisecond).String() }

// mem is a peak RSS in MB, with its anonymous and mapped-file parts when
// they were sampled.
func mem(u usage) string {
	if u.anon+u.file == 0 {
		return fmt.Sprintf("%d MB", u.rss/1024)
	}
	return fmt.Sprintf("%d MB (anon %d, file %d)", u.rss/1024, u.anon/1024, u.file/1024)
}

func (r *result) print(w io.Writer) {
	fmt.Fprintf(w, "%d feeds x %d items (%.1f MB of RSS), loopback\n", r.feeds, r.items, float64(r.bytes)/1e6)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "floor (fetch+gofeed, nothing stored)\t%s\t\t\n", ms(r.floor))
	fmt.Fprintf(tw, "contriblog cold harvest\t%s\t%s of floor (target <= 1.5x)\tpeak RSS %s (target <= 250)\n",
		ms(r.cold.wall), ratio(r.cold.wall, r.floor), mem(r.cold))
	fmt.Fprintf(tw, "contriblog warm harvest (304s: %d)\t%s\t%s of cold (target <= 0.1x)\tpeak RSS %s\n",
		r.notModified, ms(r.warm.wall), ratio(r.warm.wall, r.cold.wall), mem(r.warm))
	fmt.Fprintf(tw, "contriblog export csv (%d rows)\t%s\t\tpeak RSS %s\n", r.rows, ms(r.export.wall), mem(r.export))
	if r.newsboat > 0 {
		fmt.Fprintf(tw, "newsboat reload (16 threads)\t%s\tcontriblog cold is %s faster\t\n", ms(r.newsboat), ratio(r.newsboat, r.cold.wall))
	}
	tw.Flush()
	if len(r.paired) > 1 {
		p := slices.Sorted(slices.Values(r.paired))
		fmt.Fprintf(w, "cold/floor run by run (each cold harvest over the floor just before it): median %.2fx, %.2fx to %.2fx over %d runs\n",
			p[len(p)/2], p[0], p[len(p)-1], len(p))
	}
	if r.newsboat == 0 {
		fmt.Fprintln(w, "newsboat: not installed (apt-get install newsboat), not asked for, or failed")
	}
}

// printScale prints one row per feed count, as a Markdown table.
func printScale(w io.Writer, rows []*result) {
	fmt.Fprintln(w, "| feeds | items | feeds MB | floor | cold | cold/floor | warm | warm/cold | cold peak RSS | export rows | export |")
	fmt.Fprintln(w, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range rows {
		fmt.Fprintf(w, "| %d | %d | %.1f | %s | %s | %s | %s | %s | %s | %d | %s |\n",
			r.feeds, r.items, float64(r.bytes)/1e6, ms(r.floor), ms(r.cold.wall), ratio(r.cold.wall, r.floor),
			ms(r.warm.wall), ratio(r.warm.wall, r.cold.wall), mem(r.cold), r.rows, ms(r.export.wall))
	}
}

// printExportRows prints one row per log size, as a Markdown table.
func printExportRows(w io.Writer, rows []exportResult) {
	fmt.Fprintln(w, "| rows | CSV MB | export | per 10k rows | peak RSS |")
	fmt.Fprintln(w, "|---:|---:|---:|---:|---:|")
	for _, r := range rows {
		per := time.Duration(float64(r.took.wall) / float64(r.rows) * 10000)
		fmt.Fprintf(w, "| %d | %.1f | %s | %s | %s |\n", r.rows, float64(r.bytes)/1e6, ms(r.took.wall), ms(per), mem(r.took))
	}
}
