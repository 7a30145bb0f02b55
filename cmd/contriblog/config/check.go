package config

import (
	"fmt"
	"math"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// minEvery is the shortest @every interval that passes without a warning:
// harvesting more often only hammers other people's servers.
const minEvery = 5 * time.Minute

// httpURL reports whether s is an absolute http or https URL with a host.
func httpURL(s string) bool {
	if strings.ContainsAny(s, " \t\r\n") {
		return false
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return false
	}
	scheme := strings.ToLower(u.Scheme)
	return scheme == "http" || scheme == "https"
}

// url reads an absolute http(s) URL.
func (p *parser) url(f field, path string) (string, bool) {
	s, ok := p.str(f.Val, path)
	if !ok {
		return "", false
	}
	if !httpURL(s.value) {
		p.errorf(f.Val, path, "not an absolute http(s) URL: %s", s.show())
		return "", false
	}
	return s.value, true
}

// schedule reads a cron spec as robfig/cron's standard parser takes it: 5
// fields, @every, @daily, ..., with an optional CRON_TZ= or TZ= prefix.
func (p *parser) schedule(f field, path string) (string, bool) {
	s, ok := p.str(f.Val, path)
	if !ok {
		return "", false
	}
	sched, err := parseCron(s.value)
	if err != nil {
		if s.fromEnv {
			p.errorf(f.Val, path, "not a valid cron spec: %s", s.show())
		} else {
			p.errorf(f.Val, path, "not a valid cron spec %s: %s (use 5 fields like \"0 6 * * *\", or @every 6h, @daily, @hourly)", s.show(), err.Error())
		}
		return "", false
	}
	if every, ok := sched.(cron.ConstantDelaySchedule); ok && every.Delay < minEvery {
		p.warnf(f.Val, path, "harvesting every %s is impolite to the sources; %s or more is plenty", shortDuration(every.Delay), shortDuration(minEvery))
	}
	// A spec like "0 0 30 2 *" parses but never fires; cron gives up after
	// five years and returns the zero time.
	if sched.Next(p.now).IsZero() {
		p.errorf(f.Val, path, "cron spec %s never runs", s.show())
		return "", false
	}
	return s.value, true
}

// parseCron is cron.ParseStandard made safe: v3.0.1 panics on some
// malformed CRON_TZ= prefixes (a zone without a following space); a
// recovered panic is an ordinary error.
func parseCron(spec string) (sched cron.Schedule, err error) {
	defer func() {
		if r := recover(); r != nil {
			sched, err = nil, fmt.Errorf("malformed spec (a CRON_TZ=Zone prefix needs a space and a schedule after it)")
		}
	}()
	if strings.HasPrefix(spec, "@every") {
		// cron rounds anything under a second up to one second; a zero or
		// negative interval is a mistake, not a request for that.
		if d, err := time.ParseDuration(strings.TrimSpace(strings.TrimPrefix(spec, "@every"))); err == nil && d <= 0 {
			return nil, fmt.Errorf("the interval must be positive")
		}
	}
	return cron.ParseStandard(spec)
}

// location reads an IANA time zone name.
func (p *parser) location(f field, path string) (*time.Location, string, bool) {
	s, ok := p.str(f.Val, path)
	if !ok {
		return nil, "", false
	}
	loc, err := time.LoadLocation(s.value)
	if err != nil {
		p.errorf(f.Val, path, "unknown time zone %s (use an IANA name such as Europe/Amsterdam, America/New_York or UTC)", s.show())
		return nil, "", false
	}
	return loc, s.value, true
}

// isLoopback reports whether host names this machine only.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// listen reads a host:port address; it returns whether the host is a
// loopback one.
func (p *parser) listen(f field, path string) (addr string, loopback, ok bool) {
	s, ok := p.str(f.Val, path)
	if !ok {
		return "", false, false
	}
	host, port, err := net.SplitHostPort(s.value)
	n, perr := strconv.Atoi(port)
	if err != nil || perr != nil || n < 1 || n > 65535 || strings.ContainsAny(host, " /") {
		p.errorf(f.Val, path, "expected host:port such as 127.0.0.1:8787, got %s", s.show())
		return "", false, false
	}
	return s.value, host != "" && isLoopback(host), true
}

var sizeRe = regexp.MustCompile(`^([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]*)$`)

var sizeUnits = map[string]float64{
	"": 1, "b": 1,
	"k": 1e3, "kb": 1e3, "m": 1e6, "mb": 1e6, "g": 1e9, "gb": 1e9,
	"ki": 1 << 10, "kib": 1 << 10, "mi": 1 << 20, "mib": 1 << 20, "gi": 1 << 30, "gib": 1 << 30,
}

// maxSize bounds max_bytes so that sizes never overflow.
const maxSize = 1 << 40

// parseSize reads a byte count: an integer, or a number with a unit (KB,
// MB, GB are powers of 1000; KiB, MiB, GiB powers of 1024).
func parseSize(s string) (int64, error) {
	m := sizeRe.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return 0, fmt.Errorf("expected a size such as 16MiB, 512KB or 1048576")
	}
	unit, ok := sizeUnits[strings.ToLower(m[2])]
	if !ok {
		return 0, fmt.Errorf("unknown unit %q (use B, KB, MB, GB, KiB, MiB or GiB)", m[2])
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, fmt.Errorf("expected a size such as 16MiB, 512KB or 1048576")
	}
	n := v * unit
	if n < 1 || n > maxSize {
		return 0, fmt.Errorf("must be between 1 byte and 1TiB")
	}
	return int64(n), nil
}

// size reads max_bytes: an integer or a size string.
func (p *parser) size(f field, path string) (int64, bool) {
	s, ok := p.str(f.Val, path)
	if !ok {
		return 0, false
	}
	n, err := parseSize(s.value)
	if err != nil {
		p.errorf(f.Val, path, "%s, got %s", err.Error(), s.show())
		return 0, false
	}
	return n, true
}

// duration reads a Go duration such as 5m or 90s; zero is allowed.
func (p *parser) duration(f field, path string) (time.Duration, bool) {
	s, ok := p.str(f.Val, path)
	if !ok {
		return 0, false
	}
	d, err := time.ParseDuration(s.value)
	if err != nil || d < 0 {
		p.errorf(f.Val, path, "expected a duration such as 5m, 90s or 1h30m, got %s", s.show())
		return 0, false
	}
	return d, true
}

// shortDuration formats d without trailing zero units: 5m, not 5m0s.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
