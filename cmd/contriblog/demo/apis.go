package demo

import (
	"io/fs"
	"net/http"
	"time"

	"github.com/contriblog/contriblog/sources/packages/packagestest"
	"github.com/contriblog/contriblog/sources/stackexchange/setest"
)

// newStackExchangeHandler serves data/stackexchange (answers.json,
// questions.json) as the Stack Exchange API, through the fake the
// stackexchange source's tests use (setest): pages, gzip, quota.
func newStackExchangeHandler(now func() time.Time) (http.Handler, error) {
	sub, err := fs.Sub(data, "data/stackexchange")
	if err != nil {
		return nil, err
	}
	f, err := setest.Load(sub, func(s string) string { return expandDates(s, now()) })
	if err != nil {
		return nil, err
	}
	f.User, f.Now = demoStackExchangeUser, now
	return f, nil
}

// demoStackExchangeUser is the sample person's id on Stack Overflow.
const demoStackExchangeUser = 4211001

// newPackagesHandler serves data/packages/packages.json as npm's download
// counts, npm's registry and NuGet's search (packagestest).
func newPackagesHandler(now func() time.Time) (http.Handler, error) {
	sub, err := fs.Sub(data, "data/packages")
	if err != nil {
		return nil, err
	}
	return packagestest.Load(sub, func(s string) string { return expandDates(s, now()) })
}
