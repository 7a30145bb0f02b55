package daemon

import (
	"context"
	"errors"
	"testing"

	"github.com/contriblog/contriblog/harvester"
)

// GET /why/{id} explains a row's areas with the config's log options;
// an unknown id is 404, which the client reads as ErrNotFound.
func TestWhyThroughTheClient(t *testing.T) {
	listen, st := clientDaemon(t, func(d *Daemon) {
		d.Config.Log = harvester.LogOptions{Areas: []harvester.Area{{Name: "Azure", Keywords: []string{"bicep"}}},
			SourceAreas: map[string][]string{"blog": {"Community"}}}
	})
	st.Log[0].PrimaryArea, st.Log[0].AdditionalAreas, st.Log[0].Sources = "Azure", []string{"Community"}, []string{"blog"}
	c := &Client{Listen: listen, Token: testToken}
	ex, err := c.ExplainAreas(context.Background(), " A1 ")
	if err != nil {
		t.Fatal(err)
	}
	want := []harvester.AreaWhy{
		{Area: "Azure", Primary: true, Reasons: []harvester.AreaReason{{Kind: harvester.ReasonKeyword, Keyword: "bicep", Hits: 1, Field: "title"}}},
		{Area: "Community", Reasons: []harvester.AreaReason{{Kind: harvester.ReasonSource, Source: "blog"}}},
	}
	if ex.ID != "a1" || !ex.Keywords || len(ex.Areas) != 2 || ex.Areas[0].Reasons[0] != want[0].Reasons[0] || ex.Areas[1].Reasons[0] != want[1].Reasons[0] {
		t.Errorf("explanation %+v, want areas %+v", ex, want)
	}
	if _, err := c.ExplainAreas(context.Background(), "zz9"); !errors.Is(err, harvester.ErrNotFound) {
		t.Errorf("unknown id: %v, want ErrNotFound", err)
	}
}
