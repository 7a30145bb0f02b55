package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/contriblog/contriblog/harvester"
)

// checkWhy refuses `list --why` without an id or with filters.
func checkWhy(fs *flag.FlagSet, why string) error {
	if flagSet(fs, "why") && strings.TrimSpace(why) == "" {
		return usagef("--why takes the ID of a contribution (see `contriblog list --all`)")
	}
	for _, f := range []string{"since", "until", "person", "type", "all", "metrics"} {
		if why != "" && flagSet(fs, f) {
			return usagef("--why ID takes no --%s: it explains one row", f)
		}
	}
	return nil
}

// listWhy is `list --why ID`: why the row has each of its technology
// areas, one line per area and one per reason (docs/cli.md#list).
func (m *Main) listWhy(ctx context.Context, svc harvester.LogService, id string) error {
	ex, err := svc.ExplainAreas(ctx, id)
	if errors.Is(err, harvester.ErrNotFound) {
		return usagef("--why: %v; `contriblog list --all` shows the ids", err)
	}
	if err != nil {
		return err
	}
	return printWhy(m.Stdout, &ex)
}

// printWhy writes ex for a person.
func printWhy(w io.Writer, ex *harvester.AreaExplanation) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s  %s\n", cell(ex.ID), cell(ex.Title))
	if len(ex.Areas) == 0 {
		b.WriteString("  no technology area\n")
	}
	keyword := false
	for _, a := range ex.Areas {
		role := "additional"
		if a.Primary {
			role = "primary"
		}
		fmt.Fprintf(&b, "  %s (%s)\n", cell(a.Area), role)
		for _, r := range a.Reasons {
			fmt.Fprintf(&b, "    %s\n", reasonText(r))
			keyword = keyword || r.Kind == harvester.ReasonKeyword
		}
	}
	if ex.Keywords && !keyword {
		b.WriteString("  no keyword of the config's areas: is in its title, description or categories\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// reasonText is one reason as a sentence.
func reasonText(r harvester.AreaReason) string {
	switch r.Kind {
	case harvester.ReasonCurated:
		return "curated (contriblog edit)"
	case harvester.ReasonHandKept:
		return fmt.Sprintf("hand-kept: %s of %s", r.Field, observationName(r))
	case harvester.ReasonSource:
		return fmt.Sprintf("source default (areas: of source %s)", cell(r.Source))
	case harvester.ReasonKeyword:
		s := fmt.Sprintf("keyword %q in the %s", cell(r.Keyword), r.Field)
		if r.Hits > 1 {
			s += fmt.Sprintf(" (%d times)", r.Hits)
		}
		if r.Source != "" {
			s += " of " + observationName(r)
		}
		return s
	}
	return "no reason found: the stored log was built with other areas; `contriblog harvest` rebuilds it"
}

// observationName names the observation of r: its source and native id.
func observationName(r harvester.AreaReason) string {
	return cell(r.Source) + " " + cell(r.NativeID)
}
