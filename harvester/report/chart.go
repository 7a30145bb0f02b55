package report

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/contriblog/contriblog/harvester"
)

// Charts are SVG drawn here: coordinates in a fixed viewBox that CSS
// scales to the width of the page or of A4 (docs/report.md#charts).
const (
	chartWidth = 720
	// Horizontal bar charts sit beside their table: narrower, a label
	// column, the bar, its value.
	hbarWidth  = 480
	hbarLabelW = 150
	hbarValueW = 64
	hbarRowH   = 26
	hbarBarH   = 18
	// The monthly chart's plot area.
	stackTop, stackBottom, stackLeft, stackRight = 22, 46, 44, 10
	stackPlotH                                   = 230
)

// hbarChart is a horizontal bar chart: one labelled bar per category.
type hbarChart struct {
	ID, Title, Desc string
	Width, Height   int
	Styles          []typeStyle // the patterns its bars use
	Bars            []hbar
	LabelX, BarX    int
}

type hbar struct {
	Label, Full, Value  string
	Y, W, TextY, ValueX string
	Fill                string
	H                   int
}

// newHBar lays out bars for values, the longest across the plot.
func newHBar(id, title, desc string, styles []typeStyle, labels, fulls, fills []string, values []int64, valueText []string) hbarChart {
	c := hbarChart{ID: id, Title: title, Desc: desc, Width: hbarWidth, Styles: styles, LabelX: hbarLabelW - 8, BarX: hbarLabelW}
	c.Height = max(len(values), 1)*hbarRowH + 8
	var top int64
	for _, v := range values {
		top = max(top, v)
	}
	plotW := float64(hbarWidth - hbarLabelW - hbarValueW)
	for i, v := range values {
		w := 0.0
		if top > 0 {
			w = float64(v) / float64(top) * plotW
		}
		if v > 0 {
			w = max(w, 2) // a small value stays visible
		}
		y := 4 + i*hbarRowH
		c.Bars = append(c.Bars, hbar{
			Label: clip(labels[i], 22), Full: fulls[i], Value: valueText[i], Fill: fills[i],
			Y: itoa(y + (hbarRowH-hbarBarH)/2), H: hbarBarH, W: ftoa(w),
			TextY: itoa(y + hbarRowH/2 + 4), ValueX: ftoa(float64(hbarLabelW) + w + 6),
		})
	}
	return c
}

// stackChart is the contributions per month, stacked by activity type.
type stackChart struct {
	ID, Title, Desc string
	Width, Height   int
	Styles          []typeStyle
	Grid            []gridLine
	Bars            []stackBar
	Ticks           []monthTick
	AxisY, Left     int
	Right           int
	GridLabelX      int
	TickY, YearY    int
}

type gridLine struct {
	Y, LabelY, Label string
}

type stackBar struct {
	Month                string
	Total                int
	X, W, TotalX, TotalY string
	Segments             []segment
}

type segment struct {
	Y, H, Fill, Title string
	Label             string // the count written on the segment; "" when it has no room
	LabelX, LabelY    string
}

type monthTick struct {
	X, Label, Year string
}

// month is one calendar month of a report's period.
type month struct {
	Key         string // 2026-03, as a date's prefix
	Short, Long string // Mar, March 2026
	Year        string
}

// months lists the months from since's to until's, both YYYY-MM-DD.
func months(since, until string) []month {
	s, err1 := time.Parse(harvester.DateLayout, since)
	u, err2 := time.Parse(harvester.DateLayout, until)
	if err1 != nil || err2 != nil {
		return nil
	}
	var out []month
	for t := time.Date(s.Year(), s.Month(), 1, 0, 0, 0, 0, time.UTC); !t.After(u); t = t.AddDate(0, 1, 0) {
		out = append(out, month{Key: t.Format("2006-01"), Short: t.Format("Jan"), Long: t.Format("January 2006"), Year: t.Format("2006")})
	}
	return out
}

// newStack lays out counts[month][style] as stacked bars.
func newStack(id, title, desc string, styles []typeStyle, mo []month, counts [][]int) stackChart {
	c := stackChart{ID: id, Title: title, Desc: desc, Width: chartWidth, Styles: styles,
		Height: stackTop + stackPlotH + stackBottom, AxisY: stackTop + stackPlotH, Left: stackLeft, Right: chartWidth - stackRight,
		GridLabelX: stackLeft - 6, TickY: stackTop + stackPlotH + 16, YearY: stackTop + stackPlotH + 31}
	top := 0
	for _, row := range counts {
		t := 0
		for _, n := range row {
			t += n
		}
		top = max(top, t)
	}
	step, ceiling := niceScale(top)
	yOf := func(v int) float64 { return float64(stackTop+stackPlotH) - float64(v)/float64(ceiling)*stackPlotH }
	for v := 0; v <= ceiling; v += step {
		y := yOf(v)
		c.Grid = append(c.Grid, gridLine{Y: ftoa(y), LabelY: ftoa(y + 4), Label: strconv.Itoa(v)})
	}
	if len(mo) == 0 {
		return c
	}
	slot := float64(chartWidth-stackLeft-stackRight) / float64(len(mo))
	barW := slot * 0.72
	every := (len(mo) + 23) / 24 // label at most 24 months
	for i, m := range mo {
		x := float64(stackLeft) + float64(i)*slot + (slot-barW)/2
		b := stackBar{Month: m.Long, X: ftoa(x), W: ftoa(barW), TotalX: ftoa(x + barW/2)}
		base := 0
		for j, n := range counts[i] {
			if n == 0 {
				continue
			}
			y0, y1 := yOf(base), yOf(base+n)
			s := segment{Y: ftoa(y1), H: ftoa(y0 - y1), Fill: fill(id, styles[j]),
				Title: fmt.Sprintf("%s, %s: %d", m.Long, styles[j].Label, n)}
			if y0-y1 >= 14 && barW >= 14 {
				s.Label = strconv.Itoa(n)
				s.LabelX, s.LabelY = ftoa(x+barW/2), ftoa((y0+y1)/2+4)
			}
			b.Segments = append(b.Segments, s)
			base += n
		}
		b.Total = base
		b.TotalY = ftoa(yOf(base) - 5)
		c.Bars = append(c.Bars, b)
		if i%every == 0 {
			t := monthTick{X: ftoa(x + barW/2), Label: m.Short}
			if i == 0 || m.Short == "Jan" {
				t.Year = m.Year
			}
			c.Ticks = append(c.Ticks, t)
		}
	}
	return c
}

// niceScale picks a step of 1, 2 or 5 times a power of ten that divides
// 0..top into at most five intervals, and the axis's top.
func niceScale(top int) (step, ceiling int) {
	if top <= 0 {
		return 1, 1
	}
	step = 1
	for mag := 1; ; mag *= 10 {
		for _, m := range []int{1, 2, 5} {
			step = m * mag
			if top <= 5*step {
				return step, int(math.Ceil(float64(top)/float64(step))) * step
			}
		}
	}
}

// fill is the paint of a type's bars in chart id: its pattern, defined
// in that chart's <defs> (ids must be unique in the page).
func fill(id string, s typeStyle) string {
	return fmt.Sprintf("url(#%s-t%d)", id, s.Index)
}

func itoa(i int) string { return strconv.Itoa(i) }

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }
