// Package setest is a fake of the Stack Exchange API 2.3, in its shapes
// and manners, for the stackexchange source's tests and for `contriblog
// demo`: users/{id}/answers (fromdate, todate, sort=creation, order,
// page, pagesize) and questions/{ids}, every body gzip-compressed and
// wrapped {items, has_more, quota_max, quota_remaining, backoff}, errors
// {error_id, error_name, error_message}, a daily quota, backoffs it
// enforces, and scripted faults. It records every request.
//
// It imports only the standard library; the demo serves it from the
// contriblog binary.
package setest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"sync"
	"time"
)

// Answer is one answer the fake serves.
type Answer struct {
	ID         int64     `json:"answer_id"`
	QuestionID int64     `json:"question_id"`
	Score      int64     `json:"score"`
	Accepted   bool      `json:"is_accepted"`
	Created    time.Time `json:"created"` // served as creation_date, Unix seconds
}

// Question is one question the fake serves.
type Question struct {
	ID    int64  `json:"question_id"`
	Title string `json:"title"` // served HTML-escaped, as the API does
	Views int64  `json:"view_count"`
}

// APIError is a scripted error answer.
type APIError struct {
	Status  int // HTTP status; 400 when zero
	ID      int64
	Name    string
	Message string
}

// Fake is the API of one site with one user's answers. Change it under
// Do while it serves.
type Fake struct {
	Site string // the site parameter it answers for; default stackoverflow
	User int64  // the user whose answers it has
	Key  string // when set, every request must carry it as key=

	Answers   []Answer
	Questions []Question

	// QuotaMax is the daily quota (default 300) and QuotaUsed the
	// requests answered so far today. A request when none is left is
	// answered throttle_violation.
	QuotaMax, QuotaUsed int64
	// Backoff asks for a backoff, in seconds, in the answer to the
	// request of a method ("answers", "questions") and page ("answers:2").
	// A later call of that method before the backoff has passed (by Now)
	// is answered throttle_violation, as the API does.
	Backoff map[string]int64
	// Errors are answered, in turn, to the next requests instead of data.
	Errors []APIError
	// PlainGzip sends gzip bodies without Content-Encoding: gzip.
	PlainGzip bool
	// Now is the fake's clock (default time.Now): backoffs are kept by it.
	Now func() time.Time

	// Requests are the paths and queries received, in order.
	Requests []string

	mu        sync.Mutex
	notBefore map[string]time.Time
}

// Do runs fn with the fake locked, to change or read it while it serves.
func (f *Fake) Do(fn func(f *Fake)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn(f)
}

// Load reads a fake's answers.json and questions.json from fsys (a missing
// file is an empty list); expand, if not nil, rewrites each file's text
// before it is decoded (the demo fills in dates relative to today).
func Load(fsys fs.FS, expand func(string) string) (*Fake, error) {
	f := &Fake{}
	if err := loadList(fsys, "answers.json", expand, &f.Answers); err != nil {
		return nil, err
	}
	if err := loadList(fsys, "questions.json", expand, &f.Questions); err != nil {
		return nil, err
	}
	return f, nil
}

func loadList(fsys fs.FS, name string, expand func(string) string, v any) error {
	b, err := fs.ReadFile(fsys, name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	text := string(b)
	if expand != nil {
		text = expand(text)
	}
	if err := json.Unmarshal([]byte(text), v); err != nil {
		return fmt.Errorf("sample %s: %w", name, err)
	}
	return nil
}
