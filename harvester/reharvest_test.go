package harvester_test

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/memstore"
)

// reharvest is a person's sources, harvested pass after pass into one
// store, with `contriblog edit` run in between the way the command does.
type reharvest struct {
	t     *testing.T
	st    *memstore.Store
	h     *harvester.Harvester
	now   time.Time
	srcs  map[string]*fakeSource
	opts  harvester.LogOptions
	start time.Time
}

func newReharvest(t *testing.T) *reharvest {
	r := &reharvest{t: t, st: memstore.New(), now: time.Date(2026, 1, 5, 6, 0, 0, 0, time.UTC),
		srcs: map[string]*fakeSource{}, opts: harvester.LogOptions{Location: time.UTC}}
	r.start = r.now
	var srcs []harvester.Source
	for _, name := range []string{"blog", "devto", "hashnode", "cal", "sz"} {
		f := &fakeSource{name: name}
		r.srcs[name] = f
		srcs = append(srcs, f)
	}
	r.h = &harvester.Harvester{Store: r.st, Sources: srcs, Logger: slog.New(slog.DiscardHandler), Log: r.opts,
		Now: func() time.Time { return r.now }}
	return r
}

func (r *reharvest) pass() []harvester.Contribution {
	r.t.Helper()
	r.now = r.now.Add(6 * time.Hour)
	if _, err := r.h.Run(context.Background()); err != nil {
		r.t.Fatalf("pass at %s: %v", r.now, err)
	}
	return r.log()
}

func (r *reharvest) log() []harvester.Contribution {
	var log []harvester.Contribution
	if err := r.st.ForEachContribution(context.Background(), func(c *harvester.Contribution) error {
		log = append(log, *c)
		return nil
	}); err != nil {
		r.t.Fatal(err)
	}
	return log
}

// edit runs what `contriblog edit id ...` runs.
func (r *reharvest) edit(id string, req harvester.EditRequest) {
	r.t.Helper()
	ctx := context.Background()
	edits, _ := r.st.Edits(ctx)
	save, err := harvester.Curate(r.log(), edits, id, req, r.opts, r.now)
	if err != nil {
		r.t.Fatalf("edit %s: %v", id, err)
	}
	for _, e := range save {
		if err := r.st.SaveEdit(ctx, e); err != nil {
			r.t.Fatal(err)
		}
	}
	if _, _, err := harvester.RebuildLog(ctx, r.st, r.opts); err != nil {
		r.t.Fatal(err)
	}
}

func item(src, id, typ, title, url string, day int) harvester.Observation {
	return harvester.Observation{Source: src, NativeID: id, ActivityType: typ, Title: title, URL: url,
		Person: "Priya Raman", Date: time.Date(2025, 11, 3, 17, 0, 0, 0, time.UTC).AddDate(0, 0, day)}
}

func rowOf(t *testing.T, log []harvester.Contribution, src, id string) harvester.Contribution {
	t.Helper()
	for _, c := range log {
		for _, o := range c.Observations {
			if o.Source == src && o.NativeID == id {
				return c
			}
		}
	}
	t.Fatalf("no row holds %s/%s", src, id)
	return harvester.Contribution{}
}

// TestEditsSurviveReharvests curates a log and harvests ten more times:
// the same items seen again (new LastSeen, growing view counts), new items,
// new listings joining curated rows, and two curated rows merging into one
// by a cross-post that bridges them. Every edit stays where it was made.
func TestEditsSurviveReharvests(t *testing.T) {
	r := newReharvest(t)
	post := item("blog", "zt", harvester.TypeBlog, "Zero Trust in Practice", "https://priya.dev/zt", 0)
	notes := item("blog", "bicep", harvester.TypeBlog, "Bicep notes", "https://priya.dev/bicep", 10)
	copyOf := item("hashnode", "b1", harvester.TypeBlog, "Bicep modules at scale", "https://p.hashnode.dev/bicep", 11)
	talk := item("cal", "t1", harvester.TypeThirdParty, "Cloud Summit: Zero Trust in Practice", "https://cal.example/priya.ics", 20)
	talk.URLIsListing = true
	r.srcs["blog"].obs = []harvester.Observation{post, notes}
	r.srcs["hashnode"].obs = []harvester.Observation{copyOf}
	r.srcs["cal"].obs = []harvester.Observation{talk}
	log := r.pass()
	if len(log) != 4 {
		t.Fatalf("first pass: %d rows, want 4", len(log))
	}
	postID, notesID, copyID, talkID := rowOf(t, log, "blog", "zt").ID, rowOf(t, log, "blog", "bicep").ID,
		rowOf(t, log, "hashnode", "b1").ID, rowOf(t, log, "cal", "t1").ID

	r.edit(postID, harvester.EditRequest{Title: ptr("Zero Trust, in practice"), Reach: ptr(int64(1234))})
	r.edit(talkID, harvester.EditRequest{ActivityType: ptr("speaker/presenter at microsoft event"), Role: ptr("Keynote speaker")})
	r.edit(notesID, harvester.EditRequest{Area: ptr("Infrastructure as Code")})
	r.edit(copyID, harvester.EditRequest{Exclude: ptr(true), Quantity: ptr(2)})

	for pass := 1; pass <= 10; pass++ {
		views := int64(100 * pass)
		p := post
		p.Metrics = map[string]int64{"views": views}
		r.srcs["blog"].obs = []harvester.Observation{p, notes,
			item("blog", fmt.Sprint("new", pass), harvester.TypeBlog, fmt.Sprintf("Weekly note number %d on cloud", pass),
				fmt.Sprintf("https://priya.dev/n%d", pass), 30+pass)}
		switch pass {
		case 3: // a cross-post joins the curated post
			r.srcs["devto"].obs = []harvester.Observation{declared(item("devto", "d1", harvester.TypeBlog,
				"Zero Trust in Practice", "https://dev.to/priya/zt-1", 2), "https://priya.dev/zt")}
		case 5: // a listing of the same talk joins the curated talk
			r.srcs["sz"].obs = []harvester.Observation{item("sz", "s1", harvester.TypeThirdParty, "Zero Trust in Practice",
				"https://sessionize.com/s/1", 20)}
		case 7: // bridges the two Bicep rows: the notes' URL, the copy's title
			r.srcs["devto"].obs = append(r.srcs["devto"].obs, declared(item("devto", "d2", harvester.TypeBlog,
				"Bicep modules at scale", "https://dev.to/priya/bicep-2", 12), "https://priya.dev/bicep"))
		}
		log = r.pass()
		want := 4 + pass // one new post per pass; the listings join rows
		if pass >= 7 {
			want-- // the Bicep rows merged
		}
		if len(log) != want {
			t.Fatalf("pass %d: %d rows, want %d", pass, len(log), want)
		}
		got := rowOf(t, log, "blog", "zt")
		if got.ID != postID || got.Title != "Zero Trust, in practice" || got.Reach != 1234 || got.Metrics["views"] != views {
			t.Errorf("pass %d: post row = %+v", pass, got)
		}
		got = rowOf(t, log, "cal", "t1")
		if got.ID != talkID || got.ActivityType != harvester.TypeMicrosoft || got.Role != "Keynote speaker" {
			t.Errorf("pass %d: talk row = %+v", pass, got)
		}
		notesRow, copyRow := rowOf(t, log, "blog", "bicep"), rowOf(t, log, "hashnode", "b1")
		if notesRow.PrimaryArea != "Infrastructure as Code" || !copyRow.Excluded || copyRow.Quantity != 2 {
			t.Errorf("pass %d: notes row = %+v, copy row = %+v", pass, notesRow, copyRow)
		}
		if pass >= 7 && (notesRow.ID != copyRow.ID || notesRow.ID != minID(notesID, copyID)) {
			t.Errorf("pass %d: merged Bicep rows have ids %s and %s, want %s", pass, notesRow.ID, copyRow.ID, minID(notesID, copyID))
		}
	}
}

func declared(o harvester.Observation, canonical string) harvester.Observation {
	o.CanonicalURL = canonical
	return o
}

// minID is the id that survives when two rows first seen in one pass
// merge: the smaller.
func minID(a, b string) string { return min(a, b) }

func ptr[T any](v T) *T { return &v }
