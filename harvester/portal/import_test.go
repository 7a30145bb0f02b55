package portal

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/memstore"
	"github.com/contriblog/contriblog/harvester/program"
)

var now = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

// storeLog is Import's Log over a store, as the local log service is.
type storeLog struct {
	*memstore.Store
	rebuild func(context.Context) error
}

func (s storeLog) Log(ctx context.Context, f harvester.Filter, fn func(*harvester.Contribution) error) error {
	return s.ForEachContribution(ctx, func(c *harvester.Contribution) error {
		if !f.Match(c) {
			return nil
		}
		return fn(c)
	})
}

func (s storeLog) AddEntries(ctx context.Context, source string, obs []harvester.Observation) error {
	item := harvester.BatchItem{State: harvester.SourceState{Name: source, Type: "file"}, Batch: &harvester.Batch{Observations: obs}, Pass: now}
	if _, err := s.SaveBatches(ctx, []harvester.BatchItem{item}); err != nil {
		return err
	}
	return s.rebuild(ctx)
}

// importStore is a store whose log holds the rows the fixture's entries
// are matched against.
func importStore(t *testing.T) (*memstore.Store, func(context.Context) error) {
	t.Helper()
	st := memstore.New()
	day := func(s string) time.Time { d, _ := time.Parse(harvester.DateLayout, s); return d.Add(9 * time.Hour) }
	var obs []harvester.Observation
	for _, r := range rows() {
		o := harvester.Observation{NativeID: r.ID, Person: "Priya Raman", ActivityType: harvester.TypeBlog,
			Title: r.Title, URL: r.URL, Date: day(r.Date)}
		if r.ID == "pk" {
			o.OtherURLs = []string{"https://priyaraman.dev/passkeys-de"}
		}
		if r.ID == "zt1" || r.ID == "zt2" || r.ID == "meet" {
			o.ActivityType = harvester.TypeThirdParty
		}
		obs = append(obs, o)
	}
	item := harvester.BatchItem{State: harvester.SourceState{Name: "blog", Type: "feed"}, Batch: &harvester.Batch{Observations: obs}, Pass: now}
	if _, err := st.SaveBatches(context.Background(), []harvester.BatchItem{item}); err != nil {
		t.Fatal(err)
	}
	opts := harvester.LogOptions{Location: time.UTC, Vocabulary: harvester.NewVocabulary(nil)}
	rebuild := func(ctx context.Context) error { _, _, err := harvester.RebuildLog(ctx, st, opts); return err }
	if err := rebuild(context.Background()); err != nil {
		t.Fatal(err)
	}
	return st, rebuild
}

func TestImport(t *testing.T) {
	ctx := context.Background()
	data, _ := os.ReadFile("testdata/mvp-privacy.json")
	entries, deleted, err := ParseMVP(data)
	if err != nil {
		t.Fatal(err)
	}
	mvp, _ := program.Builtin("mvp")
	vocab := harvester.NewVocabulary(nil)
	mem, rebuild := importStore(t)
	st := storeLog{mem, rebuild}
	req := ImportRequest{Program: "mvp", Entries: entries, Deleted: deleted, Person: "Priya Raman"}

	// Without Apply nothing is stored.
	rep, err := Import(ctx, st, mvp, vocab, req, now)
	if err != nil || rep.Applied || rep.Recorded != 4 {
		t.Fatalf("dry run: %+v, %v", rep, err)
	}
	if subs, _ := st.Submissions(ctx); len(subs) != 0 {
		t.Fatalf("a dry run stored %+v", subs)
	}

	req.Apply = true
	rep, err = Import(ctx, st, mvp, vocab, req, now)
	if err != nil || !rep.Applied || rep.Recorded != 4 || len(rep.Matched) != 4 || len(rep.Doubts) != 1 ||
		len(rep.Duplicates) != 1 || len(rep.Unmatched) != 1 || len(rep.Left) != 1 || rep.Left[0].Title != "Something not yet entered" {
		t.Fatalf("import: %+v, %v", rep, err)
	}
	subs, _ := st.Submissions(ctx)
	if len(subs) != 4 || subs[0].How != harvester.SubmittedImported || subs[0].RemoteID == "" || subs[0].Title == "" || len(subs[0].Values) == 0 {
		t.Fatalf("records: %+v", subs)
	}
	// Again: nothing changes.
	rep, err = Import(ctx, st, mvp, vocab, req, now.Add(time.Hour))
	if again, _ := st.Submissions(ctx); err != nil || rep.Recorded != 0 || !sameRecords(again, subs) {
		t.Fatalf("re-import: recorded %d, %v; records %+v", rep.Recorded, err, again)
	}

	// --add-missing: the keynote no source knows joins the log, recorded.
	req.AddMissing = true
	rep, err = Import(ctx, st, mvp, vocab, req, now)
	if err != nil || len(rep.Added) != 1 || rep.Added[0].Entry.Title != "Keynote at a conference no source knows" || rep.Recorded != 1 {
		t.Fatalf("add missing: %+v, %v", rep, err)
	}
	added, err := st.Contribution(ctx, rep.Added[0].Row.ID)
	if err != nil || added.ActivityType != harvester.TypeThirdParty || added.Sources[0] != "mvp-portal" || added.Date != "2026-02-02" {
		t.Fatalf("the added row: %+v, %v", added, err)
	}
	before, _ := st.Submissions(ctx)
	rev, _ := st.LogState(ctx)
	rep, err = Import(ctx, st, mvp, vocab, req, now.Add(2*time.Hour))
	after, _ := st.Submissions(ctx)
	rev2, _ := st.LogState(ctx)
	if err != nil || rep.Recorded != 0 || len(rep.Added) != 0 || len(rep.Matched) != 5 || !sameRecords(before, after) || rev.Revision != rev2.Revision {
		t.Errorf("re-import with --add-missing changed something: recorded %d, added %d, matched %d, %v; revision %d -> %d",
			rep.Recorded, len(rep.Added), len(rep.Matched), err, rev.Revision, rev2.Revision)
	}
}

func sameRecords(a, b []harvester.Submission) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].ID != b[i].ID || !a[i].At.Equal(b[i].At) || a[i].RemoteID != b[i].RemoteID {
			return false
		}
	}
	return true
}
