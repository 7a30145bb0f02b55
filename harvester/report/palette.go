package report

// The charts' colours are the Okabe–Ito palette (Okabe & Ito, "Color
// Universal Design", 2002), told apart by people with any of the common
// colour-vision deficiencies. Colour is never the only cue: each
// activity type also gets a fill pattern, the legend and every bar are
// labelled in text, and each chart has a data table (docs/report.md).
var okabeIto = []string{
	"#E69F00", // orange
	"#56B4E9", // sky blue
	"#009E73", // bluish green
	"#F0E442", // yellow
	"#0072B2", // blue
	"#D55E00", // vermillion
	"#CC79A7", // reddish purple
	"#000000", // black
}

// darkColour says which of okabeIto take white pattern lines (and which
// black ones) to stay visible.
var darkColour = []bool{false, false, true, false, true, true, false, true}

// patterns are the 8×8 tiles laid over a type's colour, as SVG path data
// drawn with a stroke; "" is plain colour. Dots are zero-length strokes
// with round caps.
var patterns = []string{
	"",
	"M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4", // diagonal /
	"M2,2h.01 M6,6h.01",                  // dots
	"M0,2h8 M0,6h8",                      // horizontal lines
	"M-2,6 l4,4 M0,0 l8,8 M6,-2 l4,4",    // diagonal \
	"M0,4h8 M4,0v8",                      // grid
	"M2,0v8 M6,0v8",                      // vertical lines
	"M0,6 l2,-4 l2,4 l2,-4 l2,4",         // zigzag
}

// typeStyle is how one activity type looks in every chart of a report.
type typeStyle struct {
	Index  int    // position in the report's type order: the pattern's id
	Name   string // the activity type
	Label  string // its short label
	Colour string
	Stroke string // the pattern's line colour
	Path   string // the pattern, "" for none
}

// newTypeStyle gives the i-th type of a report its colour and pattern.
// Colour and pattern advance together, and from the ninth type on the
// pattern is shifted so that no two of the first 64 types look alike.
func newTypeStyle(i int, name, label string) typeStyle {
	c := i % len(okabeIto)
	p := (i + i/len(okabeIto)) % len(patterns)
	stroke := "#000000"
	if darkColour[c] {
		stroke = "#FFFFFF"
	}
	return typeStyle{Index: i, Name: name, Label: label, Colour: okabeIto[c], Stroke: stroke, Path: patterns[p]}
}

// areaColour fills the bars of the areas chart: one series, so colour
// tells nothing there and the bars are labelled.
const areaColour = "#0072B2"
