package harvester

import (
	"fmt"
	"math/rand"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

// seqObs is a small set of observations that the rules join in a three
// (a post and its cross-posts) and a pair (one talk in two listings), each
// first seen on another day, so that merges change ids.
func seqObs() []Observation {
	obs := []Observation{
		blogObs("blog", "1", "Zero Trust in Practice", "https://priya.dev/zt", 0),
		declares(blogObs("devto", "2", "Zero Trust in Practice", "https://dev.to/p/zt", 1), "https://priya.dev/zt"),
		declares(blogObs("medium", "3", "Zero Trust in Practice", "https://medium.com/p/zt", 2), "https://priya.dev/zt"),
		talkObs("sz", "4", "Bicep modules at scale", "https://sessionize.com/s/4", 5),
		talkObs("cal", "5", "Bicep modules at scale", "https://cal.example/e/5", 5),
		videoObs("yt", "6", "Bicep modules at scale (recording)", "https://youtube.com/watch?v=6", 9),
		blogObs("notes", "7", "Something else entirely", "https://notes.example/x", 12),
	}
	for i := range obs {
		obs[i].FirstSeen = day0.AddDate(0, 0, 20+(i*5)%7)
	}
	return obs
}

// editSeq is a log under curation, its edits kept by id as a store keeps
// them.
type editSeq struct {
	obs   []Observation
	opts  LogOptions
	edits map[string]Edit
	log   []Contribution
	now   time.Time
}

func newEditSeq() *editSeq {
	s := &editSeq{obs: seqObs(), opts: LogOptions{Location: time.UTC}, edits: map[string]Edit{}, now: editTime}
	s.rebuild()
	return s
}

func (s *editSeq) list() []Edit {
	var es []Edit
	for _, e := range s.edits {
		es = append(es, e)
	}
	slices.SortFunc(es, func(a, b Edit) int { return strings.Compare(a.ID, b.ID) })
	return es
}

func (s *editSeq) rebuild() { s.log = BuildLog(s.obs, s.list(), s.opts) }

func (s *editSeq) curate(id string, req EditRequest) error {
	s.now = s.now.Add(time.Minute)
	out, err := Curate(s.log, s.list(), id, req, s.opts, s.now)
	if err != nil {
		return err
	}
	for _, e := range out {
		s.edits[e.ID] = e
	}
	s.rebuild()
	return nil
}

// rowOf returns the row holding the observation key.
func (s *editSeq) rowOf(key string) Contribution {
	for _, c := range s.log {
		if slices.Contains(anchorsOfRow(c), key) {
			return c
		}
	}
	return Contribution{}
}

// keyOf is the observation of row that id names.
func keyOf(row Contribution, id string) string {
	for _, k := range anchorsOfRow(row) {
		if ShortID(k) == id {
			return k
		}
	}
	return ""
}

// titled is what the model expects of titles: the title last set through
// the id of each observation, and when.
type titled struct {
	title string
	step  int
}

// TestEditSequencesKeepFieldsOnTheirPosts is the property of issue 15
// item 2: in any sequence of merges, splits and title edits, made through
// a row's id or an older id of it (the id of another of its
// observations),
//   - a row shows the title last set through the id of one of its
//     observations (a merge records the first row's curated title through
//     the id it was given), and no title set through none of them;
//   - --merge A B makes one row of exactly A's and B's observations and
//     leaves every other row alone; it shows A's title and URL;
//   - --split makes a row of each observation of the row and leaves every
//     other row alone.
func TestEditSequencesKeepFieldsOnTheirPosts(t *testing.T) {
	for seed := int64(1); seed <= 400; seed++ {
		r := rand.New(rand.NewSource(seed))
		s := newEditSeq()
		titles := map[string]titled{} // by observation key
		var trail []string
		fail := func(step int, format string, args ...any) {
			t.Helper()
			t.Fatalf("seed %d step %d: %s\n%s", seed, step, fmt.Sprintf(format, args...), strings.Join(trail, "\n"))
		}
		for step := 0; step < 14; step++ {
			row := s.log[r.Intn(len(s.log))]
			id := row.ID
			if r.Intn(3) == 0 {
				o := row.Observations[r.Intn(len(row.Observations))]
				id = ShortID(ObservationKey(o.Source, o.NativeID))
			}
			before := groupsOf(s.log)
			var req EditRequest
			var other Contribution
			op := []string{"title", "title", "merge", "split"}[r.Intn(4)]
			switch op {
			case "title":
				req.Title = ptr(fmt.Sprintf("T%d", step))
			case "merge":
				other = s.log[r.Intn(len(s.log))]
				req.Merge = []string{other.ID}
			case "split":
				req.Split = true
			}
			err := s.curate(id, req)
			trail = append(trail, fmt.Sprintf("%s through %s on %q: %v -> %q", op, keyOf(row, id), anchorsOfRow(row), err, groupsOf(s.log)))
			if err != nil {
				if op == "title" || s.rowOf(keyOf(row, id)).ID == "" {
					fail(step, "%v", err)
				}
				continue
			}
			switch op {
			case "title":
				titles[keyOf(row, id)] = titled{*req.Title, step}
				if got := groupsOf(s.log); !reflect.DeepEqual(got, before) {
					fail(step, "a title edit changed the rows: %q", got)
				}
			case "merge":
				if slices.Contains(row.Curated, "title") {
					titles[keyOf(row, id)] = titled{row.Title, step} // recorded by the merge
				}
				want := append(anchorsOfRow(row), anchorsOfRow(other)...)
				merged := s.rowOf(want[0])
				if got := anchorsOfRow(merged); !sameKeys(got, want) {
					fail(step, "merged row holds %q, want %q", got, want)
				}
				checkOthersKept(t, before, s.log, want, func(msg string) { fail(step, "%s", msg) })
				// The first row's title, unless only the other's was curated.
				wantTitle := row.Title
				if !slices.Contains(row.Curated, "title") && slices.Contains(other.Curated, "title") {
					wantTitle = other.Title
				}
				if merged.Title != wantTitle || merged.URL != row.URL {
					fail(step, "merged row %q %q, want %q %q", merged.Title, merged.URL, wantTitle, row.URL)
				}
			case "split":
				for _, k := range anchorsOfRow(row) {
					if got := anchorsOfRow(s.rowOf(k)); len(got) != 1 {
						fail(step, "after the split %q holds %q", k, got)
					}
				}
				checkOthersKept(t, before, s.log, anchorsOfRow(row), func(msg string) { fail(step, "%s", msg) })
			}
			for _, c := range s.log {
				var set []string // the titles set through its observations
				var last titled
				for _, k := range anchorsOfRow(c) {
					if tt, ok := titles[k]; ok {
						set = append(set, tt.title)
						if tt.step > last.step || last.title == "" {
							last = tt
						}
					}
				}
				curated := slices.Contains(c.Curated, "title")
				switch {
				case len(set) == 0 && curated:
					fail(step, "row %q shows title %q, set through none of its observations", anchorsOfRow(c), c.Title)
				case len(set) > 0 && (!curated || c.Title != last.title):
					fail(step, "row %q shows title %q, want %q, the last of %q set through its observations", anchorsOfRow(c), c.Title, last.title, set)
				}
			}
		}
	}
}

func sameKeys(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	sort.Strings(a)
	sort.Strings(b)
	return reflect.DeepEqual(slices.Compact(a), slices.Compact(b))
}

// checkOthersKept reports a row of before that holds none of keys and is
// no longer a row of log.
func checkOthersKept(t *testing.T, before []string, log []Contribution, keys []string, fail func(string)) {
	t.Helper()
	now := groupsOf(log)
	for _, g := range before {
		touched := false
		for _, k := range keys {
			src, id := SplitObservationKey(k)
			touched = touched || slices.Contains(strings.Split(g, "+"), src+"/"+id)
		}
		if !touched && !slices.Contains(now, g) {
			fail(fmt.Sprintf("row %s, untouched by the edit, is gone: %q", g, now))
		}
	}
}

// TestTitleSetThroughAnOldIDStaysAfterASplit is the case seen in issue
// 15: a talk listed twice (one row), retitled through the id of its
// second listing, then split. The title stays on that listing's row.
func TestTitleSetThroughAnOldIDStaysAfterASplit(t *testing.T) {
	for _, tt := range []struct {
		name      string
		titleVia  string // the observation whose id the title is set through
		splitVia  string
		wantOn    string
		wantPlain string
	}{
		{"title through the second listing, split through the row's id", "cal\x005", "", "cal\x005", "sz\x004"},
		{"title through the second listing, split through it too", "cal\x005", "cal\x005", "cal\x005", "sz\x004"},
		{"title through the row's id, split through the second listing", "", "cal\x005", "sz\x004", "cal\x005"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newEditSeq()
			row := s.rowOf("sz\x004")
			if len(row.Observations) != 2 || row.ID != ShortID("sz\x004") {
				t.Fatalf("fixture: the talk's row is %q, id %s", anchorsOfRow(row), row.ID)
			}
			via := func(key string) string {
				if key == "" {
					return row.ID
				}
				return ShortID(key)
			}
			if err := s.curate(via(tt.titleVia), EditRequest{Title: ptr("Curated")}); err != nil {
				t.Fatal(err)
			}
			if got := s.rowOf("sz\x004"); got.Title != "Curated" {
				t.Fatalf("before the split the row shows %q", got.Title)
			}
			if err := s.curate(via(tt.splitVia), EditRequest{Split: true}); err != nil {
				t.Fatal(err)
			}
			on, plain := s.rowOf(tt.wantOn), s.rowOf(tt.wantPlain)
			if len(on.Observations) != 1 || on.Title != "Curated" || plain.Title == "Curated" || slices.Contains(plain.Curated, "title") {
				t.Errorf("after the split: %q titled %q, %q titled %q (curated %q)", anchorsOfRow(on), on.Title,
					anchorsOfRow(plain), plain.Title, plain.Curated)
			}
		})
	}
}

// TestMergeAfterSplitKeepsTheSplit: merging one part of a split row with
// another row joins those two only; the other parts stay apart (the
// edit's anchors of before the split used to pull them back in).
func TestMergeAfterSplitKeepsTheSplit(t *testing.T) {
	s := newEditSeq()
	post := s.rowOf("blog\x001")
	if err := s.curate(post.ID, EditRequest{Split: true}); err != nil {
		t.Fatal(err)
	}
	if err := s.curate(post.ID, EditRequest{Merge: []string{s.rowOf("notes\x007").ID}}); err != nil {
		t.Fatal(err)
	}
	got := groupsOf(s.log)
	want := []string{"blog/1+notes/7", "cal/5+sz/4", "devto/2", "medium/3", "yt/6"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rows %q, want %q", got, want)
	}
}

// TestMergeKeepsTheFirstRowsCuration: the row named first wins over what
// was curated on the other row before the merge, also when the merge
// request sets a field of its own; a value only the other row curated
// stays.
func TestMergeKeepsTheFirstRowsCuration(t *testing.T) {
	for _, withField := range []bool{false, true} {
		s := newEditSeq()
		a, b := s.rowOf("notes\x007"), s.rowOf("yt\x006")
		if err := s.curate(a.ID, EditRequest{Title: ptr("First row's")}); err != nil {
			t.Fatal(err)
		}
		if err := s.curate(b.ID, EditRequest{Title: ptr("Other row's"), Role: ptr("Host")}); err != nil {
			t.Fatal(err)
		}
		req := EditRequest{Merge: []string{b.ID}}
		if withField {
			req.Reach = ptr(int64(42))
		}
		if err := s.curate(a.ID, req); err != nil {
			t.Fatal(err)
		}
		m := s.rowOf("notes\x007")
		if len(m.Observations) != 2 || m.Title != "First row's" || m.Role != "Host" || m.URL != a.URL ||
			withField && m.Reach != 42 {
			t.Errorf("with a field %v: merged row %+v", withField, m)
		}
	}
}
