package fetch

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"unicode"
)

// RefusedError is an API's refusal of a request (a 4xx other than 429,
// or another answer that is neither 2xx nor worth a retry): the status,
// the field it named when it named one, and its message, without any
// secret. TokenRefused tells a refused token (401, 403) from a refused
// value.
type RefusedError struct {
	Status  int
	Field   string // the field the API named ("title", "metrics.readers"); "" when none
	Message string // the API's words, at most maxRefusal characters; "" when it gave none
}

// maxRefusal bounds the API's message quoted in a RefusedError.
const maxRefusal = 300

func (e *RefusedError) Error() string {
	status := fmt.Sprintf("%d %s", e.Status, http.StatusText(e.Status))
	msg := "refused (" + status + ")"
	if e.TokenRefused() {
		msg = "the token was refused (" + status + "): it is wrong, expired or revoked, or lacks the right"
	}
	if e.Field != "" {
		msg += ": field " + e.Field
	}
	if e.Message != "" {
		msg += ": " + e.Message
	}
	return msg
}

// TokenRefused reports a 401 or 403: the token, not a value, was refused.
func (e *RefusedError) TokenRefused() bool {
	return e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden
}

// ReadRefusal reads resp's body (at most 64 KiB), closes it, and returns
// the refusal it holds. The field is found in the common shapes of error
// bodies ({"error": …}, {"message": …}, {"errors": [{"field", "message"}]},
// {"errors": {"title": ["…"]}}, {"field": …}, problem+json's
// invalid-params, a path or loc list); failing that, a message that
// starts with one of fields ("title must be…") names it. Every secret
// is cut out of the message.
func ReadRefusal(resp *http.Response, fields []string, secrets ...string) *RefusedError {
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	e := &RefusedError{Status: resp.StatusCode}
	e.Field, e.Message = parseRefusal(body, resp.Header.Get("Content-Type"))
	if e.Field == "" {
		e.Field = fieldOf(e.Message, fields)
	}
	e.Message = cleanMessage(e.Message, secrets)
	e.Field = cleanMessage(e.Field, secrets)
	return e
}

// The keys error bodies use: for a message, for the field, for the path
// to the field, and for the list (or object) of errors inside.
var (
	msgKeys   = []string{"message", "msg", "detail", "reason", "error_description", "error"}
	fieldKeys = []string{"field", "param", "property", "attribute", "key"}
	pathKeys  = []string{"path", "loc", "pointer", "instancePath"}
	listKeys  = []string{"errors", "error", "issues", "invalid-params", "invalid_params", "violations",
		"details", "fieldErrors", "validationErrors", "source"}
)

// parseRefusal finds the field and the message in an error body: JSON in
// any of the shapes above, or the first line of a plain-text body. HTML
// (a proxy's error page) gives nothing.
func parseRefusal(body []byte, ctype string) (field, msg string) {
	var v any
	if err := json.Unmarshal(body, &v); err == nil {
		field, msg = refusalIn(v, 0)
		if strings.ContainsFunc(field, unicode.IsSpace) || len(field) > 64 {
			field = "" // a sentence, not a field's name
		}
		return field, msg
	}
	text := strings.TrimSpace(string(body))
	if strings.Contains(ctype, "html") || strings.HasPrefix(text, "<") {
		return "", ""
	}
	line, _, _ := strings.Cut(text, "\n")
	return "", line
}

// refusalIn walks one value of an error body. A message found deeper is
// more specific than the one around it ("Validation failed"), so it wins.
func refusalIn(v any, depth int) (field, msg string) {
	if depth > 6 {
		return "", ""
	}
	switch t := v.(type) {
	case string:
		return "", t
	case []any:
		var msgs []string
		for _, e := range t {
			f, m := refusalIn(e, depth+1)
			if field == "" {
				field = f
			}
			if m != "" {
				msgs = append(msgs, m)
			}
		}
		return field, strings.Join(msgs, "; ")
	case map[string]any:
		return refusalInObject(t, depth)
	}
	return "", ""
}

func refusalInObject(t map[string]any, depth int) (field, msg string) {
	keys := fieldKeys
	if depth > 0 {
		// {"name": "title", "reason": …} in a list; at the top, "name" is
		// more often the error's class ("ValidationError").
		keys = append(keys[:len(keys):len(keys)], "name")
	}
	for _, k := range keys {
		if s, ok := t[k].(string); ok && s != "" {
			field = s
			break
		}
	}
	for _, k := range pathKeys {
		if f := pathField(t[k]); field == "" && f != "" {
			field = f
		}
	}
	for _, k := range msgKeys {
		switch m := t[k].(type) {
		case string:
			msg = m
		case []any: // NestJS: "message": ["title must be longer than…"]
			_, msg = refusalIn(m, depth+1)
		}
		if msg != "" {
			break
		}
	}
	for _, k := range listKeys {
		sub, ok := t[k]
		if _, isString := sub.(string); !ok || isString {
			continue
		}
		f, m := refusalIn(sub, depth+1)
		if byField, ok := sub.(map[string]any); ok && !hasKey(byField, msgKeys, fieldKeys, pathKeys, listKeys) {
			f, m = fieldMap(byField) // {"errors": {"title": ["is required"]}}
		}
		if f != "" {
			field = f
		}
		if m != "" {
			msg = m
		}
		break
	}
	return field, msg
}

// fieldMap reads {"title": ["is required"], …}: the first field (in
// order of name) and its messages.
func fieldMap(m map[string]any) (field, msg string) {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if _, msg := refusalIn(m[k], 1); msg != "" {
			return k, msg
		}
	}
	return "", ""
}

// pathField is the field a path names: "/data/attributes/title" and
// ["body", "title"] are title; ["metrics", "readers"] is metrics.readers.
func pathField(v any) string {
	var parts []string
	switch p := v.(type) {
	case string:
		p = strings.TrimPrefix(p, "/")
		if i := strings.LastIndex(p, "/"); i >= 0 {
			p = p[i+1:]
		}
		parts = []string{p}
	case []any:
		for _, e := range p {
			switch s := e.(type) {
			case string:
				parts = append(parts, s)
			case float64:
				parts = append(parts, fmt.Sprint(s))
			}
		}
		for len(parts) > 1 && (parts[0] == "body" || parts[0] == "data" || parts[0] == "attributes") {
			parts = parts[1:]
		}
	}
	return strings.Join(parts, ".")
}

func hasKey(m map[string]any, lists ...[]string) bool {
	for _, l := range lists {
		for _, k := range l {
			if _, ok := m[k]; ok {
				return true
			}
		}
	}
	return false
}

// fieldOf is the field of fields that msg starts with ("title must be
// longer…", "\"url\" is required", "property foo should not exist"),
// longest name first; "" when none.
func fieldOf(msg string, fields []string) string {
	m := strings.TrimPrefix(strings.ToLower(strings.TrimSpace(msg)), "property ")
	m = strings.TrimLeft(m, "\"'`")
	best := ""
	for _, f := range fields {
		lf := strings.ToLower(f)
		if len(f) <= len(best) || !strings.HasPrefix(m, lf) {
			continue
		}
		if rest := m[len(lf):]; rest == "" || !isAlnum(rest[0]) && rest[0] != '_' && rest[0] != '.' {
			best = f
		}
	}
	return best
}

// cleanMessage is an API's words made safe to show: secrets cut out,
// control characters made spaces, at most maxRefusal characters.
func cleanMessage(s string, secrets []string) string {
	for _, sec := range secrets {
		if len(strings.TrimSpace(sec)) >= MinSecretLen {
			s = strings.ReplaceAll(s, sec, masked)
		}
	}
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }), " ")
	if r := []rune(s); len(r) > maxRefusal {
		s = string(r[:maxRefusal]) + "…"
	}
	return s
}
