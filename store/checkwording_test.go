package store

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
)

// What Check reports of a page bbolt panics on reads as a finding, not as
// a crash: validate prints it, and a line starting "panic:" is what people
// and scripts take for one.
func TestCheckReportsNoPanicLine(t *testing.T) {
	path := seedDamageDB(t)
	_, pageSize := pagesOf(t, path)
	overwrite(t, path, 0, pageSize, randomPage(rand.New(rand.NewPCG(1, 2)), pageSize))
	db, err := Open(path, Options{Logger: quiet})
	if err != nil {
		t.Fatalf("one damaged meta page must not stop Open: %v", err)
	}
	defer db.Close()
	err = db.Check()
	if !errors.Is(err, ErrDamaged) {
		t.Fatalf("Check = %v, want ErrDamaged", err)
	}
	for _, line := range strings.Split(err.Error(), "\n") {
		if strings.HasPrefix(line, "panic:") || strings.HasPrefix(line, "goroutine ") {
			t.Errorf("Check reports a line that reads as a crash: %q", line)
		}
	}
}
