package portal

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/program"
)

// ImportRequest is one `contriblog submitted import`: the entries a
// program holds, and what to do with them.
type ImportRequest struct {
	Program string
	Entries []Entry
	// Deleted counts the entries the export held as deleted, for the
	// report.
	Deleted int
	// AddMissing turns entries no row is into hand-kept observations of
	// the source Program+"-portal", so that the log holds the whole
	// history; they are then recorded as imported too.
	AddMissing bool
	// Apply stores what the import finds; without it nothing changes.
	Apply bool
	// Person is whose entries they are (the config's person).
	Person string
}

// ImportReport is what an import found and did. Rows are the rows as the
// log has them after the import.
type ImportReport struct {
	Program    string        `json:"program"`
	Deleted    int           `json:"deleted"`
	Matched    []EntryRow    `json:"matched"`
	Doubts     []EntryDoubt  `json:"doubts"`
	Duplicates []EntryRow    `json:"duplicates"`
	Added      []EntryRow    `json:"added"` // entries added to the log (AddMissing)
	NotAdded   []EntryReason `json:"not_added"`
	// Unmatched are entries no row is (without AddMissing); Left are the
	// rows no entry is: what is still to enter.
	Unmatched []Entry  `json:"unmatched"`
	Left      []RowRef `json:"left"`
	Recorded  int      `json:"recorded"` // records new to the store
	Applied   bool     `json:"applied"`
}

// EntryRow pairs an entry with its row.
type EntryRow struct {
	Entry Entry  `json:"entry"`
	Row   RowRef `json:"row"`
	How   string `json:"how"`
}

// EntryDoubt is an entry several rows could be.
type EntryDoubt struct {
	Entry Entry    `json:"entry"`
	Rows  []RowRef `json:"rows"`
	Why   string   `json:"why"`
}

// EntryReason is an entry left alone, and why.
type EntryReason struct {
	Entry Entry  `json:"entry"`
	Why   string `json:"why"`
}

// RowRef names a row as a person finds it in `contriblog list`.
type RowRef struct {
	ID    string `json:"id"`
	Date  string `json:"date"`
	Title string `json:"title"`
}

func refOf(c *harvester.Contribution) RowRef { return RowRef{ID: c.ID, Date: c.Date, Title: c.Title} }

// Log is what Import needs of the contribution log, wherever it is: a
// harvester.LogService is one.
type Log interface {
	Log(ctx context.Context, f harvester.Filter, fn func(*harvester.Contribution) error) error
	Submissions(ctx context.Context) ([]harvester.Submission, error)
	SaveSubmissions(ctx context.Context, subs []harvester.Submission) error
	AddEntries(ctx context.Context, source string, obs []harvester.Observation) error
}

// Import matches req's entries to the log and, with Apply, records each
// match as submitted (harvester.SubmittedImported) — and with AddMissing
// first adds the entries no row is. Importing the same entries again
// changes nothing: records already there are kept as they are, and added
// observations are the same observations.
func Import(ctx context.Context, st Log, prof *program.Profile, vocab *harvester.Vocabulary,
	req ImportRequest, now time.Time) (ImportReport, error) {
	rep := ImportReport{Program: req.Program, Deleted: req.Deleted, Matched: []EntryRow{}, Doubts: []EntryDoubt{},
		Duplicates: []EntryRow{}, Added: []EntryRow{}, NotAdded: []EntryReason{}, Unmatched: []Entry{}, Left: []RowRef{}}
	rows, err := readLog(ctx, st)
	if err != nil {
		return rep, err
	}
	res := Matches(req.Entries, rows)
	var added map[int]bool
	if req.AddMissing && len(res.UnmatchedEntries) > 0 {
		obs, notAdded, idx := missingObservations(req, prof, vocab, res.UnmatchedEntries)
		rep.NotAdded = append(rep.NotAdded, notAdded...)
		if req.Apply && len(obs) > 0 {
			source := req.Program + "-portal"
			if err := st.AddEntries(ctx, source, obs); err != nil {
				return rep, fmt.Errorf("add the portal's entries as source %s: %w", source, err)
			}
			if rows, err = readLog(ctx, st); err != nil {
				return rep, err
			}
			res = Matches(req.Entries, rows)
		}
		added = idx
	}
	existing, err := st.Submissions(ctx)
	if err != nil {
		return rep, fmt.Errorf("read submission records: %w", err)
	}
	have := covered(existing, rows, req.Program)
	var records []harvester.Submission
	for _, m := range res.Matched {
		e, row := req.Entries[m.Entry], &rows[m.Row]
		er := EntryRow{Entry: e, Row: refOf(row), How: m.How}
		if added[m.Entry] {
			rep.Added = append(rep.Added, er)
		} else {
			rep.Matched = append(rep.Matched, er)
		}
		if have[row.ID] {
			continue // imported or marked before: kept as it is
		}
		s := harvester.NewSubmission(req.Program, row, harvester.SubmittedImported, now)
		s.RemoteID, s.Title, s.Values = e.RemoteID, e.Title, e.Raw
		records = append(records, s)
		have[row.ID] = true
	}
	for _, d := range res.Doubts {
		ed := EntryDoubt{Entry: req.Entries[d.Entry], Why: d.Why}
		for _, r := range d.Rows {
			ed.Rows = append(ed.Rows, refOf(&rows[r]))
		}
		rep.Doubts = append(rep.Doubts, ed)
	}
	for _, m := range res.Duplicates {
		rep.Duplicates = append(rep.Duplicates, EntryRow{Entry: req.Entries[m.Entry], Row: refOf(&rows[m.Row]), How: m.How})
	}
	for _, e := range res.UnmatchedEntries {
		if !req.AddMissing || !req.Apply {
			rep.Unmatched = append(rep.Unmatched, req.Entries[e])
		}
	}
	for _, r := range res.UnmatchedRows {
		if !have[rows[r].ID] && !rows[r].Excluded {
			rep.Left = append(rep.Left, refOf(&rows[r]))
		}
	}
	rep.Recorded = len(records)
	if !req.Apply || len(records) == 0 {
		rep.Applied = req.Apply
		return rep, nil
	}
	if err := st.SaveSubmissions(ctx, records); err != nil {
		return rep, fmt.Errorf("record the matches: %w", err)
	}
	rep.Applied = true
	return rep, nil
}

// covered are the ids of the rows that records of program cover
// (harvester.SubmissionIndex): after a merge or split, the row that now
// holds what was submitted.
func covered(records []harvester.Submission, rows []harvester.Contribution, program string) map[string]bool {
	out := map[string]bool{}
	for id, recs := range harvester.Covering(records, rows) {
		if harvester.SubmittedTo(recs, program) {
			out[id] = true
		}
	}
	return out
}

func readLog(ctx context.Context, st Log) ([]harvester.Contribution, error) {
	var rows []harvester.Contribution
	err := st.Log(ctx, harvester.Filter{All: true}, func(c *harvester.Contribution) error {
		rows = append(rows, *c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the log: %w", err)
	}
	return rows, nil
}

// missingObservations are the hand-kept observations of the entries no
// row is; an entry whose type the program does not map back onto one of
// contriblog's, or that has no title or date, is left out with a reason.
// idx marks the entries added.
func missingObservations(req ImportRequest, prof *program.Profile, vocab *harvester.Vocabulary, unmatched []int) (obs []harvester.Observation, notAdded []EntryReason, idx map[int]bool) {
	idx = map[int]bool{}
	for _, i := range unmatched {
		e := req.Entries[i]
		typ, why := contriblogType(e.Type, prof, vocab)
		switch {
		case e.Title == "":
			why = "it has no title"
		case e.Date == "":
			why = "it has no date"
		}
		if why != "" {
			notAdded = append(notAdded, EntryReason{Entry: e, Why: why})
			continue
		}
		date, _ := time.Parse(harvester.DateLayout, e.Date)
		o := harvester.Observation{NativeID: entryID(e), Person: req.Person, ActivityType: typ, Title: e.Title,
			Description: e.Description, URL: e.URL, Date: date, AllDay: true, TargetAudience: e.Audience,
			Reach: e.Reach, Meta: map[string]string{"kind": "portal", "program": req.Program}}
		if e.RemoteID != "" {
			o.Meta["remote_id"] = e.RemoteID
		}
		if len(e.Areas) > 0 {
			o.PrimaryArea, o.AdditionalAreas = e.Areas[0], e.Areas[1:]
		}
		obs = append(obs, o)
		idx[i] = true
	}
	return obs, notAdded, idx
}

// contriblogType is the contriblog type of a program's type name: the
// first contriblog type the profile maps onto it, or a contriblog type
// of that name. Never a guess: "" and why when neither is.
func contriblogType(name string, prof *program.Profile, vocab *harvester.Vocabulary) (string, string) {
	if prof != nil {
		if t, ok := prof.Type(name); ok && len(t.From) > 0 {
			return t.From[0], ""
		}
	}
	if t, err := vocab.Resolve(name); err == nil && name != "" {
		return t, ""
	}
	if name == "" {
		return "", "it has no activity type"
	}
	return "", fmt.Sprintf("its type %q is none of contriblog's", name)
}

// entryID is an entry's native id: the program's id, else a hash of what
// identifies it, so that importing the same file again adds the same
// observation.
func entryID(e Entry) string {
	if e.RemoteID != "" {
		return e.RemoteID
	}
	sum := sha256.Sum256([]byte(strings.Join([]string{e.Title, e.Date, e.URL}, "\x00")))
	return hex.EncodeToString(sum[:8])
}
