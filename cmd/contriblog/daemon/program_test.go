package daemon

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/contriblog/contriblog/harvester"
)

// TestLeftOutHeaders: the rows a program's export left out cross HTTP as
// headers and come back as they were — any text, one header line each —
// and past maxLeftOutHeaders the client is told how many more.
func TestLeftOutHeaders(t *testing.T) {
	left := []harvester.LeftOut{
		{ID: "aaaaaaaaaa", Why: `"Identity and Access" is not an area of Microsoft MVP (2025–26 activity form); a=b&c`},
		{ID: "bbbbbbbbbb", Why: "line\r\nbreak"},
	}
	h := http.Header{}
	setLeftOut(h, left)
	got := leftOut(h)
	if len(got) != 2 || got[0] != left[0] || got[1] != left[1] {
		t.Errorf("round trip: %+v", got)
	}
	if v := h.Get(LeftOutHeader); v == "" || len(v) != len([]rune(v)) {
		t.Errorf("a header value not ASCII: %q", v)
	}
	many := make([]harvester.LeftOut, maxLeftOutHeaders+5)
	for i := range many {
		many[i] = harvester.LeftOut{ID: fmt.Sprintf("id%08d", i), Why: "x"}
	}
	h = http.Header{}
	setLeftOut(h, many)
	got = leftOut(h)
	if len(got) != maxLeftOutHeaders+1 || got[maxLeftOutHeaders].ID != "" || got[maxLeftOutHeaders].Why != "5 more rows were left out; `contriblog check` lists them" {
		t.Errorf("past the cap: %d entries, last %+v", len(got), got[len(got)-1])
	}
	if leftOut(http.Header{}) != nil {
		t.Error("no headers, yet rows left out")
	}
}
