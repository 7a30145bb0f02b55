package store

import (
	"fmt"

	"github.com/contriblog/contriblog/harvester"
)

// encodeContribution returns a log row's stored form (see codec.go).
func encodeContribution(c *harvester.Contribution) ([]byte, error) {
	w := recordWriter{buf: make([]byte, 0, contributionSizeHint(c))}
	w.buf = append(w.buf, formatContribution)
	for _, s := range []string{c.ID, c.Person, c.ActivityType, c.Date, c.EndDate, c.Title, c.Description, c.URL, c.Role, c.PrimaryArea} {
		w.str(s)
	}
	w.strs(c.AdditionalAreas, true)
	w.strs(c.TargetAudience, true)
	w.varint(int64(c.Quantity))
	w.varint(c.Reach)
	w.strs(c.OtherURLs, true)
	w.strs(c.Sources, true)
	w.counts(c.Metrics, true)
	if c.Observations == nil {
		w.uvarint(0)
	} else {
		w.uvarint(uint64(len(c.Observations)) + 1)
	}
	for i := range c.Observations {
		o := &c.Observations[i]
		for _, s := range []string{o.Source, o.NativeID, o.URL, o.Title, o.Date} {
			w.str(s)
		}
		if err := w.time(o.FirstSeen); err != nil {
			return nil, fmt.Errorf("first seen: %w", err)
		}
		if err := w.time(o.LastSeen); err != nil {
			return nil, fmt.Errorf("last seen: %w", err)
		}
	}
	w.bool(c.Excluded)
	w.strs(c.Curated, false)
	return w.buf, nil
}

func contributionSizeHint(c *harvester.Contribution) int {
	n := 64 + len(c.ID) + len(c.Person) + len(c.ActivityType) + len(c.Title) + len(c.Description) + len(c.URL)
	for _, u := range c.OtherURLs {
		n += len(u) + 2
	}
	for i := range c.Observations {
		o := &c.Observations[i]
		n += 48 + len(o.Source) + len(o.NativeID) + len(o.URL) + len(o.Title)
	}
	return n
}

// decodeContribution is the inverse of encodeContribution. The row's
// strings share one allocation, a copy of data: nothing aliases data.
func decodeContribution(data []byte) (*harvester.Contribution, error) {
	c := new(harvester.Contribution)
	r := recordReader{s: string(data)}
	r.start(formatContribution)
	c.ID, c.Person, c.ActivityType, c.Date, c.EndDate = r.str(), r.str(), r.str(), r.str(), r.str()
	c.Title, c.Description, c.URL, c.Role, c.PrimaryArea = r.str(), r.str(), r.str(), r.str(), r.str()
	c.AdditionalAreas, c.TargetAudience = r.strs(), r.strs()
	c.Quantity, c.Reach = int(r.varint()), r.varint()
	c.OtherURLs, c.Sources = r.strs(), r.strs()
	c.Metrics = r.counts()
	if n := r.count(); n >= 0 {
		c.Observations = make([]harvester.ObservationRef, n)
		for i := range c.Observations {
			o := &c.Observations[i]
			o.Source, o.NativeID, o.URL, o.Title, o.Date = r.str(), r.str(), r.str(), r.str(), r.str()
			o.FirstSeen, o.LastSeen = r.time(), r.time()
		}
	}
	c.Excluded = r.bool()
	c.Curated = r.strs()
	if err := r.end(); err != nil {
		return nil, err
	}
	return c, nil
}
