package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/contriblog/contriblog/harvester"
)

func TestSaveBatchCounts(t *testing.T) {
	changed := func(b *harvester.Batch) *harvester.Batch {
		b.Observations[0].Title = "Post item-000, revised"
		return b
	}
	steps := []struct {
		name      string
		batch     *harvester.Batch
		want      harvester.SaveResult
		wantItems int
	}{
		{"first pass: all new", batchOf("blog", 3), harvester.SaveResult{New: 3}, 3},
		{"same items: unchanged", batchOf("blog", 3), harvester.SaveResult{Unchanged: 3}, 3},
		{"one edited, one added", changed(batchOf("blog", 4)), harvester.SaveResult{New: 1, Updated: 1, Unchanged: 2}, 4},
		{"feed shows fewer: nothing forgotten", &harvester.Batch{Observations: batchOf("blog", 4).Observations[3:]}, harvester.SaveResult{Unchanged: 1}, 4},
		{"repeated new item counts once", &harvester.Batch{Observations: []harvester.Observation{obs("blog", "dup"), obs("blog", "dup")}}, harvester.SaveResult{New: 1}, 5},
		{"repeated stored item counts once", &harvester.Batch{Observations: []harvester.Observation{obs("blog", "dup"), obs("blog", "dup")}}, harvester.SaveResult{Unchanged: 1}, 5},
		{"empty batch", &harvester.Batch{}, harvester.SaveResult{}, 5},
		{"nil batch", nil, harvester.SaveResult{}, 5},
	}
	db := MustOpenDB(t)
	for i, s := range steps {
		got := mustSave(t, db, "blog", s.batch, pass(i))
		if got != s.want {
			t.Errorf("%s: got %+v, want %+v", s.name, got, s.want)
		}
		st := mustState(t, db, "blog")
		if st.Items != s.wantItems {
			t.Errorf("%s: Items = %d, want %d", s.name, st.Items, s.wantItems)
		}
		if st.LastNew != s.want.New || st.LastUpdated != s.want.Updated || st.LastUnchanged != s.want.Unchanged {
			t.Errorf("%s: last counts %d/%d/%d, want %+v", s.name, st.LastNew, st.LastUpdated, st.LastUnchanged, s.want)
		}
	}
	if n := len(allObservations(t, db)); n != 5 {
		t.Errorf("stored %d observations, want 5", n)
	}
	mustCheck(t, db)
}

func TestSaveBatchLastOfRepeatedWins(t *testing.T) {
	db := MustOpenDB(t)
	a, b := obs("blog", "x"), obs("blog", "x")
	b.Title = "the later one"
	mustSave(t, db, "blog", &harvester.Batch{Observations: []harvester.Observation{a, b}}, pass(0))
	if got := allObservations(t, db)[a.Key()].Title; got != "the later one" {
		t.Errorf("title = %q, want the later one", got)
	}
}

func TestSaveBatchSeenTimes(t *testing.T) {
	db := MustOpenDB(t)
	o := obs("blog", "a")
	mustSave(t, db, "blog", &harvester.Batch{Observations: []harvester.Observation{o}}, pass(0))
	o.Title = "Renamed"
	o.Metrics = map[string]int64{"views": 99}
	if got := mustSave(t, db, "blog", &harvester.Batch{Observations: []harvester.Observation{o}}, pass(1)); got.Updated != 1 {
		t.Fatalf("second pass: %+v, want one update", got)
	}
	if got := mustSave(t, db, "blog", &harvester.Batch{Observations: []harvester.Observation{o}}, pass(2)); got.Unchanged != 1 {
		t.Fatalf("third pass: %+v, want one unchanged", got)
	}
	got := allObservations(t, db)[o.Key()]
	if !got.FirstSeen.Equal(pass(0)) || !got.LastSeen.Equal(pass(2)) {
		t.Errorf("seen %v .. %v, want %v .. %v", got.FirstSeen, got.LastSeen, pass(0), pass(2))
	}
	if got.Title != "Renamed" || got.Metrics["views"] != 99 {
		t.Errorf("update not stored: %+v", got)
	}
	if !got.Date.Equal(o.Date) {
		t.Errorf("Date = %v, want %v", got.Date, o.Date)
	}
}

func TestSaveBatchZeroDate(t *testing.T) {
	undated := obs("podcast", "ep1")
	undated.Date = time.Time{}
	retitled := undated
	retitled.Title = "Episode 1 (remastered)"
	dated := retitled
	dated.Date = time.Date(2026, 2, 2, 0, 0, 0, 0, time.UTC)
	steps := []struct {
		name         string
		o            harvester.Observation
		want         harvester.SaveResult
		wantDate     time.Time
		wantFallback string
	}{
		{"first seen dates it", undated, harvester.SaveResult{New: 1}, pass(0), "first_seen"},
		{"still undated: unchanged", undated, harvester.SaveResult{Unchanged: 1}, pass(0), "first_seen"},
		{"edited, still undated: keeps date", retitled, harvester.SaveResult{Updated: 1}, pass(0), "first_seen"},
		{"a real date replaces the fallback", dated, harvester.SaveResult{Updated: 1}, dated.Date, ""},
		{"date gone again: keeps the real one", retitled, harvester.SaveResult{Unchanged: 1}, dated.Date, ""},
	}
	db := MustOpenDB(t)
	for i, s := range steps {
		got := mustSave(t, db, "podcast", &harvester.Batch{Observations: []harvester.Observation{s.o}}, pass(i))
		if got != s.want {
			t.Errorf("%s: got %+v, want %+v", s.name, got, s.want)
		}
		o := allObservations(t, db)[undated.Key()]
		if !o.Date.Equal(s.wantDate) || o.DateFallback != s.wantFallback {
			t.Errorf("%s: date %v (%q), want %v (%q)", s.name, o.Date, o.DateFallback, s.wantDate, s.wantFallback)
		}
		if !o.FirstSeen.Equal(pass(0)) {
			t.Errorf("%s: FirstSeen = %v, want %v", s.name, o.FirstSeen, pass(0))
		}
	}
}

func TestSaveBatchSameInstantOtherZone(t *testing.T) {
	db := MustOpenDB(t)
	o := obs("blog", "a")
	mustSave(t, db, "blog", &harvester.Batch{Observations: []harvester.Observation{o}}, pass(0))
	o.Date = o.Date.In(time.FixedZone("PST", -8*3600))
	if got := mustSave(t, db, "blog", &harvester.Batch{Observations: []harvester.Observation{o}}, pass(1)); got.Unchanged != 1 {
		t.Errorf("same instant in another zone: %+v, want unchanged", got)
	}
}

func TestSaveBatchItemsAcrossSources(t *testing.T) {
	db := MustOpenDB(t)
	mustSave(t, db, "a", batchOf("a", 3), pass(0))
	mustSave(t, db, "b", batchOf("b", 5), pass(0)) // same native ids as a's: other observations
	mustSave(t, db, "a", batchOf("a", 4), pass(1))
	for name, want := range map[string]int{"a": 4, "b": 5} {
		if got := mustState(t, db, name).Items; got != want {
			t.Errorf("%s: Items = %d, want %d", name, got, want)
		}
	}
	if n := len(allObservations(t, db)); n != 9 {
		t.Errorf("stored %d observations, want 9", n)
	}
}

func TestSaveBatchLongNativeID(t *testing.T) {
	db := MustOpenDB(t)
	o := obs("blog", "https://example.com/?q="+strings.Repeat("x", 40<<10))
	b := &harvester.Batch{Observations: []harvester.Observation{o}}
	if got := mustSave(t, db, "blog", b, pass(0)); got.New != 1 {
		t.Fatalf("first: %+v", got)
	}
	if got := mustSave(t, db, "blog", b, pass(1)); got.Unchanged != 1 {
		t.Fatalf("second: %+v", got)
	}
	if _, ok := allObservations(t, db)[o.Key()]; !ok {
		t.Error("the full native id did not come back")
	}
	mustCheck(t, db)
}

func TestSaveBatchImpossibleDate(t *testing.T) {
	db := MustOpenDB(t)
	o := obs("blog", "far-future")
	o.Date = time.Date(20260, 1, 1, 0, 0, 0, 0, time.UTC)
	o.EndDate = time.Date(-5, 1, 1, 0, 0, 0, 0, time.UTC)
	mustSave(t, db, "blog", &harvester.Batch{Observations: []harvester.Observation{o}}, pass(0))
	got := allObservations(t, db)[o.Key()]
	if !got.Date.Equal(pass(0)) || got.DateFallback != "first_seen" || !got.EndDate.IsZero() {
		t.Errorf("date %v (%q) end %v, want the pass as fallback and no end", got.Date, got.DateFallback, got.EndDate)
	}
}

func TestSaveBatchRejects(t *testing.T) {
	other := obs("elsewhere", "x")
	noID := obs("blog", "")
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name  string
		ctx   context.Context
		state harvester.SourceState
		b     *harvester.Batch
		want  string
	}{
		{"no source name", context.Background(), harvester.SourceState{}, batchOf("blog", 1), "no name"},
		{"another source's observation", context.Background(), harvester.SourceState{Name: "blog"}, &harvester.Batch{Observations: []harvester.Observation{other}}, `belongs to source "elsewhere"`},
		{"no native id", context.Background(), harvester.SourceState{Name: "blog"}, &harvester.Batch{Observations: []harvester.Observation{noID}}, "no native id"},
		{"cancelled", cancelled, harvester.SourceState{Name: "blog"}, batchOf("blog", 1), context.Canceled.Error()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := MustOpenDB(t)
			_, err := db.SaveBatch(tt.ctx, tt.state, tt.b, pass(0))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one containing %q", err, tt.want)
			}
			if n := len(allObservations(t, db)); n != 0 {
				t.Errorf("%d observations stored after a failed save", n)
			}
		})
	}
}

func TestSaveBatchFillsSource(t *testing.T) {
	db := MustOpenDB(t)
	o := obs("", "a")
	mustSave(t, db, "blog", &harvester.Batch{Observations: []harvester.Observation{o}}, pass(0))
	if _, ok := allObservations(t, db)[harvester.ObservationKey("blog", "a")]; !ok {
		t.Error("an observation without Source was not stored as the batch's source")
	}
}

func TestSaveBatches(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	items := []BatchItem{
		{State: harvester.SourceState{Name: "a", Type: "feed"}, Batch: batchOf("a", 2), Pass: pass(0)},
		{State: harvester.SourceState{Name: "b", Type: "ics"}, Batch: batchOf("b", 3), Pass: pass(0)},
		{State: harvester.SourceState{Name: "a", Type: "feed"}, Batch: batchOf("a", 3), Pass: pass(1)},
	}
	res, err := db.SaveBatches(ctx, items)
	if err != nil {
		t.Fatal(err)
	}
	want := []harvester.SaveResult{{New: 2}, {New: 3}, {New: 1, Unchanged: 2}}
	for i := range want {
		if res[i] != want[i] {
			t.Errorf("result %d = %+v, want %+v", i, res[i], want[i])
		}
	}
	if st := mustState(t, db, "a"); st.Items != 3 || !st.LastRun.Equal(pass(1)) {
		t.Errorf("a: %+v", st)
	}
	if st := mustState(t, db, "b"); st.Items != 3 || st.Type != "ics" {
		t.Errorf("b: %+v", st)
	}

	// All or nothing: one bad batch stores none of the others.
	bad := []BatchItem{
		{State: harvester.SourceState{Name: "c"}, Batch: batchOf("c", 2), Pass: pass(2)},
		{State: harvester.SourceState{Name: "d"}, Batch: &harvester.Batch{Observations: []harvester.Observation{obs("d", "")}}, Pass: pass(2)},
	}
	if _, err := db.SaveBatches(ctx, bad); err == nil {
		t.Fatal("a batch with an observation without id was accepted")
	}
	states, err := db.SourceStates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(states) != 2 {
		t.Errorf("%d sources stored after a failed group, want 2", len(states))
	}
	if n := len(allObservations(t, db)); n != 6 {
		t.Errorf("%d observations, want 6", n)
	}
	mustCheck(t, db)
}

func TestNoAliasing(t *testing.T) {
	db := MustOpenDB(t)
	b := batchOf("blog", 1)
	b.Data = map[string]string{"k": "v"}
	mustSave(t, db, "blog", b, pass(0))
	// The caller's batch is theirs to change after the save.
	b.Observations[0].Categories[0] = "changed"
	b.Data["k"] = "changed"

	key := b.Observations[0].Key()
	got := allObservations(t, db)[key]
	got.Categories[0], got.Metrics["views"], got.Meta["lang"] = "x", -1, "x"
	st := mustState(t, db, "blog")
	st.Data["k"] = "x"

	again := allObservations(t, db)[key]
	if again.Categories[0] != "azure" || again.Metrics["views"] != 10 || again.Meta["lang"] != "en" {
		t.Errorf("stored observation changed through a returned value or the input: %+v", again)
	}
	if v := mustState(t, db, "blog").Data["k"]; v != "v" {
		t.Errorf("stored Data[k] = %q, want v", v)
	}
	// A second batch with the same content is unchanged: nothing leaked
	// into the stored bytes.
	if res := mustSave(t, db, "blog", batchOf("blog", 1), pass(1)); res.Unchanged != 1 {
		t.Errorf("re-save: %+v", res)
	}
}

func TestRecordOmitsSeenTimes(t *testing.T) {
	o := obs("blog", "a")
	o.FirstSeen, o.LastSeen = pass(0), pass(1)
	data, text, err := encodeObservation(&o)
	if err != nil {
		t.Fatal(err)
	}
	bare := o
	bare.FirstSeen, bare.LastSeen = time.Time{}, time.Time{}
	if want, _, _ := encodeObservation(&bare); string(data) != string(want) {
		t.Error("seen times changed the stored form")
	}
	if string(text) != o.Description || strings.Contains(string(data), "<bicep> &") {
		t.Errorf("stored form %q, description %q: want the description as it is, apart", data, text)
	}
	back := decodeWhole(t, data, text)
	if back.Title != o.Title || !back.Date.Equal(o.Date) || !back.FirstSeen.IsZero() {
		t.Errorf("round trip: %+v", back)
	}
}

func TestSeenRoundTrip(t *testing.T) {
	first, last := time.Date(2025, 4, 1, 8, 0, 0, 123, time.FixedZone("X", 5400)), time.Time{}
	f, l, err := decodeSeen(encodeSeen(first, last))
	if err != nil || !f.Equal(first) || !l.Equal(last) {
		t.Errorf("got %v %v %v", f, l, err)
	}
	if _, _, err := decodeSeen([]byte("short")); err == nil {
		t.Error("a short seen record decoded")
	}
}

// Sources are saved in groups whose keys interleave with those saved
// before ("feed-10" lands between "feed-1" and "feed-100"), as a pass
// over many feeds saves them. The pages holding them must still be well
// filled: at bbolt's default of half, the database was twice its data.
func TestSavedPagesAreFilled(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	const sources, perGroup = 240, 16
	for g := 0; g < sources; g += perGroup {
		var items []BatchItem
		for s := g; s < g+perGroup; s++ {
			name := fmt.Sprintf("feed-%d", s)
			items = append(items, BatchItem{State: harvester.SourceState{Name: name, Type: "feed"}, Batch: benchBatch(name), Pass: pass(0)})
		}
		if _, err := db.SaveBatches(ctx, items); err != nil {
			t.Fatal(err)
		}
	}
	pageSize := db.bolt.Info().PageSize
	err := db.bolt.View(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketObservations, bucketText, bucketSeen} {
			st := tx.Bucket(name).Stats()
			fill := float64(st.LeafInuse) / float64(st.LeafPageN*pageSize)
			t.Logf("%s: %d leaf pages, %.0f%% full", name, st.LeafPageN, 100*fill)
			if fill < 0.75 {
				t.Errorf("%s: leaf pages %.0f%% full, want at least 75%%", name, 100*fill)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	mustCheck(t, db)
}

// Reading walks the seen and description records beside the observations
// and decodes in batches: every observation comes back with its own seen
// times and description, in key order, across batch boundaries, whatever
// other records the side buckets hold; a damaged record stops the walk
// after the observations before it; an error from fn stops it at once.
func TestForEachObservationReadsBesideAndInBatches(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	n := readBatch + 37
	for _, src := range []string{"a", "b"} {
		b := batchOf(src, n/2)
		for i := range b.Observations {
			if i%3 == 0 {
				b.Observations[i].Description = ""
			} else {
				b.Observations[i].Description = fmt.Sprintf("about %s %d", src, i)
			}
		}
		mustSave(t, db, src, b, pass(0))
	}
	again := batchOf("a", 1) // a's first, unchanged: last seen later
	again.Observations[0].Description = ""
	mustSave(t, db, "a", again, pass(1))
	// Side records with no observation, before, between and after the
	// observations' keys.
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		// An observation whose seen record is lost reads as never seen.
		if err := tx.Bucket(bucketSeen).Delete([]byte(harvester.ObservationKey("a", "item-010"))); err != nil {
			return err
		}
		for _, k := range []string{"0", "a\x00item-0105", "a\x00zz", "c"} {
			if err := errors.Join(tx.Bucket(bucketSeen).Put([]byte(k), encodeSeen(pass(9), pass(9))),
				tx.Bucket(bucketText).Put([]byte(k), []byte("orphan"))); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, brief := range []bool{false, true} {
		keys = nil
		err := db.ForEachObservation(ctx, harvester.Descriptions(!brief), func(o *harvester.Observation) error {
			keys = append(keys, o.Key())
			src, i := o.Source, 0
			fmt.Sscanf(o.NativeID, "item-%d", &i)
			wantDesc := ""
			if i%3 != 0 {
				wantDesc = fmt.Sprintf("about %s %d", src, i)
			}
			if brief {
				if o.Description != "" || o.DescriptionOmitted != (wantDesc != "") {
					t.Errorf("%s brief: description %q omitted %v", o.Key(), o.Description, o.DescriptionOmitted)
				}
			} else if o.Description != wantDesc {
				t.Errorf("%s: description %q, want %q", o.Key(), o.Description, wantDesc)
			}
			wantLast := pass(0)
			if o.Key() == harvester.ObservationKey("a", "item-000") {
				wantLast = pass(1)
			}
			wantFirst := pass(0)
			if o.Key() == harvester.ObservationKey("a", "item-010") {
				wantFirst, wantLast = time.Time{}, time.Time{}
			}
			if !o.FirstSeen.Equal(wantFirst) || !o.LastSeen.Equal(wantLast) {
				t.Errorf("%s: seen %v..%v", o.Key(), o.FirstSeen, o.LastSeen)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(keys) != 2*(n/2) || !slices.IsSorted(keys) {
			t.Errorf("brief=%v: %d observations (want %d), sorted %v", brief, len(keys), 2*(n/2), slices.IsSorted(keys))
		}
	}
	// A damaged seen record late in the walk reads as never seen, with a
	// warning naming it: the walk goes on to the end.
	bad := harvester.ObservationKey("b", "item-007")
	if err := db.bolt.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketSeen).Put([]byte(bad), []byte("x")) }); err != nil {
		t.Fatal(err)
	}
	var logged strings.Builder
	db.logger = slog.New(slog.NewTextHandler(&logged, nil))
	var last string
	var badSeen time.Time
	err = db.ForEachObservation(ctx, harvester.WithDescriptions, func(o *harvester.Observation) error {
		last = o.Key()
		if o.Key() == bad {
			badSeen = o.LastSeen
		}
		return nil
	})
	if err != nil {
		t.Errorf("err = %v, want the damaged seen record skipped", err)
	}
	if want := keys[len(keys)-1]; last != want || !badSeen.IsZero() {
		t.Errorf("last observation given %q (want %q), damaged one last seen %v (want never)", last, want, badSeen)
	}
	if !strings.Contains(logged.String(), "bucket=seen") || !strings.Contains(logged.String(), "item-007") {
		t.Errorf("log = %q, want a warning naming the seen record of item-007", logged.String())
	}
}
