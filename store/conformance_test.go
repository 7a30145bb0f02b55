package store

import (
	"testing"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/storetest"
)

// TestConformance runs harvester.Store's conformance suite on a real
// database file; memstore runs the same suite.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) harvester.Store { return MustOpenDB(t) })
}
