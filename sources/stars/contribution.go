package stars

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/contriblog/contriblog/sources/fetch"
)

// Contribution is one contribution as the API takes and lists it.
type Contribution struct {
	ID          string `json:"id,omitempty"` // the API's id; set in what List returns, never sent
	Type        string `json:"type"`         // one of Types
	Title       string `json:"title"`
	Description string `json:"description"`
	URL         string `json:"url,omitempty"`
	Date        string `json:"date"` // an ISO 8601 timestamp: 2026-03-04T00:00:00Z
}

// Result is what Put did.
type Result struct {
	// ID is the contribution's id on Stars, from the answer; the client id
	// when the answer gave none.
	ID string
	// Created is true for a 201 (a new contribution), false for another
	// 2xx (an update, or an API that does not tell).
	Created bool
	// Contribution is the contribution as the API answered it, when it
	// did (its zero value otherwise).
	Contribution Contribution
}

// Put creates or updates the contribution of clientID (ValidClientID,
// checked before anything is sent) with c: PUT {base}/{clientID}, one
// contribution as the body, c.ID not sent. The API keys it by clientID,
// so that a second Put of the same id updates rather than duplicates:
// after a lost answer, Put again. A refusal is a *fetch.RefusedError
// (errors.As) naming the field when the API does; a server that stays
// busy past the retries' MaxWait gives a *fetch.GiveUpError.
func (c *Client) Put(ctx context.Context, clientID string, k Contribution) (Result, error) {
	u, body, err := PutRequest(c.base.String(), clientID, k)
	if err != nil {
		return Result{}, err
	}
	var answer json.RawMessage
	status, err := c.send(ctx, http.MethodPut, u, body, &answer)
	if err != nil && (status < 200 || status > 299) {
		return Result{}, err
	}
	// From here the API has taken it: an answer we cannot read still
	// means stored, under clientID.
	res := Result{ID: clientID, Created: status == http.StatusCreated}
	if got, ok := echoed(answer); ok {
		res.Contribution = got
		if got.ID != "" {
			res.ID = got.ID
		}
	}
	return res, nil
}

// PutRequest is the URL and the JSON body that Put(clientID, k) sends
// to the API at baseURL ("" for DefaultBaseURL), without sending
// anything: what a dry run shows. It checks the client id.
func PutRequest(baseURL, clientID string, k Contribution) (string, []byte, error) {
	if err := ValidClientID(clientID); err != nil {
		return "", nil, fmt.Errorf("stars: %w", err)
	}
	if baseURL == "" {
		baseURL = DefaultBaseURL
	}
	base, err := parseBase(baseURL)
	if err != nil {
		return "", nil, fmt.Errorf("stars: base URL: %w", err)
	}
	k.ID = ""
	body, err := json.Marshal(k)
	if err != nil {
		return "", nil, fmt.Errorf("stars: encode %s: %w", clientID, err)
	}
	return base.JoinPath(clientID).String(), body, nil
}

// echoed reads the contribution of a PUT's answer: {"data": [c]} (as the
// API answers), {"data": c} or c itself.
func echoed(raw json.RawMessage) (Contribution, bool) {
	var wrapped struct {
		Data json.RawMessage `json:"data"`
	}
	if json.Unmarshal(raw, &wrapped) == nil && len(wrapped.Data) > 0 {
		raw = wrapped.Data
	}
	var list []Contribution
	if json.Unmarshal(raw, &list) == nil {
		if len(list) == 0 {
			return Contribution{}, false
		}
		return list[0], true
	}
	var one Contribution
	if json.Unmarshal(raw, &one) != nil {
		return Contribution{}, false
	}
	return one, true
}

// UnmarshalJSON reads a contribution whose id is a string or a number.
func (c *Contribution) UnmarshalJSON(b []byte) error {
	type plain Contribution
	var v struct {
		plain
		ID json.RawMessage `json:"id"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*c = Contribution(v.plain)
	c.ID = ""
	switch id := strings.TrimSpace(string(v.ID)); {
	case id == "" || id == "null":
	case strings.HasPrefix(id, `"`):
		if err := json.Unmarshal(v.ID, &c.ID); err != nil {
			return err
		}
	default:
		var n json.Number
		if err := json.Unmarshal(v.ID, &n); err != nil {
			return fmt.Errorf("id: %w", err)
		}
		c.ID = n.String()
	}
	return nil
}

// page is one answer of GET: the contributions and, in whichever of the
// shapes the API uses, where the next page is. Stars answers
// {"data": […], "pagination": {"page", "totalPages", …}} and takes
// ?page=N; a next link ({"next": URL} or {"links": {"next": URL}}) is
// followed too.
type page struct {
	Data       []Contribution `json:"data"`
	Pagination *struct {
		Page       int `json:"page"`
		TotalPages int `json:"totalPages"`
	} `json:"pagination"`
	Next  string `json:"next"`
	Links struct {
		Next string `json:"next"`
	} `json:"links"`
}

// maxPages bounds List against an API that never says it is done.
const maxPages = 1000

// List returns all the member's contributions, with their ids, page after
// page. A next link to another origin is not followed (it would go without
// the token anyway): that is an error, as is a page seen twice.
func (c *Client) List(ctx context.Context) ([]Contribution, error) {
	var all []Contribution
	seen := map[string]bool{}
	next := c.base.String()
	for n := 1; next != ""; n++ {
		if seen[next] || n > maxPages {
			return all, fmt.Errorf("stars: GET %s: the API's pages go round in a loop", fetch.Redact(c.base.String()))
		}
		seen[next] = true
		var p page
		if _, err := c.send(ctx, http.MethodGet, next, nil, &p); err != nil {
			return all, err
		}
		all = append(all, p.Data...)
		u, err := c.nextPage(next, &p)
		if err != nil {
			return all, err
		}
		next = u
	}
	return all, nil
}

// nextPage is the URL of the page after p, which came from cur; "" when
// p is the last.
func (c *Client) nextPage(cur string, p *page) (string, error) {
	link := p.Next
	if link == "" {
		link = p.Links.Next
	}
	if link != "" {
		from, _ := url.Parse(cur)
		u, err := from.Parse(link)
		if err != nil {
			return "", fmt.Errorf("stars: GET %s: the next page's link is not a URL", fetch.Redact(c.base.String()))
		}
		if u.Scheme != c.base.Scheme || u.Host != c.base.Host {
			return "", fmt.Errorf("stars: GET %s: the next page is on another host (%s): not followed", fetch.Redact(c.base.String()), u.Host)
		}
		return u.String(), nil
	}
	if pg := p.Pagination; pg != nil && pg.Page >= 1 && pg.Page < pg.TotalPages && len(p.Data) > 0 {
		u := *c.base
		q := u.Query()
		q.Set("page", strconv.Itoa(pg.Page+1))
		u.RawQuery = q.Encode()
		return u.String(), nil
	}
	return "", nil
}
