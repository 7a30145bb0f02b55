package stackexchange

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/contriblog/contriblog/harvester"
)

// site is what a row says of a site: its host and its name.
type site struct{ host, name string }

// knownSites are the sites whose host or name is not SITE.stackexchange.com
// and SITE.
var knownSites = map[string]site{
	"stackoverflow": {"stackoverflow.com", "Stack Overflow"},
	"superuser":     {"superuser.com", "Super User"},
	"serverfault":   {"serverfault.com", "Server Fault"},
	"askubuntu":     {"askubuntu.com", "Ask Ubuntu"},
	"stackapps":     {"stackapps.com", "Stack Apps"},
	"mathoverflow":  {"mathoverflow.net", "MathOverflow"},
}

var siteRE = regexp.MustCompile(`^[a-z0-9]([a-z0-9.-]{0,98}[a-z0-9])?$`)

// CheckSite says what is wrong with a site parameter: it is a site's
// short name (stackoverflow, superuser, math) or its domain.
func CheckSite(s string) error {
	if !siteRE.MatchString(s) {
		return errors.New("not a Stack Exchange site: give its name (stackoverflow, superuser, math) or its domain")
	}
	return nil
}

// siteOf is the host and name of a site parameter: a known site, a
// domain as it is, else SITE.stackexchange.com named SITE.
func siteOf(param string) site {
	key := strings.TrimSuffix(strings.TrimSuffix(param, ".com"), ".net")
	if s, ok := knownSites[key]; ok {
		return s
	}
	if strings.Contains(param, ".") {
		return site{param, strings.TrimSuffix(param, ".stackexchange.com")}
	}
	return site{param + ".stackexchange.com", param}
}

// answerObservation is one answer: the question's title, the answer's
// link, its score and acceptance, the question's views.
func (s *Source) answerObservation(a answer, q question) harvester.Observation {
	o := s.observation(strconv.FormatInt(a.ID, 10), s.answerURL(a), time.Unix(a.Created, 0))
	o.Title = harvester.PlainText(a.Title)
	if o.Title == "" {
		o.Title = harvester.PlainText(q.Title)
	}
	if o.Title == "" {
		o.Title = fmt.Sprintf("Answer %d on %s", a.ID, s.site.name)
	}
	o.Metrics = map[string]int64{"score": a.Score, "accepted": b2i(a.Accepted), "views": q.Views}
	o.Meta = map[string]string{"site": s.cfg.Site, "question_id": strconv.FormatInt(a.QuestionID, 10)}
	return o
}

// monthObservations are one row per calendar month of answers, each
// month counted whole: a month one of whose questions is unknown (a pass
// stopped before asking) is left for the next pass.
func (p *pass) monthObservations(answers []answer) []harvester.Observation {
	type month struct {
		begins  time.Time
		answers []answer
	}
	var months []*month
	by := map[string]*month{}
	skip := map[string]bool{}
	for _, a := range answers {
		begins := p.monthBegins(a.Created)
		key := monthStart(begins, p.s.cfg.Location).Format("2006-01")
		if !p.known(a) {
			skip[key] = true
		}
		m := by[key]
		if m == nil {
			m = &month{begins: begins}
			by[key] = m
			months = append(months, m)
		}
		m.answers = append(m.answers, a)
	}
	var out []harvester.Observation
	for _, m := range months {
		key := monthStart(m.begins, p.s.cfg.Location).Format("2006-01")
		if !skip[key] {
			out = append(out, p.s.monthObservation(key, m.begins, m.answers, p.questions))
		}
	}
	return out
}

// monthObservation is one month: "12 answers on Stack Overflow, 4
// accepted", with the answers' links and the sum of their questions'
// views (a question answered twice counts once).
func (s *Source) monthObservation(key string, begins time.Time, answers []answer, qs map[int64]question) harvester.Observation {
	o := s.observation(key, fmt.Sprintf("https://%s/users/%d?tab=answers", s.site.host, s.user), begins)
	var accepted, score, views int64
	counted := map[int64]bool{}
	for _, a := range answers {
		accepted += b2i(a.Accepted)
		score = addCount(score, a.Score)
		if !counted[a.QuestionID] {
			counted[a.QuestionID] = true
			views = addCount(views, qs[a.QuestionID].Views)
		}
		o.OtherURLs = append(o.OtherURLs, s.answerURL(a))
	}
	noun := "answers"
	if len(answers) == 1 {
		noun = "answer"
	}
	o.Title = fmt.Sprintf("%d %s on %s, %d accepted", len(answers), noun, s.site.name, accepted)
	o.Description = monthDescription(answers, qs)
	o.Quantity = len(answers)
	o.Metrics = map[string]int64{"answers": int64(len(answers)), "accepted": accepted, "score": score, "views": views}
	o.Meta = map[string]string{"site": s.cfg.Site, "month": key}
	return o
}

// monthDescription names the questions answered, for the row's
// description and for tagging its technology areas by keyword.
func monthDescription(answers []answer, qs map[int64]question) string {
	var titles []string
	seen := map[int64]bool{}
	for _, a := range answers {
		if t := harvester.PlainText(qs[a.QuestionID].Title); t != "" && !seen[a.QuestionID] {
			seen[a.QuestionID] = true
			titles = append(titles, t)
		}
	}
	if len(titles) == 0 {
		return ""
	}
	d := "Answered: " + strings.Join(titles, "; ")
	if !strings.ContainsAny(d[len(d)-1:], ".?!") {
		d += "."
	}
	return harvester.Truncate(d, maxDescription)
}

// maxDescription bounds a month's description: a busy month answers
// hundreds of questions.
const maxDescription = 1000

func (s *Source) observation(id, link string, date time.Time) harvester.Observation {
	return harvester.Observation{Source: s.cfg.Name, NativeID: id, Person: s.cfg.Person,
		ActivityType: s.cfg.Activity, URL: link, Date: date}
}

// answerURL is the answer's link: the one the API gave, else the site's
// short link to the answer.
func (s *Source) answerURL(a answer) string {
	if strings.HasPrefix(a.Link, "https://") {
		return a.Link
	}
	return fmt.Sprintf("https://%s/a/%d", s.site.host, a.ID)
}

// monthStart is the first day of t's month, at midnight in loc.
func monthStart(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, loc)
}

// addCount adds, saturating rather than wrapping: a hostile score must
// not turn a sum negative.
func addCount(a, b int64) int64 {
	s := a + b
	switch {
	case b > 0 && s < a:
		return math.MaxInt64
	case b < 0 && s > a:
		return math.MinInt64
	}
	return s
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
