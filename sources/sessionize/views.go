package sessionize

import (
	"encoding/json"
	"errors"
	"strings"

	"github.com/contriblog/contriblog/harvester"
)

// allDoc is view/All: sessions, speakers, and the rooms and category
// values the sessions refer to by id.
type allDoc struct {
	Sessions   *[]rawSession `json:"sessions"`
	Speakers   []rawSpeaker  `json:"speakers"`
	Rooms      []rawRoom     `json:"rooms"`
	Categories []struct {
		Items []rawItem `json:"items"`
	} `json:"categories"`
}

func decodeAll(s []byte) (*doc, error) {
	var all allDoc
	if err := json.Unmarshal(s, &all); err != nil {
		return nil, wrapJSON(err)
	}
	if all.Sessions == nil && all.Speakers == nil {
		return nil, errors.New("JSON object without sessions or speakers: not a Sessionize view/All document")
	}
	d := &doc{bySpeaker: map[string][]string{}}
	names := map[string]string{}
	for _, sp := range all.Speakers {
		p := speakerOf(sp)
		names[p.id] = p.name
		d.speakers = append(d.speakers, p)
		for _, raw := range sp.Sessions {
			var id flexID
			if json.Unmarshal(raw, &id) == nil && id != "" && p.id != "" {
				d.bySpeaker[p.id] = append(d.bySpeaker[p.id], string(id))
			}
		}
	}
	if all.Sessions == nil {
		return d, nil
	}
	rooms, items := all.lookups()
	for _, rs := range *all.Sessions {
		se := sessionOf(rs, rooms[rs.RoomID])
		for _, id := range rs.CategoryItems {
			se.addCategory(items[id])
		}
		for i, p := range se.speakers {
			if p.name == "" {
				se.speakers[i].name = names[p.id]
			}
		}
		d.sessions = append(d.sessions, se)
	}
	return d, nil
}

// lookups maps room ids to names and category item ids to names.
func (all *allDoc) lookups() (rooms, items map[flexID]string) {
	rooms, items = map[flexID]string{}, map[flexID]string{}
	for _, r := range all.Rooms {
		rooms[r.ID] = string(r.Name)
	}
	for _, c := range all.Categories {
		for _, it := range c.Items {
			items[it.ID] = string(it.Name)
		}
	}
	return rooms, items
}

func decodeArray(s []byte) (*doc, error) {
	var items []map[string]json.RawMessage
	if err := json.Unmarshal(s, &items); err != nil {
		return nil, wrapJSON(err)
	}
	d := &doc{}
	if len(items) == 0 {
		return d, nil
	}
	switch first := items[0]; {
	case first["groupName"] != nil || first["groupId"] != nil:
		var groups []struct{ Sessions []rawSession }
		if err := json.Unmarshal(s, &groups); err != nil {
			return nil, wrapJSON(err)
		}
		for _, g := range groups {
			d.add(g.Sessions, "")
		}
		return d.withSpeakers(), nil
	case first["rooms"] != nil:
		var days []struct{ Rooms []rawRoom }
		if err := json.Unmarshal(s, &days); err != nil {
			return nil, wrapJSON(err)
		}
		for _, day := range days {
			for _, r := range day.Rooms {
				d.add(r.Sessions, string(r.Name))
			}
		}
		return d.withSpeakers(), nil
	case first["fullName"] != nil || first["firstName"] != nil:
		var speakers []rawSpeaker
		if err := json.Unmarshal(s, &speakers); err != nil {
			return nil, wrapJSON(err)
		}
		if !anySessions(speakers) {
			return nil, errors.New("a speaker list without sessions (view/SpeakerWall?): use the endpoint's view/All URL")
		}
		d.fromSpeakers(speakers)
		return d, nil
	}
	return nil, errors.New("JSON array that is neither view/Sessions, view/GridSmart nor view/Speakers")
}

func (d *doc) add(raw []rawSession, room string) {
	for _, rs := range raw {
		d.sessions = append(d.sessions, sessionOf(rs, room))
	}
}

// withSpeakers collects the speakers the sessions name, for views that
// have no speaker list of their own.
func (d *doc) withSpeakers() *doc {
	seen := map[string]bool{}
	for _, se := range d.sessions {
		for _, p := range se.speakers {
			if !seen[p.id+"\x00"+p.name] {
				seen[p.id+"\x00"+p.name] = true
				d.speakers = append(d.speakers, p)
			}
		}
	}
	return d
}

func anySessions(speakers []rawSpeaker) bool {
	for _, sp := range speakers {
		if sp.Sessions != nil {
			return true
		}
	}
	return false
}

// fromSpeakers builds undated sessions from view/Speakers, where each
// speaker lists only the ids and titles of their sessions.
func (d *doc) fromSpeakers(speakers []rawSpeaker) {
	index := map[string]int{}
	for _, sp := range speakers {
		p := speakerOf(sp)
		d.speakers = append(d.speakers, p)
		for _, raw := range sp.Sessions {
			var rs rawSession
			if json.Unmarshal(raw, &rs) != nil {
				continue // a bare id: nothing to show
			}
			se := sessionOf(rs, "")
			i, ok := index[se.id]
			if !ok || se.id == "" {
				i = len(d.sessions)
				index[se.id] = i
				d.sessions = append(d.sessions, se)
			}
			d.sessions[i].speakers = append(d.sessions[i].speakers, p)
		}
	}
}

func (se *session) addCategory(name string) {
	if name = harvester.PlainText(name); name != "" && len(se.categories) < 20 {
		se.categories = append(se.categories, name)
	}
}

func speakerOf(sp rawSpeaker) person {
	name := string(sp.FullName)
	if strings.TrimSpace(name) == "" {
		name = strings.TrimSpace(string(sp.FirstName + " " + sp.LastName))
	}
	if name == "" {
		name = string(sp.Name)
	}
	return person{id: harvester.CleanText(string(sp.ID)), name: harvester.CleanText(name)}
}

func sessionOf(rs rawSession, room string) session {
	title := rs.Title
	if title == "" {
		title = rs.Name
	}
	if rs.Room != "" {
		room = string(rs.Room)
	}
	se := session{
		id: harvester.CleanText(string(rs.ID)), title: harvester.PlainText(string(title)), desc: harvester.PlainText(string(rs.Description)),
		starts: strings.TrimSpace(string(rs.StartsAt)), ends: strings.TrimSpace(string(rs.EndsAt)), room: harvester.CleanText(room),
		recording: string(rs.RecordingURL), live: string(rs.LiveURL), service: bool(rs.Service),
		status: harvester.CleanText(string(rs.Status)),
	}
	for _, c := range rs.Categories {
		for _, it := range c.Items {
			se.addCategory(string(it.Name))
		}
	}
	for _, raw := range rs.Speakers {
		var id string
		if json.Unmarshal(raw, &id) == nil {
			se.speakers = append(se.speakers, person{id: harvester.CleanText(id)})
			continue
		}
		var obj struct {
			ID   flexID `json:"id"`
			Name flexID `json:"name"`
		}
		if json.Unmarshal(raw, &obj) == nil {
			se.speakers = append(se.speakers, person{id: harvester.CleanText(string(obj.ID)), name: harvester.CleanText(string(obj.Name))})
		}
	}
	return se
}
