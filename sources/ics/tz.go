package ics

import (
	"fmt"
	"strings"
	"time"
)

// zones resolves the TZIDs of one calendar, remembering every answer.
type zones struct {
	defs     map[string]*vtimezone // the calendar's VTIMEZONE components by TZID
	cache    map[string]zoneAnswer
	wr       *time.Location // X-WR-TIMEZONE, when it names a zone
	wrName   string
	fallback *time.Location // the config's zone
}

type zoneAnswer struct {
	loc  *time.Location
	note string // why the zone is not simply the IANA zone the TZID names
}

// forTZID chooses the zone of a time written with TZID (or with none, for
// a floating time): the IANA zone it names, a Windows zone name, a city in
// an Outlook display name, the calendar's own VTIMEZONE definition, then
// X-WR-TIMEZONE, then the configured zone. The note says which fallback
// was used; it is empty for an IANA or Windows name.
func (z *zones) forTZID(tzid string) (*time.Location, string) {
	tzid = strings.TrimSpace(strings.Trim(tzid, `"`))
	if a, ok := z.cache[tzid]; ok {
		return a.loc, a.note
	}
	a := z.resolve(tzid)
	z.cache[tzid] = a
	return a.loc, a.note
}

func (z *zones) resolve(tzid string) zoneAnswer {
	if tzid == "" {
		if z.wr != nil {
			return zoneAnswer{z.wr, "floating time; used X-WR-TIMEZONE " + z.wrName}
		}
		return zoneAnswer{z.fallback, "floating time; used the configured time zone " + z.fallback.String()}
	}
	if len(tzid) > 200 {
		tzid = tzid[:200]
	}
	if loc := lookupZone(tzid); loc != nil {
		return zoneAnswer{loc: loc}
	}
	if loc := cityZone(tzid); loc != nil {
		return zoneAnswer{loc, fmt.Sprintf("TZID %q read as %s", tzid, loc)}
	}
	if def := z.defs[tzid]; def != nil {
		if loc := def.location(); loc != nil {
			return zoneAnswer{loc, fmt.Sprintf("TZID %q is no IANA or Windows zone; used its VTIMEZONE definition", tzid)}
		}
	}
	why := fmt.Sprintf("unknown TZID %q", tzid)
	if z.wr != nil {
		return zoneAnswer{z.wr, why + "; used X-WR-TIMEZONE " + z.wrName}
	}
	return zoneAnswer{z.fallback, why + "; used the configured time zone " + z.fallback.String()}
}

// lookupZone finds an IANA zone by its name, a Windows name, an alias or a
// vendor path ending in an IANA name ("/mozilla.org/20050126_1/Europe/Berlin",
// "/citadel.org/20190914_1/Europe/Amsterdam").
func lookupZone(tzid string) *time.Location {
	if name, ok := windowsZones[strings.ToLower(tzid)]; ok {
		tzid = name
	}
	if loc := loadIANA(tzid); loc != nil {
		return loc
	}
	parts := strings.Split(strings.Trim(tzid, "/"), "/")
	for i := 1; i < len(parts); i++ {
		if loc := loadIANA(strings.Join(parts[i:], "/")); loc != nil {
			return loc
		}
	}
	return nil
}

// loadIANA is time.LoadLocation limited to names that look like zone
// names: "Local" and "" would silently mean the machine's zone, and file
// paths are no business of a calendar.
func loadIANA(name string) *time.Location {
	if name == "" || name == "Local" || strings.ContainsAny(name, `\:. `) || strings.Contains(name, "..") {
		return nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil
	}
	return loc
}

// cityZone reads the cities of an Outlook display name ("(UTC+01:00)
// Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna", "Greenwich Mean
// Time:Dublin; Edinburgh; Lisbon; London") and returns the first that is
// an IANA zone city.
func cityZone(tzid string) *time.Location {
	if i := strings.LastIndexByte(tzid, ')'); i >= 0 {
		tzid = tzid[i+1:]
	}
	fields := strings.FieldsFunc(tzid, func(r rune) bool { return strings.ContainsRune(",;:/", r) })
	for _, f := range fields {
		city := strings.ReplaceAll(strings.TrimSpace(f), " ", "_")
		if city == "" || len(city) > 40 {
			continue
		}
		for _, region := range []string{"Europe", "America", "Asia", "Africa", "Australia", "Pacific", "Atlantic", "Indian"} {
			if loc := loadIANA(region + "/" + city); loc != nil {
				return loc
			}
		}
	}
	return nil
}
