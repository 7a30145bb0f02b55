package ics

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
	"time"

	ical "github.com/arran4/golang-ical"
)

// vtimezone is a calendar's own definition of a TZID: what Exchange sends
// as "Customized Time Zone" and Outlook as "(UTC+01:00) Amsterdam, ...".
type vtimezone struct {
	tzid, licLocation string
	std, dst          *observance // the latest of each kind
}

// observance is one STANDARD or DAYLIGHT sub-component.
type observance struct {
	start          time.Time // DTSTART, local wall clock in UTC fields
	offsetTo, name string
	rrule          string
}

// vtimezones collects the calendar's VTIMEZONE components by TZID.
func vtimezones(cal *ical.Calendar) map[string]*vtimezone {
	defs := map[string]*vtimezone{}
	for _, tz := range cal.Timezones() {
		v := &vtimezone{}
		for _, p := range tz.Properties {
			switch strings.ToUpper(p.IANAToken) {
			case "TZID":
				v.tzid = strings.TrimSpace(strings.Trim(p.Value, `"`))
			case "X-LIC-LOCATION":
				v.licLocation = strings.TrimSpace(p.Value)
			}
		}
		for _, c := range tz.Components {
			switch c := c.(type) {
			case *ical.Standard:
				v.std = later(v.std, newObservance(c.Properties))
			case *ical.Daylight:
				v.dst = later(v.dst, newObservance(c.Properties))
			}
		}
		if v.tzid != "" && defs[v.tzid] == nil {
			defs[v.tzid] = v
		}
	}
	return defs
}

func newObservance(props []ical.IANAProperty) *observance {
	o := &observance{}
	for _, p := range props {
		switch strings.ToUpper(p.IANAToken) {
		case "DTSTART":
			o.start, _, _ = parseWall(p.Value)
		case "TZOFFSETTO":
			o.offsetTo = strings.TrimSpace(p.Value)
		case "TZNAME":
			o.name = p.Value
		case "RRULE":
			o.rrule = p.Value
		}
	}
	return o
}

// later keeps the observance that starts last: the rule in force now.
func later(a, b *observance) *observance {
	if a == nil || (b != nil && !b.start.Before(a.start)) {
		return b
	}
	return a
}

// location builds a real *time.Location with the definition's daylight
// rule (as a POSIX TZ string in a TZif blob), or nil when the definition
// says too little: the X-LIC-LOCATION Mozilla writes wins when it names an
// IANA zone.
func (v *vtimezone) location() *time.Location {
	if loc := loadIANA(v.licLocation); loc != nil {
		return loc
	}
	if v.std == nil {
		return nil
	}
	stdOff, ok := parseOffset(v.std.offsetTo)
	if !ok {
		return nil
	}
	tz := posixName(stdOff) + posixOffset(stdOff)
	if v.dst != nil {
		dstOff, ok1 := parseOffset(v.dst.offsetTo)
		on, ok2 := posixRule(v.dst)
		off, ok3 := posixRule(v.std)
		if !ok1 || !ok2 || !ok3 {
			return nil
		}
		tz += posixName(dstOff) + posixOffset(dstOff) + "," + on + "," + off
	}
	loc, err := time.LoadLocationFromTZData(v.tzid, tzif(tz, stdOff))
	if err != nil {
		return nil
	}
	return loc
}

// parseOffset reads a UTC offset: +HHMM or +HHMMSS.
func parseOffset(s string) (int, bool) {
	if len(s) != 5 && len(s) != 7 || (s[0] != '+' && s[0] != '-') {
		return 0, false
	}
	n := 0
	for i, unit := range []int{3600, 60, 1} {
		if 1+2*i+2 > len(s) {
			break
		}
		v, err := strconv.Atoi(s[1+2*i : 1+2*i+2])
		if err != nil || v < 0 || v > 59 && i > 0 {
			return 0, false
		}
		n += v * unit
	}
	if n > 18*3600 {
		return 0, false
	}
	if s[0] == '-' {
		n = -n
	}
	return n, true
}

// posixName is a quoted POSIX zone abbreviation for an offset: "<+0100>".
func posixName(off int) string {
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("<%c%02d%02d>", sign, off/3600, off%3600/60)
}

// posixOffset is POSIX's inverted offset: west of Greenwich is positive.
func posixOffset(off int) string {
	off = -off
	sign := ""
	if off < 0 {
		sign, off = "-", -off
	}
	return fmt.Sprintf("%s%d:%02d:%02d", sign, off/3600, off%3600/60, off%60)
}

// posixRule turns a yearly RRULE ("FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU") and
// the DTSTART time of day into "M3.5.0/2:00:00".
func posixRule(o *observance) (string, bool) {
	parts := map[string]string{}
	for _, kv := range strings.Split(strings.ToUpper(o.rrule), ";") {
		k, v, _ := strings.Cut(kv, "=")
		parts[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	month, err := strconv.Atoi(parts["BYMONTH"])
	if parts["FREQ"] != "YEARLY" || err != nil || month < 1 || month > 12 || o.start.IsZero() {
		return "", false
	}
	at := fmt.Sprintf("/%d:%02d:%02d", o.start.Hour(), o.start.Minute(), o.start.Second())
	day := strings.TrimLeft(parts["BYDAY"], "+")
	if len(day) < 2 {
		return "", false
	}
	wd, ok := weekdays[day[len(day)-2:]]
	if !ok {
		return "", false
	}
	week := 0
	if n := day[:len(day)-2]; n != "" {
		week, err = strconv.Atoi(n)
		if err != nil {
			return "", false
		}
	} else if first, err := strconv.Atoi(strings.Split(parts["BYMONTHDAY"], ",")[0]); err == nil {
		week = (first + 6) / 7 // "SU;BYMONTHDAY=8,9,...,14" is the 2nd Sunday
		if first < 0 {
			week = -1
		}
	}
	switch {
	case week == -1 || week == 5:
		week = 5 // POSIX week 5 is the last
	case week < 1 || week > 4:
		return "", false
	}
	return fmt.Sprintf("M%d.%d.%d%s", month, week, wd, at), true
}

var weekdays = map[string]int{"SU": 0, "MO": 1, "TU": 2, "WE": 3, "TH": 4, "FR": 5, "SA": 6}

// tzif encodes a TZif version 2 file with no transitions, one standard
// type and the POSIX TZ string as its footer: time.LoadLocationFromTZData
// then applies the footer's rule to every instant.
func tzif(posix string, stdOff int) []byte {
	abbr := []byte("STD\x00")
	var block bytes.Buffer
	header := func(version byte) {
		block.WriteString("TZif")
		block.WriteByte(version)
		block.Write(make([]byte, 15))
		// isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt
		for _, n := range []uint32{0, 0, 0, 0, 1, uint32(len(abbr))} {
			_ = binary.Write(&block, binary.BigEndian, n)
		}
		_ = binary.Write(&block, binary.BigEndian, int32(stdOff))
		block.Write([]byte{0, 0}) // isdst, abbreviation index
		block.Write(abbr)
	}
	header('2') // the version 1 block, which readers of version 2 skip
	header('2') // the version 2 block
	block.WriteString("\n" + posix + "\n")
	return block.Bytes()
}
