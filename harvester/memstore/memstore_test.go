package memstore_test

import (
	"testing"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/memstore"
	"github.com/contriblog/contriblog/harvester/storetest"
)

// TestConformance runs harvester.Store's conformance suite on the
// in-memory store, as store.DB runs it on a bbolt file: the tests that
// use memstore can trust it to behave as the real store does.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(*testing.T) harvester.Store { return memstore.New() })
}
