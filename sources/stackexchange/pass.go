package stackexchange

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/contriblog/contriblog/harvester"
)

// Keys of SourceState.Data.
const (
	keyUser   = "user"
	keySite   = "site"
	keyNewest = "newest" // creation_date (Unix seconds) of the newest answer a clean pass read
)

// What a repeat pass reads again besides the new answers: the answers of
// the last refreshWindow, for their scores, views and acceptance, in at
// most refreshPages pages of answers already seen.
const (
	refreshWindow = 30 * 24 * time.Hour
	refreshPages  = 3
	pageSize      = 100
	// maxPages stops a server that says has_more forever: 100,000
	// answers are more than anyone has written.
	maxPages = 1000
)

// droppedNoDate is the reason for an answer without a creation date, or
// with one past the year 9999.
const droppedNoDate = "no_date"

// maxCreated is the last second of the year 9999.
const maxCreated = 253402300799

type answer struct {
	ID         int64 `json:"answer_id"`
	QuestionID int64 `json:"question_id"`
	Score      int64 `json:"score"`
	Accepted   bool  `json:"is_accepted"`
	Created    int64 `json:"creation_date"`
	// Link and Title come only with a filter that asks for them; the
	// default filter, which this source sends, has neither: the link is
	// then the site's short link and the title the question's.
	Link  string `json:"link"`
	Title string `json:"title"`
}

type question struct {
	ID    int64  `json:"question_id"`
	Title string `json:"title"`
	Link  string `json:"link"`
	Views int64  `json:"view_count"`
}

// pass is one harvest: the range of creation dates it reads, and what it
// read.
type pass struct {
	s      *Source
	api    *api
	since  time.Time
	newest int64     // from the state; 0 for a first (full) read
	from   time.Time // fromdate: nothing older is asked for
	// complete says the read went on until has_more was false; bounded
	// that it stopped, cleanly, after refreshPages pages of answers seen
	// before.
	complete, bounded bool
	oldest            int64 // the oldest creation date read
	oldestFresh       int64 // the oldest creation date read newer than newest
	answers           map[int64]answer
	questions         map[int64]question
	asked             map[int64]bool // questions asked about, answered or not
	dropped           map[string]int
}

// newPass works out what to read: the whole window on a first pass; else
// from the newest answer seen, or 30 days back when that is earlier, and
// in month mode from the first day of that month, so that every month it
// touches is counted whole.
func (s *Source) newPass(st harvester.SourceState) *pass {
	p := &pass{s: s, api: newAPI(s), since: s.cfg.Since, answers: map[int64]answer{},
		questions: map[int64]question{}, asked: map[int64]bool{}, dropped: map[string]int{}}
	if st.Data[keyUser] == strconv.FormatInt(s.user, 10) && st.Data[keySite] == s.cfg.Site {
		p.newest, _ = strconv.ParseInt(st.Data[keyNewest], 10, 64)
	}
	p.from = p.since
	if p.newest > 0 {
		f := time.Unix(p.newest+1, 0)
		if r := s.cfg.Now().Add(-refreshWindow); r.Before(f) {
			f = r
		}
		if s.cfg.Group == GroupMonth {
			f = monthStart(f, s.cfg.Location)
		}
		if f.After(p.from) {
			p.from = f
		}
	}
	return p
}

// readAnswers pages through the user's answers, newest first, from
// p.from.
func (p *pass) readAnswers(ctx context.Context) error {
	q := url.Values{"pagesize": {strconv.Itoa(pageSize)}, "order": {"desc"}, "sort": {"creation"}, "filter": {"default"}}
	if !p.from.IsZero() {
		q.Set("fromdate", strconv.FormatInt(p.from.Unix(), 10))
	}
	path := "/users/" + strconv.FormatInt(p.s.user, 10) + "/answers"
	seenPages := 0
	for page := 1; ; page++ {
		q.Set("page", strconv.Itoa(page))
		env, err := p.api.get(ctx, "answers", path, q)
		if err != nil {
			return err
		}
		var items []answer
		if err := decodeItems(env, &items); err != nil {
			return fmt.Errorf("stack exchange: answers, page %d: %w", page, err)
		}
		if !p.addAnswers(items) && p.newest > 0 && p.pastFreshMonths() {
			seenPages++
		}
		switch {
		case !env.HasMore:
			p.complete = true
			return nil
		case len(items) == 0:
			return fmt.Errorf("stack exchange: answers, page %d: empty, yet has_more", page)
		case seenPages >= refreshPages:
			p.bounded = true
			return nil
		case page >= maxPages:
			return fmt.Errorf("stack exchange: more than %d pages of answers; stopped there", maxPages)
		}
	}
}

// addAnswers keeps a page's answers and reports whether any is newer
// than the newest seen before.
func (p *pass) addAnswers(items []answer) (fresh bool) {
	from := p.from.Unix()
	for _, a := range items {
		switch _, dup := p.answers[a.ID]; {
		case a.ID <= 0:
			p.dropped[harvester.DroppedNoID]++
			continue
		case a.Created <= 0 || a.Created > maxCreated:
			p.dropped[droppedNoDate]++
			continue
		case dup:
			p.dropped[harvester.DroppedRepeated]++
			continue
		case !p.from.IsZero() && a.Created < from:
			p.dropped[harvester.DroppedSince]++ // a server that ignored fromdate
			continue
		}
		p.answers[a.ID] = a
		if a.Created > p.newest {
			fresh = true
			if p.oldestFresh == 0 || a.Created < p.oldestFresh {
				p.oldestFresh = a.Created
			}
		}
		if p.oldest == 0 || a.Created < p.oldest {
			p.oldest = a.Created
		}
	}
	return fresh
}

// pastFreshMonths says the read is past the months of the new answers,
// where the refresh may stop: a month with a new answer is read whole,
// however many answers it has (month mode counts it whole).
func (p *pass) pastFreshMonths() bool {
	if p.s.cfg.Group != GroupMonth || p.oldestFresh == 0 {
		return true
	}
	return p.monthBegins(p.oldest).Before(p.monthBegins(p.oldestFresh))
}

// usable says a stopped read still has something worth completing.
func (p *pass) usable() bool { return len(p.emittable()) > 0 }

// emittable are the answers the batch may show: every answer read, in
// month mode only those of months read whole (a month row must count
// every answer of its month), oldest first.
func (p *pass) emittable() []answer {
	out := make([]answer, 0, len(p.answers))
	lower := p.from.Unix()
	if !p.complete {
		lower = p.oldest + 1 // newest first: everything after the oldest read was read
	}
	for _, a := range p.answers {
		if p.s.cfg.Group == GroupMonth && p.monthBegins(a.Created).Unix() < lower {
			continue
		}
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b answer) int {
		return cmp.Or(cmp.Compare(a.Created, b.Created), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// monthBegins is where the month of the Unix time t begins within the
// window: its first day at midnight in the source's zone, or since when
// later.
func (p *pass) monthBegins(t int64) time.Time {
	m := monthStart(time.Unix(t, 0), p.s.cfg.Location)
	if p.since.After(m) {
		return p.since
	}
	return m
}

// readQuestions fetches the titles and view counts of the questions of
// the answers the batch may show, 100 per call.
func (p *pass) readQuestions(ctx context.Context) error {
	var ids []int64
	for _, a := range p.emittable() {
		if a.QuestionID > 0 && !p.asked[a.QuestionID] && !slices.Contains(ids, a.QuestionID) {
			ids = append(ids, a.QuestionID)
		}
	}
	slices.Sort(ids)
	for len(ids) > 0 {
		n := min(len(ids), pageSize)
		if err := p.readQuestionBatch(ctx, ids[:n]); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

func (p *pass) readQuestionBatch(ctx context.Context, ids []int64) error {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	path := "/questions/" + strings.Join(s, ";")
	q := url.Values{"pagesize": {strconv.Itoa(pageSize)}, "filter": {"default"}}
	got := map[int64]question{}
	for page := 1; ; page++ {
		q.Set("page", strconv.Itoa(page))
		env, err := p.api.get(ctx, "questions", path, q)
		if err != nil {
			return err
		}
		var items []question
		if err := decodeItems(env, &items); err != nil {
			return fmt.Errorf("stack exchange: questions: %w", err)
		}
		for _, it := range items {
			if it.Views < 0 {
				return fmt.Errorf("stack exchange: question %d: view_count %d is not a count", it.ID, it.Views)
			}
			got[it.ID] = it
		}
		if !env.HasMore || len(items) == 0 || page >= maxPages {
			break
		}
	}
	for _, id := range ids {
		p.asked[id] = true
		if it, ok := got[id]; ok {
			p.questions[id] = it
		}
	}
	return nil
}

// known says the answer's question was asked about (a stopped pass may
// not have): only then are its title and views known.
func (p *pass) known(a answer) bool { return a.QuestionID <= 0 || p.asked[a.QuestionID] }

// decodeItems decodes the envelope's items; none is an empty list.
func decodeItems(env *envelope, v any) error {
	if len(env.Items) == 0 || string(env.Items) == "null" {
		return nil
	}
	if err := json.Unmarshal(env.Items, v); err != nil {
		return fmt.Errorf("items: %w", err)
	}
	return nil
}

// batch is what the pass read: an observation per answer or per month,
// of the answers whose questions were asked about. A clean pass records
// the newest answer it read, for the next pass to start from.
func (p *pass) batch(clean bool) *harvester.Batch {
	b := &harvester.Batch{Dropped: p.dropped}
	if p.s.cfg.Group == GroupAnswer {
		for _, a := range p.emittable() {
			if p.known(a) {
				b.Observations = append(b.Observations, p.s.answerObservation(a, p.questions[a.QuestionID]))
			}
		}
	} else {
		b.Observations = p.monthObservations(p.emittable())
	}
	if clean {
		newest := p.newest
		for _, a := range p.answers {
			newest = max(newest, a.Created)
		}
		b.Data = map[string]string{keyUser: strconv.FormatInt(p.s.user, 10), keySite: p.s.cfg.Site,
			keyNewest: strconv.FormatInt(newest, 10)}
	}
	return b
}
