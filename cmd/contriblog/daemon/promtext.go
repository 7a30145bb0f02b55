package daemon

import (
	"bufio"
	"io"
	"math"
	"strconv"
	"strings"
)

// The Prometheus text exposition format, written by hand: the daemon
// exposes a dozen plain counters and gauges, which does not justify
// client_golang and its dependency tree (protobuf, procfs, ...) in a
// single-binary tool.

// family is one metric with its HELP, TYPE and samples.
type family struct {
	name, help, typ string
	samples         []promSample
}

type promSample struct {
	labels []label
	value  float64
}

type label struct{ name, value string }

func scalar(name, typ, help string, v float64) family {
	return family{name: name, typ: typ, help: help, samples: []promSample{{value: v}}}
}

func (f *family) add(labels []label, v float64) {
	f.samples = append(f.samples, promSample{labels: labels, value: v})
}

// writeFamilies writes each family as "# HELP", "# TYPE" and one line per
// sample.
func writeFamilies(w io.Writer, fams []family) error {
	bw := bufio.NewWriter(w)
	for _, f := range fams {
		bw.WriteString("# HELP " + f.name + " " + helpEscaper.Replace(f.help) + "\n")
		bw.WriteString("# TYPE " + f.name + " " + f.typ + "\n")
		for _, s := range f.samples {
			bw.WriteString(f.name)
			if len(s.labels) > 0 {
				bw.WriteByte('{')
				for i, l := range s.labels {
					if i > 0 {
						bw.WriteByte(',')
					}
					bw.WriteString(l.name + `="` + labelEscaper.Replace(l.value) + `"`)
				}
				bw.WriteByte('}')
			}
			bw.WriteString(" " + formatValue(s.value) + "\n")
		}
	}
	return bw.Flush()
}

// The format's escapes: label values escape backslash, double quote and
// line feed; HELP text escapes backslash and line feed.
var (
	labelEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	helpEscaper  = strings.NewReplacer(`\`, `\\`, "\n", `\n`)
)

func formatValue(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}
