package advocu

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/contriblog/contriblog/sources/fetch"
)

// CreateDraft creates one activity draft of kind (one of Kinds, checked
// before anything is sent) with body, a JSON object in the API's shape
// for that kind (docs/programs.md): POST {base}activity-drafts/{kind},
// paced MinInterval after the last request. It returns the new draft's
// id, read from the answer's "id" (as Advocu answers: {"id", "status"}),
// else its "data.id". A 2xx answer without an id gives "" and no error:
// the draft exists all the same, and must not be posted again.
//
// Every POST makes a new draft, so CreateDraft never sends one twice on
// its own: it retries 429, 5xx and connections that were never made, but
// an answer lost after the request went out is an error wrapping
// fetch.ErrMaybeSent — the draft may exist. A refusal is a
// *fetch.RefusedError (errors.As) naming the field when the API does; a
// server that stays busy past the retries' MaxWait gives a
// *fetch.GiveUpError.
func (c *Client) CreateDraft(ctx context.Context, kind string, body json.RawMessage) (string, error) {
	u, err := DraftURL(c.base.String(), kind)
	if err != nil {
		return "", err
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(body, &obj); err != nil || obj == nil {
		return "", fmt.Errorf("advocu: %s draft: the body is not a JSON object", kind)
	}
	resp, err := c.retry.Do(ctx, c.hc, func() (*http.Request, error) {
		if err := c.pace.wait(ctx); err != nil {
			return nil, fmt.Errorf("POST %s: %w", fetch.Redact(u), err)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Accept", "application/json")
		req.Header.Set("Content-Type", "application/json")
		return req, nil
	})
	if err != nil {
		return "", fmt.Errorf("advocu: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return "", fmt.Errorf("advocu: POST %s: %w", fetch.Redact(u), fetch.ReadRefusal(resp, Fields, c.token))
	}
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return draftID(answer), nil
}

// DraftURL is where CreateDraft posts a draft of kind (checked) to the
// API at baseURL ("" for DefaultBaseURL), without sending anything: what
// a dry run shows.
func DraftURL(baseURL, kind string) (string, error) {
	if err := ValidKind(kind); err != nil {
		return "", fmt.Errorf("advocu: %w", err)
	}
	if baseURL == "" {
		baseURL = DefaultBaseURL
	}
	base, err := parseBase(baseURL)
	if err != nil {
		return "", fmt.Errorf("advocu: base URL: %w", err)
	}
	return base.JoinPath("activity-drafts", kind).String(), nil
}

// draftID reads the id of a created draft: "id", else "data.id", a
// string or a number; "" when the answer has neither.
func draftID(answer []byte) string {
	var a struct {
		ID   json.RawMessage `json:"id"`
		Data struct {
			ID json.RawMessage `json:"id"`
		} `json:"data"`
	}
	if json.Unmarshal(answer, &a) != nil {
		// {"data": [...]} or another shape: try "id" alone.
		var only struct {
			ID json.RawMessage `json:"id"`
		}
		if json.Unmarshal(answer, &only) != nil {
			return ""
		}
		a.ID = only.ID
	}
	if id := idString(a.ID); id != "" {
		return id
	}
	return idString(a.Data.ID)
}

// idString is a JSON string or number as a string; "" for anything else.
func idString(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return strings.TrimSpace(s)
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}
