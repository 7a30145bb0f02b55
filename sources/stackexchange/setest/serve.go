package setest

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ServeHTTP answers users/{id}/answers and questions/{ids}, at the root
// of the handler (strip the /2.3 a base URL has with http.StripPrefix).
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Requests = append(f.Requests, r.URL.RequestURI())
	q := r.URL.Query()
	method, arg, ok := route(r.URL.Path)
	if !ok {
		f.fail(w, APIError{Status: 404, ID: 404, Name: "no_method", Message: "method not found"})
		return
	}
	if len(f.Errors) > 0 {
		e := f.Errors[0]
		f.Errors = f.Errors[1:]
		f.fail(w, e)
		return
	}
	if e, bad := f.check(q, method); bad {
		f.fail(w, e)
		return
	}
	if f.QuotaUsed >= f.quotaMax() {
		f.fail(w, APIError{ID: 502, Name: "throttle_violation",
			Message: fmt.Sprintf("too many requests from this IP, more requests available in %d seconds", f.untilMidnight())})
		return
	}
	f.QuotaUsed++
	page, _ := strconv.Atoi(q.Get("page"))
	page = max(page, 1)
	size, _ := strconv.Atoi(q.Get("pagesize"))
	if size <= 0 {
		size = 30
	}
	var items []map[string]any
	switch method {
	case "answers":
		if arg != strconv.FormatInt(f.User, 10) {
			items = nil // another user: none of our answers
		} else {
			items = f.answers(q)
		}
	case "questions":
		ids := strings.Split(arg, ";")
		if len(ids) > 100 {
			f.fail(w, APIError{ID: 400, Name: "bad_parameter", Message: "ids cannot contain more than 100 elements"})
			return
		}
		items = f.questions(ids)
	}
	lo, hi := min((page-1)*size, len(items)), min(page*size, len(items))
	env := map[string]any{"items": items[lo:hi], "has_more": hi < len(items),
		"quota_max": f.quotaMax(), "quota_remaining": max(f.quotaMax()-f.QuotaUsed, 0)}
	if s := f.Backoff[method+":"+strconv.Itoa(page)]; s > 0 {
		env["backoff"] = s
		if f.notBefore == nil {
			f.notBefore = map[string]time.Time{}
		}
		f.notBefore[method] = f.now().Add(time.Duration(s) * time.Second)
	}
	f.write(w, http.StatusOK, env)
}

// route splits /users/{id}/answers and /questions/{ids}.
func route(path string) (method, arg string, ok bool) {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case len(parts) == 3 && parts[0] == "users" && parts[2] == "answers":
		return "answers", parts[1], true
	case len(parts) == 2 && parts[0] == "questions":
		return "questions", parts[1], true
	}
	return "", "", false
}

// check answers what the API refuses: another site, a filter with bodies
// or unknown, a page size over 100, a missing key, a backoff not honoured.
func (f *Fake) check(q map[string][]string, method string) (APIError, bool) {
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	site := f.Site
	if site == "" {
		site = "stackoverflow"
	}
	size, _ := strconv.Atoi(get("pagesize"))
	switch {
	case get("site") != site:
		return APIError{ID: 400, Name: "bad_parameter", Message: "No site found for name `" + get("site") + "`"}, true
	case get("filter") != "" && get("filter") != "default":
		return APIError{ID: 400, Name: "bad_parameter", Message: "filter is not a filter this fake knows"}, true
	case size > 100:
		return APIError{ID: 400, Name: "bad_parameter", Message: "pagesize"}, true
	case f.Key != "" && get("key") != f.Key:
		return APIError{ID: 400, Name: "key_required", Message: "key is required"}, true
	case f.now().Before(f.notBefore[method]):
		return APIError{ID: 502, Name: "throttle_violation", Message: "Violation of backoff parameter"}, true
	}
	return APIError{}, false
}

// answers are the user's answers in the date range, sorted as asked.
func (f *Fake) answers(q map[string][]string) []map[string]any {
	from, _ := strconv.ParseInt(first(q["fromdate"]), 10, 64)
	to, err := strconv.ParseInt(first(q["todate"]), 10, 64)
	if err != nil {
		to = 1<<63 - 1
	}
	var as []Answer
	for _, a := range f.Answers {
		if c := a.Created.Unix(); c >= from && c <= to {
			as = append(as, a)
		}
	}
	slices.SortStableFunc(as, func(a, b Answer) int { return a.Created.Compare(b.Created) })
	if first(q["order"]) != "asc" {
		slices.Reverse(as)
	}
	out := make([]map[string]any, len(as))
	for i, a := range as {
		out[i] = map[string]any{"owner": map[string]any{"user_id": f.User, "display_name": "user"},
			"is_accepted": a.Accepted, "score": a.Score, "last_activity_date": a.Created.Unix(),
			"creation_date": a.Created.Unix(), "answer_id": a.ID, "question_id": a.QuestionID,
			"content_license": "CC BY-SA 4.0"}
	}
	return out
}

// questions are the questions of ids that exist, in the order of ids.
func (f *Fake) questions(ids []string) []map[string]any {
	var out []map[string]any
	for _, id := range ids {
		for _, qu := range f.Questions {
			if strconv.FormatInt(qu.ID, 10) == id {
				out = append(out, map[string]any{"tags": []string{}, "is_answered": true, "view_count": qu.Views,
					"question_id": qu.ID, "title": html.EscapeString(qu.Title),
					"link": fmt.Sprintf("https://%s.com/questions/%d/q", f.siteName(), qu.ID)})
			}
		}
	}
	return out
}

func (f *Fake) siteName() string {
	if f.Site == "" {
		return "stackoverflow"
	}
	return f.Site
}

func (f *Fake) fail(w http.ResponseWriter, e APIError) {
	status := e.Status
	if status == 0 {
		status = http.StatusBadRequest
	}
	f.write(w, status, map[string]any{"error_id": e.ID, "error_name": e.Name, "error_message": e.Message})
}

// write sends v as gzip-compressed JSON, as the API sends everything.
func (f *Fake) write(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_ = json.NewEncoder(zw).Encode(v)
	_ = zw.Close()
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if !f.PlainGzip {
		w.Header().Set("Content-Encoding", "gzip")
	}
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func (f *Fake) quotaMax() int64 {
	if f.QuotaMax == 0 {
		return 300
	}
	return f.QuotaMax
}

func (f *Fake) now() time.Time {
	if f.Now == nil {
		return time.Now()
	}
	return f.Now()
}

func (f *Fake) untilMidnight() int64 {
	n := f.now().UTC()
	next := time.Date(n.Year(), n.Month(), n.Day()+1, 0, 0, 0, 0, time.UTC)
	return int64(next.Sub(n) / time.Second)
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}
