package store

import (
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/contriblog/contriblog/harvester"
)

// encodeContribution returns a log row's stored form (see codec.go).
func encodeContribution(c *harvester.Contribution) ([]byte, error) {
	described := describedBy(c)
	w := recordWriter{buf: make([]byte, 0, contributionSizeHint(c, described))}
	forms := c.PrivateDescription != "" || c.MicrosoftEvent != "" || c.HighImpact || c.Counts != nil
	if forms {
		w.buf = append(w.buf, formatContributionForms)
	} else {
		w.buf = append(w.buf, formatContribution)
	}
	for _, s := range []string{c.ID, c.Person, c.ActivityType, c.Date, c.EndDate, c.Title} {
		w.str(s)
	}
	if j := described; j >= 0 {
		w.uvarint(uint64(j) + 1)
	} else {
		w.uvarint(0)
		w.str(c.Description)
	}
	for _, s := range []string{c.URL, c.Role, c.PrimaryArea} {
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
	if forms {
		w.str(c.PrivateDescription)
		w.str(c.MicrosoftEvent)
		w.bool(c.HighImpact)
		w.counts(c.Counts, true) // {} and nil differ in the JSON
	}
	return w.buf, nil
}

// describedBy is the position in c.Observations of the observation whose
// description c's is (c.DescriptionOf), or -1: the row then keeps its own
// copy.
func describedBy(c *harvester.Contribution) int {
	if c.DescriptionOf == "" {
		return -1
	}
	source, nativeID := harvester.SplitObservationKey(c.DescriptionOf)
	for j := range c.Observations {
		if o := &c.Observations[j]; o.Source == source && o.NativeID == nativeID {
			return j
		}
	}
	return -1
}

// contributionSizeHint is about the size of c encoded; described is
// describedBy(c).
func contributionSizeHint(c *harvester.Contribution, described int) int {
	n := 64 + len(c.ID) + len(c.Person) + len(c.ActivityType) + len(c.Title) + len(c.URL)
	if described < 0 {
		n += len(c.Description)
	}
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
// strings share one allocation, a copy of data: nothing aliases data. A
// row that refers to an observation for its description comes back with
// DescriptionOf set and Description empty: describe fills it in.
// Rows of format 0xc1, which always held their description, still decode;
// so do rows of 0xc2, which predate the forms' fields (they come back
// without them).
func decodeContribution(data []byte) (*harvester.Contribution, error) {
	c := new(harvester.Contribution)
	r := recordReader{s: string(data)}
	format := r.startAny(formatContributionV1, formatContributionForms, formatContribution)
	v1 := format == formatContributionV1
	c.ID, c.Person, c.ActivityType, c.Date, c.EndDate = r.str(), r.str(), r.str(), r.str(), r.str()
	c.Title = r.str()
	var describer uint64 // 1 + the position of the observation described, or 0
	if v1 {
		c.Description = r.str()
	} else if describer = r.uvarint(); describer == 0 {
		c.Description = r.str()
	}
	c.URL, c.Role, c.PrimaryArea = r.str(), r.str(), r.str()
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
	if format == formatContributionForms {
		c.PrivateDescription, c.MicrosoftEvent = r.str(), r.str()
		c.HighImpact, c.Counts = r.bool(), r.counts()
	}
	if err := r.end(); err != nil {
		return nil, err
	}
	if describer > 0 {
		if describer > uint64(len(c.Observations)) {
			return nil, fmt.Errorf("description of observation %d of %d", describer, len(c.Observations))
		}
		o := &c.Observations[describer-1]
		c.DescriptionOf = harvester.ObservationKey(o.Source, o.NativeID)
	}
	return c, nil
}

// describe fills in the description of a row that refers to one of its
// observations for it, from the observation stored in tx. An observation
// that has lost its description since the log was built gives none.
func describe(tx *bolt.Tx, c *harvester.Contribution) error {
	if c.DescriptionOf == "" || c.Description != "" {
		return nil
	}
	key := observationKey(harvester.SplitObservationKey(c.DescriptionOf))
	if text := tx.Bucket(bucketText).Get(key); text != nil {
		c.Description = string(text)
		return nil
	}
	if tx.Bucket(bucketObservations).Get(key) == nil {
		return fmt.Errorf("row %s: the observation its description is taken from is missing (%q); a harvest rebuilds the log", c.ID, c.DescriptionOf)
	}
	return nil
}
