package sessionize

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
)

// flexID is an id or text Sessionize writes as a string in one view and as
// a number in another; any other JSON value reads as "" so that one odd
// field never costs the whole document.
type flexID string

// flexBool is a boolean that reads anything but true as false.
type flexBool bool

func (f *flexBool) UnmarshalJSON(b []byte) error {
	*f = flexBool(string(bytes.TrimSpace(b)) == "true")
	return nil
}

func (f *flexID) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*f = flexID(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err == nil {
		*f = flexID(n.String())
		return nil
	}
	*f = ""
	return nil // an id of another shape is no id; the item is kept
}

type rawSession struct {
	ID           flexID            `json:"id"`
	Title        flexID            `json:"title"`
	Name         flexID            `json:"name"` // view/Speakers' session stubs
	Description  flexID            `json:"description"`
	StartsAt     flexID            `json:"startsAt"`
	EndsAt       flexID            `json:"endsAt"`
	Service      flexBool          `json:"isServiceSession"`
	Speakers     []json.RawMessage `json:"speakers"`
	RoomID       flexID            `json:"roomId"`
	Room         flexID            `json:"room"`
	RecordingURL flexID            `json:"recordingUrl"`
	LiveURL      flexID            `json:"liveUrl"`
	Status       flexID            `json:"status"`
	// CategoryItems are ids into the document's categories (view/All);
	// Categories carry the names inline (view/Sessions, view/GridSmart).
	CategoryItems []flexID `json:"categoryItems"`
	Categories    []struct {
		Items []rawItem `json:"categoryItems"`
	} `json:"categories"`
}

// rawItem is one category value: "Security", "Intermediate".
type rawItem struct {
	ID   flexID `json:"id"`
	Name flexID `json:"name"`
}

// rawSpeaker is a speaker; Sessions holds ids (view/All) or {id, name}
// stubs (view/Speakers).
type rawSpeaker struct {
	ID        flexID            `json:"id"`
	FirstName flexID            `json:"firstName"`
	LastName  flexID            `json:"lastName"`
	FullName  flexID            `json:"fullName"`
	Name      flexID            `json:"name"`
	Sessions  []json.RawMessage `json:"sessions"`
}

type rawRoom struct {
	ID       flexID       `json:"id"`
	Name     flexID       `json:"name"`
	Sessions []rawSession `json:"sessions"`
}

// person is a speaker: id and display name.
type person struct{ id, name string }

// session is one session in any of the views' shapes.
type session struct {
	id, title, desc, starts, ends, room, recording, live, status string
	service                                                      bool
	speakers                                                     []person
	categories                                                   []string
}

// doc is what every view boils down to.
type doc struct {
	sessions []session
	speakers []person
	// bySpeaker lists the session ids each speaker id names (view/All's
	// speakers[].sessions), in case a session's own list misses one.
	bySpeaker map[string][]string
}

// decode recognises the view by its shape and normalises it.
func decode(data []byte) (*doc, error) {
	s := bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	switch {
	case len(s) == 0:
		return nil, errors.New("empty body, not a Sessionize document")
	case s[0] == '<':
		return nil, errors.New("got an HTML or XML page, not Sessionize JSON (use the endpoint's JSON URL, e.g. https://sessionize.com/api/v2/ID/view/All)")
	case s[0] == '{':
		return decodeAll(s)
	case s[0] == '[':
		return decodeArray(s)
	}
	return nil, errors.New("not a Sessionize JSON document")
}

// wrapJSON says what is wrong with a document encoding/json refused: cut
// short, not JSON at all, or JSON of another shape.
func wrapJSON(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case err == nil:
		return nil
	case strings.Contains(err.Error(), "unexpected end of JSON input"):
		return fmt.Errorf("truncated Sessionize JSON (the document ends too early): %w", err)
	case errors.As(err, &syntax):
		return fmt.Errorf("malformed Sessionize JSON at byte %d: %w", syntax.Offset, err)
	case errors.As(err, &typ):
		return fmt.Errorf("JSON of the wrong shape for a Sessionize document: %s is %s where %s belongs",
			firstNonEmpty(typ.Field, "the document"), article(typ.Value), kindName(typ.Type.Kind()))
	}
	return fmt.Errorf("malformed Sessionize JSON: %w", err)
}

// kindName says in words what JSON value a Go kind decodes from.
func kindName(k reflect.Kind) string {
	switch k {
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Struct, reflect.Map, reflect.Pointer:
		return "an object"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	}
	return "a number"
}

func article(jsonKind string) string {
	if strings.HasPrefix(jsonKind, "a") || strings.HasPrefix(jsonKind, "o") {
		return "an " + jsonKind
	}
	return "a " + jsonKind
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
